import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSigner } from '../lib/platform/audit/signing.js';
import { verifyAccessLog } from '../lib/platform/audit/verify.js';
import { DEV_ONLY_AUDIT_LOG_KEY } from '../lib/platform/identity/dev-keys.js';

const signer = auditSigner(DEV_ONLY_AUDIT_LOG_KEY);
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
  for (const n of [1, 3, 4, 6, 7])
    await gql(graph.gatewayUrl, { role: 'NPA_ADMIN' }, `{holder(id:"${demoId(n)}"){name addressOneStopConsent{status} portalLink{linkedAt}}}`);
});
afterAll(async () => {
  await graph?.close();
});

const db = () => graph.dbs.driver;
/** Tampering as an attacker with the database owner's rights would: the append-only triggers switched off first. */
async function tamper(statement: string) {
  await db().execute(sql.raw('alter table audit.access_records disable trigger user'));
  await db().execute(sql.raw(statement));
  await db().execute(sql.raw('alter table audit.access_records enable trigger user'));
}

describe('the access log is append-only and hash-chained', () => {
  it('the chain of a working graph verifies', async () => {
    const r = await verifyAccessLog(db(), signer, { pageSize: 4 });
    expect(r.broken).toBeNull();
    expect(r.checked).toBeGreaterThan(8);
  });

  it('each writing process keeps its own chain, so no writer waits on another', async () => {
    const r = await verifyAccessLog(db(), signer, { pageSize: 4 });
    expect(r.chains).toBeGreaterThanOrEqual(3);
  });

  it('updates, deletes and truncation are refused by the database', async () => {
    for (const statement of [
      "update audit.access_records set outcome = 'ALLOWED' where seq = 1",
      'delete from audit.access_records where seq = 1',
      'truncate audit.access_records',
    ]) {
      await expect(db().execute(sql.raw(statement))).rejects.toThrow();
    }
    expect((await verifyAccessLog(db(), signer)).broken).toBeNull();
  });

  async function records() {
    const result = (await db().execute(sql.raw('select seq, chain from audit.access_records order by seq'))) as unknown;
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { seq: string | number; chain: string }[];
    return rows.map((r) => ({ seq: Number(r.seq), chain: r.chain }));
  }

  it('audit:verify reports the first edited record', async () => {
    const last = (await records()).at(-1)!.seq;
    await tamper(`update audit.access_records set subject = 'someone-else' where seq = ${last}`);
    expect((await verifyAccessLog(db(), signer, { pageSize: 3 })).broken).toEqual({ seq: last, problem: 'HASH_MISMATCH' });
  });

  it('audit:verify reports a deleted record where the gap in its chain is', async () => {
    // Each writing process keeps a chain of its own: the gap shows at the next record of the deleted one's chain,
    // found before the edited last record from above.
    const all = await records();
    const next = all.find((r) => r.chain === all[0]!.chain && r.seq > all[0]!.seq)!;
    await tamper(`delete from audit.access_records where seq = ${all[0]!.seq}`);
    expect((await verifyAccessLog(db(), signer)).broken).toEqual({ seq: next.seq, problem: 'MISSING_RECORD' });
  });
});
