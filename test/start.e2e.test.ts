import { spawn } from 'node:child_process';
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

/** Runs `npm start`'s script on free ports and a temporary DATA_DIR, until it reports the graph ready. */
function start(): Promise<{ url: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: '0', DRIVER_PORT: '0', CONSENT_PORT: '0', PORTAL_LINK_PORT: '0', FAMILY_REGISTER_PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`start exited early with ${code}`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (!line.includes('"graph ready"')) return;
      const { gateway } = JSON.parse(line) as { gateway: string };
      child.removeAllListeners('exit');
      resolve({
        url: gateway,
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
});
