import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { accessRecords } from '../lib/platform/audit/tables.js';
import { auditSigner } from '../lib/platform/audit/signing.js';
import { verifyAccessLog } from '../lib/platform/audit/verify.js';
import { DEV_ONLY_AUDIT_LOG_KEY } from '../lib/platform/identity/dev-keys.js';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type TestGraph } from './support/graph.js';

const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const all = async () => {
  const rows = await graph.dbs.driver.select().from(accessRecords);
  return {
    driver: rows.filter((r) => r.service === 'driver'),
    consent: rows.filter((r) => r.service === 'consent'),
    portal: rows.filter((r) => r.service === 'portal-link'),
  };
};

describe('R-INQ-1: the purpose and the identity verification are recorded with every access', () => {
  it('R-INQ-1: an inquiry through the HolderCard is recorded by each subgraph it reached, with the fields read', async () => {
    const headers = { 'x-request-id': 'inquiry-0001' };
    const r = await gql(
      graph.gatewayUrl,
      { role: 'COUNTER_STAFF', prefecture: '13', subject: 'staff-042', purpose: 'HOLDER_INQUIRY', verification: 'MYNA_CARD_FACE' },
      HOLDER_CARD,
      { id: demoId(1) },
      headers,
    );
    expect(r.data.holder.name).toBe('山田 太郎');
    const records = await all();
    const mine = <T extends { requestId: string }>(rows: T[]) => rows.filter((x) => x.requestId === 'inquiry-0001');
    const driver = mine(records.driver);
    expect(driver.length).toBeGreaterThan(0);
    for (const row of [...driver, ...mine(records.consent), ...mine(records.portal)]) {
      expect(row).toMatchObject({
        subject: 'staff-042',
        role: 'COUNTER_STAFF',
        prefecture: '13',
        holderId: demoId(1),
        action: 'READ',
        purpose: 'HOLDER_INQUIRY',
        identityVerification: 'MYNA_CARD_FACE',
      });
    }
    expect(driver.flatMap((x) => x.fields)).toEqual(expect.arrayContaining(['name', 'holdingForm']));
    expect([...driver, ...mine(records.consent)].every((x) => x.outcome === 'ALLOWED')).toBe(true);
    expect(mine(records.consent)[0]!.fields).toEqual(['addressOneStopConsent']);
    // Eligibility @requires the certificate's status, so that counts as read too; the card asks for the pseudonym,
    // which a clerk may not read: that field alone is DENIED.
    const portal = mine(records.portal);
    expect(
      portal
        .filter((x) => x.outcome === 'ALLOWED')
        .flatMap((x) => x.fields)
        .sort(),
    ).toEqual(['portalLink', 'signatureCertificate']);
    expect(portal.filter((x) => x.outcome === 'DENIED').map((x) => x.fields)).toEqual([['portalLink.pseudonym']]);
    expect(JSON.stringify(records)).not.toContain('山田');
  });

  it('R-INQ-1: requests of one caller, who share one subgraph token, are each recorded under their own request id', async () => {
    const clerk = { role: 'COUNTER_STAFF', prefecture: '13', subject: 'staff-044', purpose: 'HOLDER_INQUIRY', verification: 'MYNA_CARD_FACE' } as const;
    for (const [id, holder] of [
      ['shared-token-1', 2],
      ['shared-token-2', 3],
    ] as const) {
      expect((await gql(graph.gatewayUrl, clerk, HOLDER_CARD, { id: demoId(holder) }, { 'x-request-id': id })).data.holder).not.toBeNull();
    }
    const records = await all();
    for (const [id, holder] of [
      ['shared-token-1', 2],
      ['shared-token-2', 3],
    ] as const) {
      for (const rows of [records.driver, records.consent, records.portal]) {
        const mine = rows.filter((x) => x.requestId === id);
        expect(mine.length).toBeGreaterThan(0);
        expect(new Set(mine.map((x) => x.holderId))).toEqual(new Set([demoId(holder)]));
      }
    }
  });

  it('R-INQ-1: a denied access is recorded as DENIED', async () => {
    await gql(
      graph.gatewayUrl,
      { role: 'COUNTER_STAFF', prefecture: '13', subject: 'staff-043' },
      HOLDER_CARD,
      { id: demoId(12) },
      { 'x-request-id': 'denied-0001' },
    );
    const denied = (await all()).driver.filter((x) => x.requestId === 'denied-0001');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ holderId: demoId(12), outcome: 'DENIED', subject: 'staff-043' });
  });

  it('R-INQ-1: a write is recorded as WRITE with the field it changed', async () => {
    const CHANGE = `mutation($input: ChangeCardsInput!) { changeCards(input: $input) { userErrors { code } } }`;
    await gql(
      graph.gatewayUrl,
      { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' },
      CHANGE,
      { input: { holderId: demoId(3), cards: ['LICENSE_CARD', 'MYNA_LICENSE'] } },
      { 'x-request-id': 'write-0001' },
    );
    const writes = (await all()).driver.filter((x) => x.requestId === 'write-0001');
    expect(writes).toEqual([expect.objectContaining({ action: 'WRITE', fields: ['cards'], purpose: 'COUNTER_PROCEDURE', outcome: 'ALLOWED' })]);
  });
});

describe('R-INQ-1: the access log is served to auditors and, through Myna Portal, to the holder', () => {
  const DOCUMENT = readFileSync(new URL('../schema/operations/AccessLog.graphql', import.meta.url), 'utf8');
  const ACCESS_LOG = DOCUMENT.slice(0, DOCUMENT.indexOf('query MyAccessLog'));
  const MY_ACCESS_LOG = DOCUMENT.slice(DOCUMENT.indexOf('query MyAccessLog'));

  it('accessLog answers an auditor with who, why and what, newest first, a page at a time; the reading is recorded too', async () => {
    const auditor = { role: 'AUDITOR' as const, purpose: 'AUDIT', subject: 'auditor-1' };
    const first = await gql(graph.gatewayUrl, auditor, ACCESS_LOG, { holderId: demoId(1), first: 2 }, { 'x-request-id': 'audit-0001' });
    expect(first.errors).toBeUndefined();
    const page = first.data.accessLog;
    expect(page.edges).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await gql(graph.gatewayUrl, auditor, ACCESS_LOG, { holderId: demoId(1), first: 50, after: page.pageInfo.endCursor });
    const entries = [...page.edges, ...rest.data.accessLog.edges].map((e: { node: Record<string, unknown> }) => e.node);
    expect(
      entries.some((e: Record<string, unknown>) => e.actor === 'staff-042' && e.purpose === 'HOLDER_INQUIRY' && e.identityVerification === 'MYNA_CARD_FACE'),
    ).toBe(true);
    const ats = entries.map((e: Record<string, unknown>) => String(e.at));
    expect([...ats].sort().reverse()).toEqual(ats);
    const again = await gql(graph.gatewayUrl, auditor, ACCESS_LOG, { holderId: demoId(1), first: 1 });
    expect(again.data.accessLog.edges[0].node).toMatchObject({ actor: 'auditor-1', fields: ['accessLog'], purpose: 'AUDIT' });
  });

  it('a supervisor sees the log of their own prefecture only; a clerk not at all', async () => {
    const own = await gql(graph.gatewayUrl, { role: 'SUPERVISOR', prefecture: '13', purpose: 'AUDIT' }, ACCESS_LOG, { holderId: demoId(1) });
    expect(own.data.accessLog.edges.length).toBeGreaterThan(0);
    const other = await gql(graph.gatewayUrl, { role: 'SUPERVISOR', prefecture: '13', purpose: 'AUDIT' }, ACCESS_LOG, { holderId: demoId(12) });
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const clerk = await gql(graph.gatewayUrl, { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'AUDIT' }, ACCESS_LOG, { holderId: demoId(1) });
    expect(clerk.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('myAccessLog shows the holder when, which organisation and role, and why — not who by name', async () => {
    const r = await gql(graph.gatewayUrl, { role: 'MYNA_PORTAL', purpose: 'HOLDER_INQUIRY', verification: 'MYNA_PORTAL_LOGIN' }, MY_ACCESS_LOG, {
      pseudonym: 'demo-pseudonym-0001',
    });
    expect(r.errors).toBeUndefined();
    const nodes = r.data.myAccessLog.edges.map((e: { node: Record<string, unknown> }) => e.node);
    expect(nodes).toContainEqual(expect.objectContaining({ organisation: '警視庁', role: 'COUNTER_STAFF', purpose: 'HOLDER_INQUIRY', action: 'READ' }));
    expect(JSON.stringify(r)).not.toContain('staff-042');
  });
});

describe('R-INQ-1: an access that cannot be recorded is not answered', () => {
  it('R-INQ-1: while the access log refuses writes, the card comes back without the holder’s data; once it accepts them, in full', async () => {
    const db = graph.dbs.driver;
    await db.execute(sql`create function audit.refuse_for_test() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$`);
    await db.execute(sql`create trigger refuse_for_test before insert on audit.access_records for each statement execute function audit.refuse_for_test()`);
    const clerk = { role: 'COUNTER_STAFF', prefecture: '13', subject: 'staff-045', purpose: 'HOLDER_INQUIRY', verification: 'MYNA_CARD_FACE' } as const;
    try {
      const r = await gql(graph.gatewayUrl, clerk, HOLDER_CARD, { id: demoId(1) }, { 'x-request-id': 'unrecorded-0001' });
      expect(r.data?.holder ?? null).toBeNull();
      expect(r.errors?.length).toBeGreaterThan(0);
      for (const e of r.errors!) expect(e.extensions?.code).toMatch(/^[A-Z_]+$/);
      expect(JSON.stringify(r)).not.toContain('山田');
      expect(JSON.stringify(r)).not.toContain('refused for the test');
    } finally {
      await db.execute(sql`drop trigger refuse_for_test on audit.access_records`);
      await db.execute(sql`drop function audit.refuse_for_test()`);
    }
    expect((await all()).driver.filter((x) => x.requestId === 'unrecorded-0001')).toEqual([]);
    const after = await gql(graph.gatewayUrl, clerk, HOLDER_CARD, { id: demoId(1) }, { 'x-request-id': 'recorded-0001' });
    expect(after.data.holder.name).toBe('山田 太郎');
    expect((await all()).driver.filter((x) => x.requestId === 'recorded-0001').length).toBeGreaterThan(0);
    // A failed write leaves no gap: the writer went on in a new chain, and every chain still verifies.
    expect((await verifyAccessLog(db, auditSigner(DEV_ONLY_AUDIT_LOG_KEY))).broken).toBeNull();
  });
});
