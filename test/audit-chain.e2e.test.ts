import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAccessLog } from '../lib/audit/verify.js';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
  for (const n of [1, 3, 4, 6, 7]) await gql(graph.gatewayUrl, { role: 'NPA_ADMIN' }, `{holder(id:"${demoId(n)}"){name addressOneStopConsent{status} portalLink{linkedAt}}}`);
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
    const r = await verifyAccessLog(db(), 4);
    expect(r.broken).toBeNull();
    expect(r.checked).toBeGreaterThan(8);
  });

  it('updates, deletes and truncation are refused by the database', async () => {
    for (const statement of ["update audit.access_records set outcome = 'ALLOWED' where seq = 1", 'delete from audit.access_records where seq = 1', 'truncate audit.access_records']) {
      await expect(db().execute(sql.raw(statement))).rejects.toThrow();
    }
    expect((await verifyAccessLog(db())).broken).toBeNull();
  });

  it('audit:verify reports the first edited record', async () => {
    await tamper("update audit.access_records set subject = 'someone-else' where seq = 5");
    expect((await verifyAccessLog(db(), 3)).broken).toEqual({ seq: 5, problem: 'HASH_MISMATCH' });
  });

  it('audit:verify reports a deleted record where the gap is', async () => {
    // Record 5 is still the edited one from above; a deletion before it is found first.
    await tamper('delete from audit.access_records where seq = 3');
    expect((await verifyAccessLog(db())).broken).toEqual({ seq: 4, problem: 'MISSING_RECORD' });
  });
});
