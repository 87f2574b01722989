import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 17.7: the layers show in the tree and hold. lib/platform (HTTP, config, logs, metrics, tracing, database,
 * identity, the access log) knows nothing of the domain; lib/domain (Japan's rules: dates, characters, certificates,
 * who reaches a holder) builds on the platform; the subgraphs, the gateway and the workers build on both; the
 * development kit (devkit/), the tests and the benchmarks sit on top and nothing in production imports them.
 */
const root = new URL('..', import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(join(root, path)).isDirectory()) return f === 'node_modules' || (f === 'generated' && dir.startsWith('subgraphs')) ? [] : files(path);
    return path.endsWith('.ts') ? [path] : [];
  });

/** Each relative import of a file, as the path it names from the root, and whether it is a type import only. */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*?from\s+'(\.{1,2}\/[^']+)'|import\('(\.{1,2}\/[^']+)'\)/gm)].map((m) => ({
    target: relative(root, normalize(join(dirname(join(root, file)), m[2] ?? m[3]!))),
    typeOnly: !!m[1],
  }));
}

const PRODUCTION = ['lib', 'subgraphs', 'gateway', 'workers', 'simulators', 'seeds', 'schema', 'packages/client/src'];
const under = (path: string, dirs: string[]) => dirs.some((d) => path === d || path.startsWith(`${d}/`));

describe('issue 17.7: layers you can see', () => {
  it('lib/platform imports nothing of the domain, the subgraphs, the gateway or the tooling', () => {
    const crossings = files('lib/platform').flatMap((f) =>
      importsOf(f)
        // schema/ is the contract every layer reads (the subgraphs' SDL).
        .filter((i) => !under(i.target, ['lib/platform', 'schema']))
        // The one seam: the deps a subgraph is given carry the domain's trust store, by type only.
        .filter((i) => !(i.typeOnly && i.target === 'lib/domain/certificates/verify.js'))
        .map((i) => `${f} → ${i.target}`),
    );
    expect(crossings).toEqual([]);
  });

  it('lib/domain builds on the platform only', () => {
    // The typed documents of the API come from the integrator kit, the contract the graph's own clients share.
    const crossings = files('lib/domain').flatMap((f) =>
      importsOf(f)
        .filter((i) => !under(i.target, ['lib', 'schema', 'packages/client/src']))
        .map((i) => `${f} → ${i.target}`),
    );
    expect(crossings).toEqual([]);
  });

  it('production code imports no development kit, test or benchmark', () => {
    const crossings = PRODUCTION.flatMap((d) => files(d)).flatMap((f) =>
      importsOf(f)
        .filter((i) => under(i.target, ['devkit', 'test', 'bench', 'scripts']))
        .map((i) => `${f} → ${i.target}`),
    );
    expect(crossings).toEqual([]);
  });

  it('tests and benchmarks share the development kit, not each other', () => {
    const testToBench = files('test').flatMap((f) =>
      importsOf(f)
        .filter((i) => under(i.target, ['bench']))
        .map((i) => `${f} → ${i.target}`),
    );
    const benchToTest = files('bench').flatMap((f) =>
      importsOf(f)
        .filter((i) => under(i.target, ['test']))
        .map((i) => `${f} → ${i.target}`),
    );
    expect([...testToBench, ...benchToTest]).toEqual([]);
  });

  it('the production gateway loads no @apollo/gateway code: only its oracle engine imports it, and main.ts loads that one on demand', () => {
    const importers = [...PRODUCTION, 'devkit'].flatMap((d) => files(d)).filter((f) => /from '@apollo\/gateway'/.test(readFileSync(join(root, f), 'utf8')));
    expect(importers).toEqual(['gateway/apollo-gateway.ts']);
    const main = readFileSync(join(root, 'gateway/main.ts'), 'utf8');
    expect(main).not.toMatch(/^import[^;]*'\.\/apollo-gateway\.js'/m);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.dependencies['@apollo/gateway']).toBeUndefined();
    expect(pkg.devDependencies['@apollo/gateway']).toBeDefined();
  });
});
