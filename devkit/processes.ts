import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const children: ChildProcess[] = [];

export interface Started<T> {
  child: ChildProcess;
  ready: T;
}

/**
 * How an entry point runs in the benchmarks: as production runs it, compiled by `npm run build` (bench/run.ts builds
 * first), or with the TypeScript loader when BENCH_TSX=1.
 */
export function nodeArgs(script: string): string[] {
  return process.env.BENCH_TSX === '1' ? ['--import', 'tsx', script] : [`dist/${script.replace(/\.ts$/, '.js')}`];
}

/**
 * The log level of every process: `error` unless BENCH_LOG_LEVEL says otherwise. Deployed, each process writes a line
 * per request at `info`; the benchmarks leave that out by default so that their output stays readable, and
 * BENCH_LOG_LEVEL=info (with stderr sent to a file) measures it.
 */
export const benchLogLevel = () => process.env.BENCH_LOG_LEVEL ?? 'error';

/**
 * Runs an entry point as a process of its own and resolves with the JSON line it prints once ready.
 * BENCH_CPU_PROF=DIR writes a V8 CPU profile of every process into DIR for `--cpu-prof` analysis.
 */
export function startNode<T extends { ready: true }>(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<Started<T>> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, ...nodeArgs(script), ...args], {
    env: { NODE_ENV: 'test', ...process.env, LOG_LEVEL: benchLogLevel(), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const early = (code: number | null) => reject(new Error(`${script} exited with ${code} before it was ready`));
    child.once('exit', early);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: T | undefined;
      try {
        msg = JSON.parse(line) as T;
      } catch {
        return;
      }
      if (msg?.ready) {
        child.off('exit', early);
        resolve({ child, ready: msg });
      }
    });
  });
}

/** Stops a process with SIGTERM and waits for it (a CPU profile is written on that exit). */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export async function stopAll(): Promise<void> {
  await Promise.all(children.splice(0).map(stop));
}

/** Peak resident set size of a running process since it started (Linux VmHWM), in MB; null where /proc is absent. */
export function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** A port free right now, for a process that must know another's address before that one starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const root = new URL('..', import.meta.url).pathname;

/**
 * For the tests: starts `node --import tsx SCRIPT ...args` (a compiled `.js` without the loader) and resolves with its ready line;
 * `stop` ends it.
 */
export function startScript(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ready: Record<string, any>; child: ChildProcess; stop(): Promise<void> }> {
  const loader = script.endsWith('.js') ? [] : ['--import', 'tsx'];
  const child: ChildProcess = spawn(process.execPath, [...loader, script, ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const ready = JSON.parse(line) as Record<string, any>;
        if (!ready.ready) return;
        child.removeAllListeners('exit');
        resolve({
          ready,
          child,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      } catch {
        /* not the ready line */
      }
    });
  });
}
