/**
 * `npx tsx bench/profile-summary.ts FILE.cpuprofile…`: where a process spent its CPU, from the V8 profiles that
 * `BENCH_CPU_PROF=DIR npm run bench` writes: self time by function and by package, largest first.
 */
import { readFileSync } from 'node:fs';

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

function summarise(file: string, top = 20): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const timeOf = new Map<number, number>();
  p.samples.forEach((id, i) => {
    timeOf.set(id, (timeOf.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = [...timeOf.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const n of p.nodes) {
    const t = timeOf.get(n.id) ?? 0;
    const { functionName, url, lineNumber } = n.callFrame;
    const inModules = url.includes('node_modules/');
    const short = url.replace(/.*node_modules\//, '');
    const pkg = inModules
      ? short
          .split('/')
          .slice(0, short.startsWith('@') ? 2 : 1)
          .join('/')
      : url.startsWith('file://')
        ? url.replace(/.*\/work\/[^/]+\//, '').replace(/^file:\/\//, '')
        : url || functionName;
    byFunction.set(
      `${functionName || '(anonymous)'} ${short}:${lineNumber}`,
      (byFunction.get(`${functionName || '(anonymous)'} ${short}:${lineNumber}`) ?? 0) + t,
    );
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t);
  }
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled\n-- by package\n${list(byPackage)}\n-- by function\n${list(byFunction)}`);
}

for (const f of process.argv.slice(2)) summarise(f);
