import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents, jlisNotifications } from '../subgraphs/consent/tables.js';
import { holders, recordImports } from '../subgraphs/driver/tables.js';
import { bulkSerial, insertBulkHolders } from '../seeds/bulk-holders.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { signed } from './support/jlis.js';

const root = new URL('..', import.meta.url).pathname;
const N = 1200;
const SECOND = Math.ceil(N / 97);
const dir = mkdtempSync(join(tmpdir(), 'renkei-jlis-'));
const file = join(dir, 'feed.jsonl');

/**
 * A J-LIS file: a renewal with a new address for every bulk holder, some revocations, a second renewal of every 97th
 * holder, and three bad lines.
 */
function writeFeed() {
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    lines.push(
      JSON.stringify(
        signed({
          notificationId: `J-${String(i).padStart(7, '0')}`,
          kind: 'CERTIFICATE_RENEWED',
          previousSerial: bulkSerial(i),
          serial: `D${String(i).padStart(9, '0')}`,
          notBefore: '2026-03-18T00:00:00+09:00',
          notAfter: '2031-03-18T00:00:00+09:00',
          name: `試験 ${i}`,
          address: `東京都港区芝${(i % 9) + 1}-${i}`,
          birthDate: '1990-01-01',
          filedOn: '2026-03-18',
        }),
      ),
    );
    if (i === 4) lines.push('{not json');
    if (i === 9) lines.push(JSON.stringify({ notificationId: 'J-BAD-1', kind: 'CERTIFICATE_RENEWED', previousSerial: 'C0', filedOn: '2026-03-18' }));
    if (i % 100 === 50)
      lines.push(
        JSON.stringify(
          signed({ notificationId: `R-${i}`, kind: 'CERTIFICATE_REVOKED', previousSerial: `D${String(i).padStart(9, '0')}`, filedOn: '2026-03-19' }),
        ),
      );
  }
  // Second renewals along the same certificate chains, batches later: they must see the first ones' new serials,
  // whichever lane and batch each went in.
  for (let i = 0; i < N; i += 97) {
    lines.push(
      JSON.stringify(
        signed({
          notificationId: `J2-${i}`,
          kind: 'CERTIFICATE_RENEWED',
          previousSerial: `D${String(i).padStart(9, '0')}`,
          serial: `E${String(i).padStart(9, '0')}`,
          notBefore: '2026-03-19T00:00:00+09:00',
          notAfter: '2031-03-19T00:00:00+09:00',
          address: `東京都港区芝公園${i}`,
          filedOn: '2026-03-19',
        }),
      ),
    );
  }
  lines.push('');
  lines.push('["an array"]');
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** Runs `npm run jlis:import` against a graph; `killAfter` progress lines, SIGKILL. */
function runImport(graph: TestGraph, opts: { batch?: number; killAfter?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/jlis-import.ts', file, '--batch', String(opts.batch ?? 200)], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', GATEWAY_URL: graph.gatewayUrl, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let progress = 0;
  child.stdout!.on('data', (d) => (stdout += d));
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr += `${line}\n`;
    if (line.startsWith('jlis:import ') && opts.killAfter && ++progress === opts.killAfter) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The state a feed leaves behind, in every subgraph it touches. */
async function stateOf(graph: TestGraph) {
  return {
    holders: await graph.dbs.driver.select({ id: holders.id, address: holders.address }).from(holders).orderBy(asc(holders.id)),
    imports: (await graph.dbs.driver.select().from(recordImports).orderBy(asc(recordImports.sourceRef), asc(recordImports.item))).map((r) => ({
      holderId: r.holderId,
      item: r.item,
      newValue: r.newValue,
      sourceRef: r.sourceRef,
      status: r.status,
      effectiveOn: r.effectiveOn,
    })),
    consents: (await graph.dbs.consent.select().from(consents).orderBy(asc(consents.holderId))).map((c) => ({
      holderId: c.holderId,
      serial: c.certificateSerial,
      revoked: c.certificateRevokedAt !== null,
    })),
    ledger: (await graph.dbs.consent.select().from(jlisNotifications).orderBy(asc(jlisNotifications.notificationId))).map((l) => ({
      id: l.notificationId,
      outcome: l.outcome,
      reason: l.reason,
    })),
  };
}

let clean: TestGraph;
let crashed: TestGraph;
beforeAll(async () => {
  writeFeed();
  [clean, crashed] = await Promise.all([startTestGraph({ seed: false }), startTestGraph({ seed: false })]);
  await Promise.all([insertBulkHolders(clean, N), insertBulkHolders(crashed, N)]);
}, 180_000);
afterAll(async () => {
  await Promise.all([clean?.close(), crashed?.close()]);
});

describe('npm run jlis:import', () => {
  it('R-ONE-5: imports a file, reporting bad lines by number and the outcomes at the end', async () => {
    const run = await runImport(clean);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!).summary;
    expect(summary.sent).toBe(N + 12 + SECOND);
    expect(summary.outcomes).toEqual({ SCHEDULED: N + SECOND, NO_CHANGE: 12 });
    expect(summary.badLines).toBe(3);
    expect(run.stdout).toMatch(/line 6: not JSON/);
    expect(run.stdout).toMatch(/line 12: serial: /);
    expect(run.stdout).not.toContain('東京都');
    const s = await stateOf(clean);
    expect(s.holders.filter((h) => h.address.startsWith('東京都港区芝'))).toHaveLength(N);
    expect(s.holders.filter((h) => h.address.startsWith('東京都港区芝公園'))).toHaveLength(SECOND);
    expect(s.consents.filter((c) => c.serial.startsWith('E'))).toHaveLength(SECOND);
  }, 300_000);

  it('R-ONE-7: a replayed file reports DUPLICATE for every line and changes nothing', async () => {
    const before = await stateOf(clean);
    const run = await runImport(clean);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!).summary.outcomes).toEqual({ DUPLICATE: N + 12 + SECOND });
    expect(await stateOf(clean)).toEqual(before);
  }, 300_000);

  it('R-ONE-7: killed at random points again and again, then rerun, the end state equals one clean run', async () => {
    // Bounded: three kills, each after a random number of batches (the points are in the failure message).
    const points = Array.from({ length: 3 }, () => 1 + Math.floor(Math.random() * 6));
    let ledger = 0;
    for (const killAfter of points) {
      const killed = await runImport(crashed, { batch: 50, killAfter });
      const partial = await stateOf(crashed);
      expect(partial.ledger.length, `kills after ${points.join(', ')} batches`).toBeGreaterThanOrEqual(ledger);
      ledger = partial.ledger.length;
      if (killed.code === 0) break; // the file was done before the kill point came
    }
    expect(ledger, `kills after ${points.join(', ')} batches`).toBeGreaterThan(0);
    const rerun = await runImport(crashed, { batch: 50 });
    expect(rerun.code).toBe(0);
    expect(await stateOf(crashed)).toEqual(await stateOf(clean));
  }, 300_000);
});
