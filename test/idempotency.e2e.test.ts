import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type Caller, type TestGraph } from './support/graph.js';

const REGISTER = readFileSync(new URL('../schema/operations/RegisterHolder.graphql', import.meta.url), 'utf8');
const REVOKE = readFileSync(new URL('../schema/operations/RevokeAddressOneStopConsent.graphql', import.meta.url), 'utf8');
const supervisor: Caller = { role: 'SUPERVISOR', prefecture: '13', subject: 'sup-idem', purpose: 'COUNTER_PROCEDURE' };
const input = (licenseNumber: string) => ({
  licenseNumber,
  name: '冪等 太郎',
  birthDate: '1991-01-01',
  address: '東京都千代田区1-1',
  honseki: '東京都千代田区1番',
  residencePrefecture: '13',
  cards: ['MYNA_LICENSE'],
});

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const ENGINES = ['hive', 'apollo'] as const;
const urlOf = (engine: (typeof ENGINES)[number]) => (engine === 'hive' ? graph.gatewayUrl : graph.oracleUrl);
const codes = (r: { errors?: { extensions?: Record<string, any> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
const keyed = (url: string, caller: Caller, query: string, variables: Record<string, unknown>, key: string, requestId?: string) =>
  gql(url, caller, query, variables, { 'idempotency-key': key, ...(requestId ? { 'x-request-id': requestId } : {}) });

/** The access log of one holder for one request, as an auditor reads it. */
async function recordsOf(holderId: string, requestId: string) {
  const r = await gql(
    graph.gatewayUrl,
    { role: 'AUDITOR', purpose: 'AUDIT' },
    `query($id: ID!) { accessLog(holderId: $id, first: 100) {
    edges { node { requestId service action outcome fields role } } } }`,
    { id: holderId },
  );
  return r.data.accessLog.edges.map((e: { node: Record<string, any> }) => e.node).filter((n: { requestId: string }) => n.requestId === requestId);
}

const setPrefecture = (holderId: string, prefecture: string) =>
  graph.dbs.driver.execute(sql`update driver.holders set residence_prefecture = ${prefecture} where id = ${holderId}`);

describe('Idempotency-Key on mutations', () => {
  it('a retried mutation with the same key gets the stored answer and runs once; another payload is refused', async () => {
    for (const url of [graph.gatewayUrl, graph.oracleUrl]) {
      const key = `key-${url.length}-${Math.random()}`;
      const number = url === graph.gatewayUrl ? '311111111111' : '322222222222';
      const first = await gql(url, supervisor, REGISTER, { input: input(number) }, { 'idempotency-key': key });
      expect(first.data.registerHolder.userErrors).toEqual([]);
      const retry = await gql(url, supervisor, REGISTER, { input: input(number) }, { 'idempotency-key': key });
      expect(retry).toEqual(first);
      const other = await gql(url, supervisor, REGISTER, { input: input('399999999999') }, { 'idempotency-key': key });
      expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      const byNumber = await gql(url, { role: 'NPA_ADMIN' }, '{a: holder(licenseNumber:"399999999999"){id}}');
      expect(byNumber.data.a).toBeNull();
      // Without the key the same payload runs again, and is refused as a duplicate by the domain.
      const again = await gql(url, supervisor, REGISTER, { input: input(number) });
      expect(again.data.registerHolder.userErrors.map((e: { code: string }) => e.code)).toEqual(['LICENSE_NUMBER_TAKEN']);
    }
  });

  it("another caller using the same key is not given the first caller's answer", async () => {
    const key = 'shared-key-0001';
    const a = await gql(graph.gatewayUrl, supervisor, REGISTER, { input: input('333333333333') }, { 'idempotency-key': key });
    const b = await gql(graph.gatewayUrl, { ...supervisor, subject: 'sup-other' }, REGISTER, { input: input('344444444444') }, { 'idempotency-key': key });
    expect(a.data.registerHolder.holder.licenseNumber).toBe('333333333333');
    expect(b.data.registerHolder.holder.licenseNumber).toBe('344444444444');
  });
});

describe('issue 15.4: a stored answer is given again only as the first one was given', () => {
  it.each(ENGINES)(
    'security (issue 15.4): through %s, the same subject under another role, prefecture, purpose or identity verification gets IDEMPOTENCY_KEY_REUSED, never the stored answer',
    async (engine) => {
      const url = urlOf(engine);
      const key = `who-${engine}`;
      const number = engine === 'hive' ? '355555555551' : '355555555552';
      const first = await keyed(url, supervisor, REGISTER, { input: input(number) }, key);
      expect(first.data.registerHolder.userErrors).toEqual([]);
      for (const other of [
        { ...supervisor, role: 'NPA_ADMIN' as const, prefecture: null },
        { ...supervisor, prefecture: '27' },
        { ...supervisor, purpose: 'IMPORT_CORRECTION' },
        { ...supervisor, verification: 'DRIVING_LICENCE_FACE' },
      ]) {
        const r = await keyed(url, other, REGISTER, { input: input(number) }, key);
        expect(codes(r)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
        expect(JSON.stringify(r)).not.toMatch(/冪等|千代田|355555/);
      }
      expect(await keyed(url, supervisor, REGISTER, { input: input(number) }, key)).toEqual(first);
    },
  );

  it.each(ENGINES)(
    'security (issue 15.4): through %s, a replay is authorized again: once the holder has left the caller’s prefecture it is FORBIDDEN and recorded DENIED; while in scope it is recorded as a READ',
    async (engine) => {
      const url = urlOf(engine);
      // Written by the driver, answered with the new holder.
      const number = engine === 'hive' ? '366666666661' : '366666666662';
      const key = `scope-driver-${engine}`;
      const first = await keyed(url, supervisor, REGISTER, { input: input(number) }, key, `scope-driver-1-${engine}`);
      const holderId = first.data.registerHolder.holder.id as string;
      const replay = await keyed(url, supervisor, REGISTER, { input: input(number) }, key, `scope-driver-2-${engine}`);
      expect(replay).toEqual(first);
      expect(await recordsOf(holderId, `scope-driver-2-${engine}`)).toEqual([
        expect.objectContaining({ service: 'driver', action: 'READ', outcome: 'ALLOWED', fields: expect.arrayContaining(['name', 'address', 'honseki']) }),
      ]);
      await setPrefecture(holderId, '27');
      const moved = await keyed(url, supervisor, REGISTER, { input: input(number) }, key, `scope-driver-3-${engine}`);
      expect(codes(moved)).toEqual(['FORBIDDEN']);
      expect(moved.data ?? null).toBeNull();
      expect(await recordsOf(holderId, `scope-driver-3-${engine}`)).toEqual([
        expect.objectContaining({ service: 'driver', action: 'READ', outcome: 'DENIED' }),
      ]);

      // Written by the consent subgraph, which knows the holder by id only: the driver decides through the gateway.
      const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', subject: `clerk-idem-${engine}`, purpose: 'COUNTER_PROCEDURE' };
      const holder = demoId(engine === 'hive' ? 1 : 4);
      const revokeKey = `scope-consent-${engine}`;
      const revoked = await keyed(url, clerk, REVOKE, { input: { holderId: holder } }, revokeKey, `scope-consent-1-${engine}`);
      expect(revoked.data.revokeAddressOneStopConsent).toMatchObject({ userErrors: [], consent: { status: 'REVOKED' } });
      expect(await keyed(url, clerk, REVOKE, { input: { holderId: holder } }, revokeKey, `scope-consent-2-${engine}`)).toEqual(revoked);
      expect(await recordsOf(holder, `scope-consent-2-${engine}`)).toContainEqual(
        expect.objectContaining({ service: 'consent', action: 'READ', outcome: 'ALLOWED' }),
      );
      await setPrefecture(holder, '27');
      try {
        const out = await keyed(url, clerk, REVOKE, { input: { holderId: holder } }, revokeKey, `scope-consent-3-${engine}`);
        expect(codes(out)).toEqual(['FORBIDDEN']);
        expect(await recordsOf(holder, `scope-consent-3-${engine}`)).toContainEqual(
          expect.objectContaining({ service: 'consent', action: 'READ', outcome: 'DENIED', fields: ['addressOneStopConsent'] }),
        );
      } finally {
        await setPrefecture(holder, '13');
      }
    },
  );

  it.each(ENGINES)('security (issue 15.4): through %s, Myna Portal’s replay for the holder its request names is answered and recorded', async (engine) => {
    const url = urlOf(engine);
    const portal: Caller = { role: 'MYNA_PORTAL', subject: 'myna-portal', purpose: 'COUNTER_PROCEDURE' };
    const n = engine === 'hive' ? 2 : 12;
    const variables = { input: { pseudonym: `demo-pseudonym-${String(n).padStart(4, '0')}` } };
    const first = await keyed(url, portal, REVOKE, variables, `portal-${engine}`, `portal-1-${engine}`);
    expect(first.data.revokeAddressOneStopConsent.userErrors).toEqual([]);
    expect(await keyed(url, portal, REVOKE, variables, `portal-${engine}`, `portal-2-${engine}`)).toEqual(first);
    expect(await recordsOf(demoId(n), `portal-2-${engine}`)).toEqual([
      expect.objectContaining({ service: 'consent', action: 'READ', outcome: 'ALLOWED', role: 'MYNA_PORTAL' }),
    ]);
  });

  it.each(ENGINES)(
    'security (issue 15.4): through %s, a key is one request across the graph: on another subgraph or another operation it is IDEMPOTENCY_KEY_REUSED; a request spanning two subgraphs is answered again whole',
    async (engine) => {
      const url = urlOf(engine);
      const key = `graph-wide-${engine}`;
      const number = engine === 'hive' ? '377777777771' : '377777777772';
      const first = await keyed(url, supervisor, REGISTER, { input: input(number) }, key);
      expect(first.data.registerHolder.userErrors).toEqual([]);
      // The same key, the consent subgraph: refused, and nothing revoked.
      const other = await keyed(url, supervisor, REVOKE, { input: { holderId: demoId(engine === 'hive' ? 10 : 11) } }, key);
      expect(codes(other)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      const state = await gql(url, { role: 'NPA_ADMIN' }, `{ holder(id: "${demoId(engine === 'hive' ? 10 : 11)}") { addressOneStopConsent { status } } }`);
      expect(state.data.holder.addressOneStopConsent.status).toBe('ACTIVE');
      // The same key, the same subgraph, another operation.
      const change = await keyed(
        url,
        supervisor,
        'mutation($i: ChangeCardsInput!) { changeCards(input: $i) { userErrors { code } } }',
        { i: { holderId: first.data.registerHolder.holder.id, cards: ['MYNA_HISTORY'] } },
        key,
      );
      expect(codes(change)).toEqual(['IDEMPOTENCY_KEY_REUSED']);

      // One request, two subgraphs' mutations, one key: both run once, and a retry gets both answers again.
      const both = `mutation($c: ChangeCardsInput!, $r: RevokeAddressOneStopConsentInput!) {
        changeCards(input: $c) { holder { cards } userErrors { code } }
        revokeAddressOneStopConsent(input: $r) { consent { status } userErrors { code } } }`;
      const holder = demoId(engine === 'hive' ? 10 : 11);
      const vars = { c: { holderId: holder, cards: ['MYNA_LICENSE'] }, r: { holderId: holder } };
      const once = await keyed(url, supervisor, both, vars, `two-${engine}`);
      expect(once.errors).toBeUndefined();
      expect(once.data.revokeAddressOneStopConsent).toEqual({ consent: { status: 'REVOKED' }, userErrors: [] });
      // Run again, the revocation would be CONSENT_REVOKED: the answer is the stored one.
      expect(await keyed(url, supervisor, both, vars, `two-${engine}`)).toEqual(once);
    },
  );

  it('security (issue 15.4): the key registry is one table for the whole graph, each subgraph’s rows under its own name', async () => {
    const rows = (await graph.dbs.driver.execute(
      sql`select service, count(*)::int as n from idempotency.requests where key like 'two-%' group by service order by service`,
    )) as unknown;
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { service: string; n: number }[];
    expect(list).toEqual([
      { service: 'consent', n: 2 },
      { service: 'driver', n: 2 },
    ]);
  });
});
