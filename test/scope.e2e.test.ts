import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApolloGateway } from '../gateway/apollo-gateway.js';
import { startHiveGateway } from '../gateway/hive-gateway.js';
import type { SubgraphUrls } from '../gateway/supergraph.js';
import { recordingProxies } from '../devkit/recording-proxies.js';
import { parseConfig } from '../lib/platform/config.js';
import { createSubgraphScope } from '../lib/platform/identity/subgraph-scope.js';
import type { RunningService } from '../lib/platform/subgraph-server.js';
import { DEMO_HOLDERS, demoId } from '../seeds/demo-holders.js';
import {
  comparable,
  DIRECT_REQUEST_ID,
  gatewayHeadersFor,
  gql,
  gqlBoth,
  startTestGraph,
  vouchedHolder,
  type Caller,
  type TestGraph,
  testGatewayOptions,
} from './support/graph.js';

/** A request with exactly these headers, straight to a subgraph. */
async function raw(url: string, headers: Record<string, string>, query: string, variables: object) {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, ...((await res.json()) as { data?: any; errors?: { path?: (string | number)[]; extensions?: Record<string, any> }[] }) };
}

const operation = (file: string) => readFileSync(new URL(`../schema/operations/${file}`, import.meta.url), 'utf8');
const HOLDER_CARD = operation('HolderCard.graphql');
const HOLDER_BY_PSEUDONYM = operation('HolderByPseudonym.graphql');
const EXPIRY_NOTICES = operation('ExpiryNotices.graphql');

/** The query of the attack, word for word. */
const ATTACK = `{ consentsExpiring(before: "2099-01-01", first: 20) { edges { node { holder { name birthDate address honseki
portalLink { pseudonym } } } } } }`;

const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'SYSTEM', subject: 'myna-portal' };
const portalInquiry: Caller = { role: 'MYNA_PORTAL', purpose: 'HOLDER_INQUIRY', verification: 'MYNA_PORTAL_LOGIN', subject: 'myna-portal' };
const staff13: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'HOLDER_INQUIRY' };
const admin: Caller = { role: 'NPA_ADMIN' };

/** Every personal value of the demo holders: none may appear in an answer to a caller who may not read it. */
const PERSONAL = DEMO_HOLDERS.flatMap((h) => [h.name, h.address, h.honseki, h.birthDate]);
const personalIn = (answer: unknown, except: string[] = []) => {
  const text = JSON.stringify(answer);
  const found = [...PERSONAL.filter((v) => text.includes(v)), ...(text.match(/demo-pseudonym-\d+/g) ?? [])];
  return [...new Set(found)].filter((v) => !except.includes(v));
};

const codesOf = (r: { errors?: { extensions?: Record<string, any> }[] }) => [...new Set((r.errors ?? []).map((e) => e.extensions?.code))];

let graph: TestGraph;
let consentOf: Map<string, string>;
let pendingImportOf12: string;
beforeAll(async () => {
  graph = await startTestGraph();
  const list = await gql(graph.gatewayUrl, admin, '{ consentsExpiring(before: "2099-01-01", first: 100) { edges { node { id holder { id } } } } }');
  consentOf = new Map(list.data.consentsExpiring.edges.map((e: { node: { id: string; holder: { id: string } } }) => [e.node.holder.id, e.node.id]));
  const imports = await gql(graph.gatewayUrl, admin, `{ holder(id: "${demoId(12)}") { recordImports { id } } }`);
  pendingImportOf12 = imports.data.holder.recordImports[0].id;
});
afterAll(async () => {
  await graph?.close();
});

/** Through the serving gateway and the oracle; both must give the same answer. */
async function ask(caller: Caller, query: string, variables: Record<string, unknown> = {}) {
  const { served, oracle } = await gqlBoth(graph, caller, query, variables);
  expect(comparable(served)).toEqual(comparable(oracle));
  expect(served.status).toBe(oracle.status);
  return served;
}

describe('issue 15.1: Myna Portal reaches only the holders its request names by pseudonym', () => {
  it('security (issue 15.1): the attack query as MYNA_PORTAL answers no name, birth date, address, 本籍 or pseudonym of any holder: FORBIDDEN on each holder', async () => {
    const r = await ask(portal, ATTACK);
    const edges = r.data.consentsExpiring.edges as { node: { holder: unknown } }[];
    // Consenting holders of both prefectures are listed, and not one holder is answered.
    expect(edges.length).toBeGreaterThanOrEqual(4);
    expect(edges.every((e) => e.node.holder === null)).toBe(true);
    expect(r.errors).toHaveLength(edges.length);
    for (const e of r.errors!) {
      expect(e.extensions?.code).toBe('FORBIDDEN');
      expect(e.path?.at(-1)).toBe('holder');
    }
    expect(personalIn(r)).toEqual([]);
    // NPA_ADMIN keeps the full list.
    const npa = await ask(admin, ATTACK);
    expect(npa.errors).toBeUndefined();
    expect(npa.data.consentsExpiring.edges.map((e: { node: { holder: { name: string } } }) => e.node.holder.name)).toEqual(
      expect.arrayContaining(['山田 太郎', '吉田 拓也']),
    );
  });

  it("R-ONE-2: Myna Portal's expiry notice gives the pseudonym, items and last day of each consent, and nothing of the record", async () => {
    const r = await ask(portal, EXPIRY_NOTICES, { before: '2099-01-01', first: 50 });
    expect(r.errors).toBeUndefined();
    const nodes = r.data.consentsExpiring.edges.map((e: { node: Record<string, unknown> }) => e.node) as {
      pseudonym: string | null;
      items: string[];
      expiresOn: string;
    }[];
    // Linked holders of every prefecture by pseudonym; a holder never linked (demo 4) has none to be notified by.
    expect(nodes).toContainEqual(expect.objectContaining({ pseudonym: 'demo-pseudonym-0001', items: ['ADDRESS', 'NAME'], expiresOn: '2035-04-01' }));
    expect(nodes).toContainEqual(expect.objectContaining({ pseudonym: 'demo-pseudonym-0012', items: ['ADDRESS'] }));
    expect(nodes.some((n) => n.pseudonym === null)).toBe(true);
    expect(personalIn(nodes.map(({ items, expiresOn }) => ({ items, expiresOn })))).toEqual([]);
    // What the notice does not need is not given, for a consent whose holder the request does not name.
    for (const field of ['channel', 'consentedAt', 'termsVersion', 'followedCertificate { serialNumber }']) {
      const more = await ask(portal, `{ consentsExpiring(before: "2099-01-01") { edges { node { id ${field} } } } }`);
      expect(codesOf(more)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(more)).not.toContain('DE00');
    }
  });

  it('security (issue 15.1): holderByPseudonym for a linked holder still answers the whole card, of any prefecture', async () => {
    const r = await ask(portalInquiry, HOLDER_BY_PSEUDONYM, { pseudonym: 'demo-pseudonym-0001' });
    expect(r.errors).toBeUndefined();
    expect(r.data.holderByPseudonym).toMatchObject({
      id: demoId(1),
      name: '山田 太郎',
      holdingForm: 'MYNA_LICENSE_ONLY',
      eligibility: { honsekiOnlineChange: { eligible: true, reasons: [] }, addressOneStop: { eligible: true } },
      portalLink: { pseudonym: 'demo-pseudonym-0001' },
      addressOneStopConsent: { items: ['ADDRESS', 'NAME'], status: 'ACTIVE' },
    });
    const detail = `${operation('HolderDetail.graphql').replace(/query HolderDetailById[\s\S]*$/, '')}
      query($p: String!) { holderByPseudonym(pseudonym: $p) { ...HolderDetail } }`;
    const osaka = await ask(portalInquiry, detail, { p: 'demo-pseudonym-0012' });
    expect(osaka.errors).toBeUndefined();
    expect(osaka.data.holderByPseudonym).toMatchObject({ name: '吉田 拓也', honseki: '大阪府大阪市中央区大手前二丁目1番', residencePrefecture: '27' });
    expect(osaka.data.holderByPseudonym.recordImports).toHaveLength(1);
  });

  it('security (issue 15.1): a Myna Portal request naming pseudonym A reaches holder A and no other holder, through any path', async () => {
    const query = `query($p: String!) {
      holderByPseudonym(pseudonym: $p) { name addressOneStopConsent { holder { name } } recordImports { holder { name honseki } } }
      consentsExpiring(before: "2099-01-01", first: 50) { edges { node { expiresOn holder { id name } } } } }`;
    const r = await ask(portalInquiry, query, { p: 'demo-pseudonym-0012' });
    expect(r.data.holderByPseudonym).toEqual({
      name: '吉田 拓也',
      addressOneStopConsent: { holder: { name: '吉田 拓也' } },
      recordImports: [{ holder: { name: '吉田 拓也', honseki: '大阪府大阪市中央区大手前二丁目1番' } }],
    });
    const edges = r.data.consentsExpiring.edges as { node: { holder: { id: string } | null } }[];
    expect(edges.filter((e) => e.node.holder !== null).map((e) => e.node.holder)).toEqual([{ id: demoId(12), name: '吉田 拓也' }]);
    expect(r.errors!.length).toBe(edges.length - 1);
    expect(codesOf(r)).toEqual(['FORBIDDEN']);
    expect(personalIn(r, ['吉田 拓也', '大阪府大阪市中央区大手前二丁目1番'])).toEqual([]);
  });

  it("security (issue 15.1): each subgraph's _entities answers Myna Portal only for the holders its token's signed scope names", async () => {
    const holderQuery = (fields: string) => `query($r:[_Any!]!){_entities(representations:$r){... on Holder{${fields}}}}`;
    const scoped = (subgraph: string) => gatewayHeadersFor(portalInquiry, subgraph, [demoId(12)]);
    const driver = await raw(graph.subgraphUrls.driver, await scoped('driver'), holderQuery('name'), {
      r: [
        { __typename: 'Holder', id: demoId(12) },
        { __typename: 'Holder', id: demoId(1) },
      ],
    });
    expect(driver.data._entities).toEqual([{ name: '吉田 拓也' }, null]);
    expect(driver.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['_entities', 1], 'FORBIDDEN']]);
    const reps = { r: [vouchedHolder(demoId(12), '27'), vouchedHolder(demoId(1), '13')] };
    const consent = await raw(graph.subgraphUrls.consent, await scoped('consent'), holderQuery('addressOneStopConsent{status}'), reps);
    expect(consent.data._entities).toEqual([{ addressOneStopConsent: { status: 'ACTIVE' } }, { addressOneStopConsent: null }]);
    expect(codesOf(consent)).toEqual(['FORBIDDEN']);
    const portalLink = await raw(graph.subgraphUrls['portal-link'], await scoped('portal-link'), holderQuery('portalLink{pseudonym}'), reps);
    expect(portalLink.data._entities).toEqual([{ portalLink: { pseudonym: 'demo-pseudonym-0012' } }, { portalLink: null }]);
    expect(codesOf(portalLink)).toEqual(['FORBIDDEN']);
    // A consent by its key: only one of a holder in scope.
    const consentQuery = 'query($r:[_Any!]!){_entities(representations:$r){... on Consent{items holder{id}}}}';
    const byKey = await raw(graph.subgraphUrls.consent, await scoped('consent'), consentQuery, {
      r: [
        { __typename: 'Consent', id: consentOf.get(demoId(12)) },
        { __typename: 'Consent', id: consentOf.get(demoId(1)) },
      ],
    });
    expect(byKey.data._entities).toEqual([{ items: ['ADDRESS'], holder: { id: demoId(12) } }, null]);
    // A Myna Portal token the gateway signed no scope into reaches nobody.
    const unscoped = await raw(graph.subgraphUrls.driver, await gatewayHeadersFor(portalInquiry, 'driver'), holderQuery('name'), {
      r: [{ __typename: 'Holder', id: demoId(12) }],
    });
    expect(unscoped.data._entities).toEqual([null]);
    expect(codesOf(unscoped)).toEqual(['FORBIDDEN']);
  });
  it('security (issue 15.1): holderByPseudonym, myAccessLog and an import by its key answer Myna Portal only within its signed scope', async () => {
    const scopedTo12 = (subgraph: string) => gatewayHeadersFor(portalInquiry, subgraph, [demoId(12)]);
    const byPseudonym = 'query($p: String!) { holderByPseudonym(pseudonym: $p) { id } }';
    const own = await raw(graph.subgraphUrls['portal-link'], await scopedTo12('portal-link'), byPseudonym, { p: 'demo-pseudonym-0012' });
    expect(own.data.holderByPseudonym).toEqual({ id: demoId(12) });
    const other = await raw(graph.subgraphUrls['portal-link'], await scopedTo12('portal-link'), byPseudonym, { p: 'demo-pseudonym-0001' });
    expect(other.data?.holderByPseudonym ?? null).toBeNull();
    expect(codesOf(other)).toEqual(['FORBIDDEN']);
    const log = await raw(
      graph.subgraphUrls['portal-link'],
      await scopedTo12('portal-link'),
      'query($p: String!) { myAccessLog(pseudonym: $p) { edges { cursor } } }',
      {
        p: 'demo-pseudonym-0001',
      },
    );
    expect(codesOf(log)).toEqual(['FORBIDDEN']);
    const importQuery = 'query($r:[_Any!]!){_entities(representations:$r){... on RecordImport{newValue}}}';
    const mine = await raw(graph.subgraphUrls.driver, await scopedTo12('driver'), importQuery, { r: [{ __typename: 'RecordImport', id: pendingImportOf12 }] });
    expect(mine.data._entities).toEqual([{ newValue: '大阪府大阪市北区中之島1丁目3-20' }]);
    const notMine = await raw(graph.subgraphUrls.driver, await gatewayHeadersFor(portalInquiry, 'driver', [demoId(1)]), importQuery, {
      r: [{ __typename: 'RecordImport', id: pendingImportOf12 }],
    });
    expect(notMine.data._entities).toEqual([null]);
    expect(codesOf(notMine)).toEqual(['FORBIDDEN']);
  });
});

describe('issue 15.1: what the subgraphs tell each other stays between them', () => {
  it.each([
    [`{ holder(id: "${demoId(1)}") { accessScope } }`, admin],
    ['{ consentsExpiring(before: "2099-01-01") { edges { node { noticeScope } } } }', admin],
    ['{ linkedPseudonyms(pseudonyms: ["demo-pseudonym-0001"]) { holderId } }', portal],
  ] as const)('security (issue 15.1): %s is not in the API, on either engine', async (query, caller) => {
    const r = await ask(caller, query);
    expect(r.status).toBe(400);
    expect(codesOf(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(r)).not.toMatch(/demoId|11111111-1111|\.[A-Za-z0-9_-]{22}"/);
  });

  it("security (issue 15.1): portal-link answers which holders pseudonyms name to the gateway's own identity only", async () => {
    const query = 'query($p: [String!]!) { linkedPseudonyms(pseudonyms: $p) { holderId } }';
    for (const caller of [portal, admin, { role: 'SERVICE' as const }]) {
      const r = await raw(graph.subgraphUrls['portal-link'], await gatewayHeadersFor(caller, 'portal-link'), query, { p: ['demo-pseudonym-0001'] });
      expect(r.data).toBeNull();
      expect(codesOf(r)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('issue 15.1: staff reach their own prefecture only, on every path', () => {
  it('security (issue 15.1): staff of prefecture 13 cannot reach a holder of 27 through RecordImport.holder, Consent.holder or entity fetches', async () => {
    const imports = await ask(staff13, '{ recordImports(filter: {}, first: 100) { edges { node { id holder { id residencePrefecture } } } } }');
    expect(imports.errors).toBeUndefined();
    expect(imports.data.recordImports.edges.length).toBeGreaterThan(0);
    expect(
      imports.data.recordImports.edges.every((e: { node: { holder: { residencePrefecture: string } } }) => e.node.holder.residencePrefecture === '13'),
    ).toBe(true);
    expect(codesOf(await ask(staff13, '{ recordImports(filter: { prefecture: "27" }) { edges { cursor } } }'))).toEqual(['INVALID_INPUT']);

    const direct = async (subgraph: keyof TestGraph['subgraphUrls'], query: string, r: object[]) =>
      raw(graph.subgraphUrls[subgraph], await gatewayHeadersFor(staff13, subgraph), query, { r });
    const importHolder = await direct('driver', 'query($r:[_Any!]!){_entities(representations:$r){... on RecordImport{newValue holder{name}}}}', [
      { __typename: 'RecordImport', id: pendingImportOf12 },
    ]);
    expect(importHolder.data._entities).toEqual([null]);
    expect(codesOf(importHolder)).toEqual(['FORBIDDEN']);
    const consentHolder = await direct('consent', 'query($r:[_Any!]!){_entities(representations:$r){... on Consent{items holder{id}}}}', [
      { __typename: 'Consent', id: consentOf.get(demoId(12)) },
    ]);
    expect(consentHolder.data._entities).toEqual([null]);
    expect(codesOf(consentHolder)).toEqual(['FORBIDDEN']);
    const holder = await direct('driver', 'query($r:[_Any!]!){_entities(representations:$r){... on Holder{name}}}', [{ __typename: 'Holder', id: demoId(12) }]);
    expect(holder.data._entities).toEqual([null]);
    for (const [subgraph, field] of [
      ['consent', 'addressOneStopConsent{status}'],
      ['portal-link', 'signatureCertificate{status}'],
    ] as const) {
      const r = await direct(subgraph, `query($r:[_Any!]!){_entities(representations:$r){... on Holder{${field}}}}`, [vouchedHolder(demoId(12), '27')]);
      expect(JSON.stringify(r.data)).not.toMatch(/ACTIVE|VALID/);
      expect(codesOf(r)).toEqual(['FORBIDDEN']);
    }
    expect(personalIn([importHolder, consentHolder, holder])).toEqual([]);
  });

  it('security (issue 15.7): a representation forged straight to consent or portal-link, with a valid gateway token, is refused whatever prefecture or scope it claims', async () => {
    const forger = createSubgraphScope(parseConfig({ NODE_ENV: 'test', SUBGRAPH_SCOPE_KEY: 'a-key-the-attacker-made-up-for-this-test' }));
    const genuine = vouchedHolder(demoId(12), '27');
    const forged = [
      // What the subgraphs trusted before: the prefecture as the representation states it.
      { __typename: 'Holder', id: demoId(12), residencePrefecture: '13' },
      { ...genuine, residencePrefecture: '13' },
      { ...genuine, accessScope: genuine.accessScope.replace(/^27/, '13') },
      { ...genuine, accessScope: vouchedHolder(demoId(1), '13').accessScope },
      { ...genuine, accessScope: vouchedHolder(demoId(12), '13', 'another-request').accessScope },
      { ...genuine, accessScope: forger.vouchForHolder(demoId(12), '13', DIRECT_REQUEST_ID) },
    ];
    for (const [subgraph, field] of [
      ['consent', 'addressOneStopConsent{status} addressOneStopConsentRead'],
      ['portal-link', 'portalLink{linkedAt} signatureCertificate{status}'],
    ] as const) {
      const headers = await gatewayHeadersFor(staff13, subgraph);
      const r = await raw(graph.subgraphUrls[subgraph], headers, `query($r:[_Any!]!){_entities(representations:$r){... on Holder{${field}}}}`, { r: forged });
      // Each forged holder is answered with nothing: every field null with FORBIDDEN.
      expect(r.data._entities, subgraph).toHaveLength(forged.length);
      for (const entity of r.data._entities) expect(Object.values(entity ?? {}).every((v) => v === null)).toBe(true);
      expect(r.errors!.length).toBe(forged.length * field.split(' ').length);
      expect(codesOf(r)).toEqual(['FORBIDDEN']);
      // The same call with what the driver vouched for a holder of the caller's prefecture is answered.
      const ok = await raw(graph.subgraphUrls[subgraph], headers, `query($r:[_Any!]!){_entities(representations:$r){... on Holder{${field}}}}`, {
        r: [vouchedHolder(demoId(1), '13')],
      });
      expect(ok.errors, subgraph).toBeUndefined();
    }

    // The pseudonym of a consent: only for the holder the consent subgraph vouched for.
    const scope = createSubgraphScope(parseConfig({ NODE_ENV: 'test' }));
    const c12 = consentOf.get(demoId(12))!;
    const c1 = consentOf.get(demoId(1))!;
    const pseudonymOf = async (rep: object) =>
      raw(
        graph.subgraphUrls['portal-link'],
        await gatewayHeadersFor(portal, 'portal-link', []),
        'query($r:[_Any!]!){_entities(representations:$r){... on Consent{pseudonym}}}',
        { r: [rep] },
      );
    for (const noticeScope of [
      undefined,
      scope.vouchForConsent(c1, demoId(1), DIRECT_REQUEST_ID),
      scope.vouchForConsent(c12, demoId(1), DIRECT_REQUEST_ID).replace(demoId(1), demoId(12)),
      forger.vouchForConsent(c12, demoId(12), DIRECT_REQUEST_ID),
    ]) {
      const r = await pseudonymOf({ __typename: 'Consent', id: c12, noticeScope });
      expect(r.data._entities).toEqual([{ pseudonym: null }]);
      expect(codesOf(r)).toEqual(['FORBIDDEN']);
    }
    const ok = await pseudonymOf({ __typename: 'Consent', id: c12, noticeScope: scope.vouchForConsent(c12, demoId(12), DIRECT_REQUEST_ID) });
    expect(ok.data._entities).toEqual([{ pseudonym: 'demo-pseudonym-0012' }]);
  });
});

describe('issue 15.7: a denied pseudonym read is recorded as DENIED', () => {
  const ACCESS_LOG = `query($id: ID!) { accessLog(holderId: $id, first: 100) { edges { node { requestId service outcome fields } } } }`;

  it.each(['hive', 'apollo'] as const)(
    'security (issue 15.7): through the %s engine, a clerk’s card is recorded ALLOWED for the link and DENIED for its pseudonym',
    async (engine) => {
      const url = engine === 'hive' ? graph.gatewayUrl : graph.oracleUrl;
      const requestId = `pseudonym-denied-${engine}`;
      const r = await gql(url, staff13, HOLDER_CARD, { id: demoId(1) }, { 'x-request-id': requestId });
      expect(r.data.holder.portalLink).toMatchObject({ pseudonym: null });
      expect(codesOf(r)).toEqual(['FORBIDDEN']);
      const log = await gql(url, { role: 'AUDITOR', purpose: 'AUDIT' }, ACCESS_LOG, { id: demoId(1) });
      const mine = log.data.accessLog.edges.map((e: { node: Record<string, any> }) => e.node).filter((n: { requestId: string }) => n.requestId === requestId);
      const portalLink = mine.filter((n: { service: string }) => n.service === 'portal-link');
      expect(portalLink.filter((n: { outcome: string }) => n.outcome === 'DENIED').map((n: { fields: string[] }) => n.fields)).toEqual([
        ['portalLink.pseudonym'],
      ]);
      const allowed = portalLink.filter((n: { outcome: string }) => n.outcome === 'ALLOWED').flatMap((n: { fields: string[] }) => n.fields);
      expect(allowed).toContain('portalLink');
      expect(allowed).not.toContain('portalLink.pseudonym');
      // A supervisor may read it: the same field is then recorded as ALLOWED.
      const sup = `${requestId}-supervisor`;
      await gql(url, { role: 'SUPERVISOR', prefecture: '13' }, HOLDER_CARD, { id: demoId(1) }, { 'x-request-id': sup });
      const again = await gql(url, { role: 'AUDITOR', purpose: 'AUDIT' }, ACCESS_LOG, { id: demoId(1) });
      const supervisor = again.data.accessLog.edges
        .map((e: { node: Record<string, any> }) => e.node)
        .filter((n: { requestId: string; service: string }) => n.requestId === sup && n.service === 'portal-link');
      expect(supervisor.map((n: { outcome: string }) => n.outcome)).toEqual(['ALLOWED']);
      expect(supervisor[0].fields).toContain('portalLink.pseudonym');
    },
  );
});

describe('issue 15.1: what the scope costs', () => {
  let proxies: Awaited<ReturnType<typeof recordingProxies>>;
  const gateways: Record<'hive' | 'apollo', RunningService> = {} as never;
  beforeAll(async () => {
    proxies = await recordingProxies(graph.subgraphUrls);
    const opts = await testGatewayOptions(proxies.urls as SubgraphUrls);
    gateways.hive = await startHiveGateway(opts);
    gateways.apollo = await startApolloGateway(opts);
  });
  afterAll(async () => {
    for (const g of Object.values(gateways)) await g?.stop();
    proxies?.close();
  });
  const callsFor = async (engine: 'hive' | 'apollo', caller: Caller, query: string, variables: object) => {
    proxies.calls.length = 0;
    const r = await gql(gateways[engine].url, caller, query, variables as Record<string, unknown>);
    expect(r.errors).toBeUndefined();
    return proxies.calls.map((c) => `${c.subgraph}${c.body.includes('linkedPseudonyms') ? ':linkedPseudonyms' : ''}`);
  };

  it.each(['hive', 'apollo'] as const)(
    "security: through %s, staff pay nothing for Myna Portal's scope, and the HolderCard keeps its plan; Myna Portal's pseudonym is looked up once, then kept",
    async (engine) => {
      // The HolderCard: the driver, then consent and portal-link beside each other, then the driver for eligibility.
      const card = await callsFor(engine, { role: 'SUPERVISOR', prefecture: '13' }, HOLDER_CARD, { id: demoId(1) });
      expect(card[0]).toBe('driver');
      expect(card.slice(1, 3).sort()).toEqual(['consent', 'portal-link']);
      expect(card.slice(3)).toEqual(['driver']);
      const pseudonym = engine === 'hive' ? 'demo-pseudonym-0002' : 'demo-pseudonym-0008';
      const first = await callsFor(engine, portalInquiry, HOLDER_BY_PSEUDONYM, { pseudonym });
      expect(first[0]).toBe('portal-link:linkedPseudonyms');
      expect(first.slice(1).filter((c) => c.endsWith(':linkedPseudonyms'))).toEqual([]);
      const again = await callsFor(engine, portalInquiry, HOLDER_BY_PSEUDONYM, { pseudonym });
      expect(again).toEqual(first.slice(1));
    },
  );
});

describe('issue 15.1: when the links cannot be read', () => {
  it('security (issue 15.1): with portal-link down, a Myna Portal request is refused SERVICE_UNAVAILABLE on both engines, never answered with a wider scope; staff are answered as before', async () => {
    await graph.stopSubgraph('portal-link');
    try {
      const r = await ask(portalInquiry, HOLDER_BY_PSEUDONYM, { pseudonym: 'demo-pseudonym-0009' });
      expect(r.data ?? null).toBeNull();
      expect(codesOf(r)).toEqual(['SERVICE_UNAVAILABLE']);
      // (How each engine answers the parts it could not fetch is outage.e2e's; here: the card is still answered.)
      const staff = await gql(graph.gatewayUrl, { role: 'SUPERVISOR', prefecture: '13' }, HOLDER_CARD, { id: demoId(1) });
      expect(staff.data.holder.name).toBe('山田 太郎');
    } finally {
      await graph.restartSubgraph('portal-link');
    }
    const back = await ask(portalInquiry, HOLDER_BY_PSEUDONYM, { pseudonym: 'demo-pseudonym-0009' });
    expect(back.errors).toBeUndefined();
    expect(back.data.holderByPseudonym.id).toBe(demoId(9));
  });
});
