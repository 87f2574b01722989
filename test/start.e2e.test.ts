import { execFile, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { testDbKind } from './support/database.js';
import { gql } from './support/graph.js';

const root = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'renkei-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  PORT: '0',
  DRIVER_PORT: '0',
  CONSENT_PORT: '0',
  PORTAL_LINK_PORT: '0',
  FAMILY_REGISTER_PORT: '0',
  DATA_DIR: dataDir,
  DATABASE_URL: '',
};

/**
 * Runs `npm start`'s script on free ports and a temporary DATA_DIR, until it reports the graph ready: the script
 * itself, or (`viaNpm`) `npm start` as a supervisor runs it, so that a signal reaches the npm process only.
 */
function start(viaNpm = false): Promise<{ url: string; familyRegister: string; subgraphs: string[]; pid: number; stop(): Promise<number | null> }> {
  const child = viaNpm
    ? spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`start exited early with ${code}`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (!line.includes('"graph ready"')) return;
      const { gateway, familyRegister, subgraphs } = JSON.parse(line) as { gateway: string; familyRegister: string; subgraphs: Record<string, string> };
      child.removeAllListeners('exit');
      resolve({
        url: gateway,
        familyRegister,
        subgraphs: Object.values(subgraphs),
        pid: child.pid!,
        stop: () =>
          new Promise((done) => {
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

// npm start's default is the embedded database; the Postgres pass of the suite has nothing to add here.
describe.skipIf(testDbKind === 'postgres')('npm start', () => {
  it('serves the HolderCard on the embedded database, seeds once, and stops cleanly on SIGTERM', async () => {
    const query = readFileSync(join(root, 'schema/operations/HolderCard.graphql'), 'utf8');
    const caller = { role: 'SUPERVISOR' as const, prefecture: '13' };
    const first = await start();
    const a = await gql(first.url, caller, query, { id: demoId(1) });
    expect(a.errors).toBeUndefined();
    expect(a.data.holder.portalLink.pseudonym).toBe('demo-pseudonym-0001');
    expect(await first.stop()).toBe(0);

    // A second start on the same data directory finds the data and seeds nothing twice.
    const second = await start();
    const b = await gql(second.url, caller, query, { id: demoId(1) });
    expect(b).toEqual(a);
    const count = await gql(second.url, { role: 'NPA_ADMIN' }, '{recordImports(filter:{}, first: 100){edges{cursor}}}');
    expect(count.data.recordImports.edges).toHaveLength(3);
    expect(await second.stop()).toBe(0);
  }, 120_000);

  it('under a supervisor: the example flows run against `npm start`, and SIGTERM to the npm process alone stops every process of it', async () => {
    const graph = await start(true);
    const flow = (script: string, args: string[], extra: Record<string, string> = {}) =>
      run('bash', [join(root, 'examples', script), ...args], {
        cwd: root,
        env: { ...env, GQL: graph.url, FAMILY_REGISTER_URL: graph.familyRegister, ...extra },
      });
    const certDir = mkdtempSync(join(tmpdir(), 'renkei-flow-'));
    const counter = await flow('counter-flow.sh', [certDir]);
    expect(counter.stdout).toContain('"status": "ACTIVE"');
    const portal = await flow('myna-portal-flow.sh', [certDir]);
    expect(portal.stdout).toContain('the worker has applied it');
    // A step the graph refuses stops the flow there with a non-zero status: a Tokyo clerk's M1 for the Osaka holder.
    const refused = flow('counter-flow.sh', [mkdtempSync(join(tmpdir(), 'renkei-flow-'))], { HOLDER: demoId(12) });
    await expect(refused).rejects.toMatchObject({ stderr: expect.stringContaining('stopped: "M1'), stdout: expect.not.stringContaining('--- consent') });
    rmSync(certDir, { recursive: true, force: true });

    // systemd and container runtimes signal the process they started, npm here: the whole chain must stop.
    expect(await graph.stop()).toBe(0);
    for (const url of [graph.url, graph.familyRegister, ...graph.subgraphs]) {
      const { port } = new URL(url);
      expect(await listening(Number(port)), `${url} still answers after npm stopped`).toBe(false);
    }
  }, 240_000);
});

const run = promisify(execFile);

/** Whether something accepts connections on the port, after a moment for a process that is exiting. */
async function listening(port: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!open) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return true;
}
