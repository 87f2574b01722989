import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const root = new URL('../..', import.meta.url).pathname;

/**
 * Starts `node --import tsx SCRIPT ...args` (a compiled `.js` without the loader) and resolves with its ready line;
 * `stop` ends it.
 */
export function startScript(script: string, args: string[], env: Record<string, string> = {}): Promise<{ ready: Record<string, any>; child: ChildProcess; stop(): Promise<void> }> {
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
