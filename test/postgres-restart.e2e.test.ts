import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../lib/platform/clock.js';
import { parseConfig } from '../lib/platform/config.js';
import { trustStoreFromPem } from '../lib/domain/certificates/verify.js';
import { openPostgres, type SqlClient } from '../lib/platform/db/database.js';
import { migrateAll, seedDemo, startStack, type Stack } from '../devkit/stack.js';
import { demoId } from '../seeds/demo-holders.js';
import { testDbKind } from './support/database.js';
import { gql, TEST_NOW, testCa } from './support/graph.js';
import { canRunPrivatePostgres, startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';

const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');
const clerk = { role: 'SUPERVISOR' as const, prefecture: '13', purpose: 'HOLDER_INQUIRY' as const, verification: 'MYNA_CARD_FACE' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A server of the test's own, stopped and started under load; run once (it does not depend on the suite's database).
describe.skipIf(testDbKind !== 'pglite' || !canRunPrivatePostgres())('Postgres restarted mid-load', () => {
  let pg: PrivatePostgres;
  let client: SqlClient;
  let stack: Stack;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    client = await openPostgres(pg.url, { max: 5 });
    await migrateAll(client);
    await seedDemo(client);
    const ca = await testCa();
    stack = await startStack({ client, clock: manualClock(TEST_NOW), config: parseConfig({ NODE_ENV: 'test' }), trust: trustStoreFromPem(ca.certPem) });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await client?.close().catch(() => {});
    await pg?.destroy();
  });

  it('requests fail cleanly while it is down and succeed after, with no restart of ours', async () => {
    const card = () => gql(stack.gatewayUrl, clerk, HOLDER_CARD, { id: demoId(1) });
    const ready = async () => (await fetch(new URL('/readyz', stack.subgraphUrls.driver))).status;
    expect((await card()).data.holder.portalLink.pseudonym).toBe('demo-pseudonym-0001');

    // Load runs throughout: four clients in a loop, every answer kept.
    let running = true;
    const answers: { startedAt: number; ok: boolean; codes: string[]; messages: string[] }[] = [];
    const clients = Array.from({ length: 4 }, async () => {
      while (running) {
        const startedAt = Date.now();
        const r = await card();
        answers.push({
          startedAt,
          ok: !r.errors && r.data?.holder?.addressOneStopConsent != null,
          codes: (r.errors ?? []).map((e) => String(e.extensions?.code)),
          messages: (r.errors ?? []).map((e) => e.message),
        });
      }
    });
    await sleep(300);
    await pg.stop();
    const whileDown = answers.length;
    await sleep(1_500);
    expect(await ready()).toBe(503);
    await pg.start();
    // The pools reconnect on their own: wait for full answers again, bounded.
    for (let i = 0; i < 100 && (await ready()) !== 200; i++) await sleep(100);
    const recoveredAt = Date.now();
    // A request begun while the server was down may still be waiting out the pool's 5 s connect timeout, holding its
    // client's loop: wait for requests begun after the recovery to come back, not for a fixed time (bounded).
    const startedAfter = () => answers.filter((a) => a.startedAt > recoveredAt).length;
    for (let i = 0; i < 150 && startedAfter() < 8; i++) await sleep(100);
    running = false;
    await Promise.all(clients);

    const down = answers.slice(whileDown).filter((a) => !a.ok);
    expect(down.length).toBeGreaterThan(0);
    for (const a of down) {
      expect(a.codes.length).toBeGreaterThan(0);
      expect(a.codes.every((c) => ['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR'].includes(c))).toBe(true);
      // Nothing of the database, the driver or a stack trace reaches the client.
      for (const m of a.messages) expect(m).not.toMatch(/ECONNREFUSED|postgres|terminat|at .*\.ts|127\.0\.0\.1/i);
    }
    const after = answers.filter((a) => a.startedAt > recoveredAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((a) => a.ok)).toBe(true);
    expect((await card()).data.holder.portalLink.pseudonym).toBe('demo-pseudonym-0001');
  }, 90_000);
});
