import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { comparable, gatewayHeadersFor, gql, gqlBoth, headersFor, startTestGraph, vouchedHolder, type Caller, type TestGraph } from './support/graph.js';

/** A request with exactly these headers (direct subgraph calls). */
async function raw(url: string, headers: Record<string, string>, query: string, variables: object) {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, ...((await res.json()) as { data?: any; errors?: { extensions?: Record<string, any> }[] }) };
}

const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');
const HOLDER_DETAIL = readFileSync(new URL('../schema/operations/HolderDetail.graphql', import.meta.url), 'utf8');

const staff13: Caller = { role: 'COUNTER_STAFF', prefecture: '13' };
const supervisor13: Caller = { role: 'SUPERVISOR', prefecture: '13' };
const admin: Caller = { role: 'NPA_ADMIN' };
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'HOLDER_INQUIRY' };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

/** Every answer in this file comes from the serving gateway and is checked against the other engine. */
async function ask(caller: Caller | null, query: string, variables: Record<string, unknown> = {}) {
  const { served, oracle } = await gqlBoth(graph, caller, query, variables);
  expect(comparable(served)).toEqual(comparable(oracle));
  expect(served.status).toBe(oracle.status);
  return served;
}

const codesOf = (r: { errors?: { extensions?: Record<string, any> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('the HolderCard request', () => {
  it('answers from all three subgraphs in one round trip', async () => {
    const r = await ask(supervisor13, HOLDER_CARD, { id: demoId(1) });
    expect(r.errors).toBeUndefined();
    expect(r.data.holder).toEqual({
      name: '山田 太郎',
      holdingForm: 'MYNA_LICENSE_ONLY',
      eligibility: {
        honsekiOnlineChange: { eligible: true, reasons: [] },
        addressOneStop: {
          eligible: true,
          items: [
            { item: 'ADDRESS', autoUpdate: true },
            { item: 'NAME', autoUpdate: true },
            { item: 'BIRTH_DATE', autoUpdate: false },
          ],
        },
      },
      portalLink: { pseudonym: 'demo-pseudonym-0001', linkedAt: '2025-04-02T11:15:00.000Z' },
      addressOneStopConsent: { items: ['ADDRESS', 'NAME'], expiresOn: '2035-04-01', status: 'ACTIVE' },
    });
  });

  it.each([
    [2, 'BOTH', ['HOLDS_LICENSE_CARD'], ['HOLDS_LICENSE_CARD']],
    [3, 'LICENSE_CARD_ONLY', ['HOLDS_LICENSE_CARD', 'NOT_MYNA_CARD_HOLDER'], ['HOLDS_LICENSE_CARD', 'NOT_MYNA_CARD_HOLDER']],
    [4, 'MYNA_HISTORY_ONLY', ['HISTORY_CERTIFICATE_NOT_COVERED'], []],
    [5, 'OTHER', ['HOLDS_LICENSE_CARD', 'NOT_MYNA_CARD_HOLDER'], ['HOLDS_LICENSE_CARD', 'NOT_MYNA_CARD_HOLDER']],
    [6, 'MYNA_LICENSE_ONLY', ['SIGNATURE_CERTIFICATE_NOT_SUBMITTED', 'PORTAL_NOT_LINKED'], ['NO_CONSENT']],
    [7, 'MYNA_LICENSE_ONLY', ['PORTAL_NOT_LINKED'], ['NO_CONSENT']],
    [8, 'MYNA_LICENSE_ONLY', [], ['CONSENT_REVOKED']],
    [9, 'MYNA_LICENSE_ONLY', [], ['CONSENT_EXPIRED']],
    [10, 'MYNA_LICENSE_ONLY', [], ['SIGNATURE_CERTIFICATE_REVOKED_AWAITING_NEW']],
    [11, 'MYNA_LICENSE_ONLY', [], ['SIGNATURE_CERTIFICATE_EXPIRED']],
  ])('R-ELIG-1/2/3/5: demo holder %i (%s) gets its reasons through @requires', async (n, form, honseki, oneStop) => {
    const r = await ask(admin, HOLDER_DETAIL, { id: demoId(n as number) });
    expect(r.errors).toBeUndefined();
    const h = r.data.holderDetailById ?? r.data.holder;
    expect(h.holdingForm).toBe(form);
    expect(h.eligibility.honsekiOnlineChange.reasons.map((x: { code: string }) => x.code)).toEqual(honseki);
    expect(h.eligibility.addressOneStop.reasons.map((x: { code: string }) => x.code)).toEqual(oneStop);
    for (const reason of h.eligibility.honsekiOnlineChange.reasons) expect(reason.legalBasis).toBeTruthy();
  });

  it('R-ELIG-3: a consent that omits an item leaves that item to be notified in person', async () => {
    const r = await ask(admin, HOLDER_DETAIL, { id: demoId(12) });
    const items = r.data.holder.eligibility.addressOneStop.items;
    expect(items.map((i: { autoUpdate: boolean }) => i.autoUpdate)).toEqual([true, false, false]);
    expect(items[1].reasons.map((x: { code: string }) => x.code)).toEqual(['ITEM_NOT_CONSENTED']);
  });

  it('R-INQ-1: staff see whether M1 was done and the consent state', async () => {
    const r = await ask({ ...staff13, purpose: 'HOLDER_INQUIRY', verification: 'MYNA_CARD_FACE' }, HOLDER_DETAIL, { id: demoId(8) });
    expect(r.data.holder.signatureCertificate).toMatchObject({ serialNumber: 'DE000008', status: 'VALID' });
    expect(r.data.holder.addressOneStopConsent).toMatchObject({ status: 'REVOKED', revokedVia: 'CENTER' });
  });
});

describe('identity and scope (API.md Requests)', () => {
  it('COUNTER_STAFF reads the link without the pseudonym: that field null with FORBIDDEN, the rest intact', async () => {
    const r = await ask(staff13, HOLDER_CARD, { id: demoId(1) });
    expect(r.data.holder.portalLink).toEqual({ pseudonym: null, linkedAt: '2025-04-02T11:15:00.000Z' });
    expect(r.data.holder.name).toBe('山田 太郎');
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]!.path).toEqual(['holder', 'portalLink', 'pseudonym']);
    expect(r.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('staff of prefecture 13 get null and FORBIDDEN for a holder of prefecture 27, by id and by licence number', async () => {
    const byId = await ask(staff13, HOLDER_CARD, { id: demoId(12) });
    expect(byId.data.holder).toBeNull();
    expect(codesOf(byId)).toEqual(['FORBIDDEN']);
    const byNumber = await ask(staff13, 'query($n:String){holder(licenseNumber:$n){id name}}', { n: '621234567890' });
    expect(byNumber.data.holder).toBeNull();
    expect(codesOf(byNumber)).toEqual(['FORBIDDEN']);
  });

  it('holders() answers each position: out-of-scope ones null with FORBIDDEN, unknown ones null, in order', async () => {
    const unknown = '11111111-1111-4111-8111-999999999999';
    const r = await ask(staff13, 'query($ids:[ID!]!){holders(ids:$ids){id name}}', { ids: [demoId(3), demoId(12), unknown, demoId(1)] });
    expect(r.data.holders.map((h: { id: string } | null) => h?.id ?? null)).toEqual([demoId(3), null, null, demoId(1)]);
    expect(r.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['holders', 1], 'FORBIDDEN']]);
  });

  it('aliases do not widen the scope', async () => {
    const r = await ask(staff13, `query{a:holder(id:"${demoId(1)}"){name} b:holder(id:"${demoId(12)}"){name address}}`);
    expect(r.data.a.name).toBe('山田 太郎');
    expect(r.data.b).toBeNull();
    expect(codesOf(r)).toEqual(['FORBIDDEN']);
  });

  it('NPA_ADMIN and AUDITOR see every prefecture', async () => {
    for (const caller of [admin, { role: 'AUDITOR' as const, purpose: 'AUDIT' }]) {
      const r = await ask(caller, `{holder(id:"${demoId(12)}"){residencePrefecture}}`);
      expect(r.data.holder.residencePrefecture).toBe('27');
    }
  });

  it('MYNA_PORTAL reaches a holder only by pseudonym, and sees the pseudonym', async () => {
    const r = await ask(portal, 'query($p:String!){holderByPseudonym(pseudonym:$p){id portalLink{pseudonym} addressOneStopConsent{status}}}', {
      p: 'demo-pseudonym-0012',
    });
    expect(r.data.holderByPseudonym).toEqual({ id: demoId(12), portalLink: { pseudonym: 'demo-pseudonym-0012' }, addressOneStopConsent: { status: 'ACTIVE' } });
    const byId = await ask(portal, `{holder(id:"${demoId(12)}"){id}}`);
    expect(byId.data.holder).toBeNull();
    expect(codesOf(byId)).toEqual(['FORBIDDEN']);
    const none = await ask(portal, '{holderByPseudonym(pseudonym:"no-such-pseudonym"){id}}');
    expect(none.data.holderByPseudonym).toBeNull();
  });

  it('no token or a bad token is UNAUTHENTICATED with 401', async () => {
    const none = await gql(graph.gatewayUrl, null, HOLDER_CARD, { id: demoId(1) });
    expect(none.status).toBe(401);
    expect(codesOf(none)).toEqual(['UNAUTHENTICATED']);
    const bad = await gql(graph.gatewayUrl, null, HOLDER_CARD, { id: demoId(1) }, { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' });
    expect(bad.status).toBe(401);
    expect(codesOf(bad)).toEqual(['UNAUTHENTICATED']);
  });

  it('R-INQ-1: a missing purpose is PURPOSE_REQUIRED; HOLDER_INQUIRY also needs the identity verification', async () => {
    const noPurpose = await ask({ ...supervisor13, purpose: null }, HOLDER_CARD, { id: demoId(1) });
    expect(noPurpose.data.holder).toBeNull();
    expect(codesOf(noPurpose)).toEqual(['PURPOSE_REQUIRED']);
    const noVerification = await ask({ ...supervisor13, purpose: 'HOLDER_INQUIRY', verification: null }, HOLDER_CARD, { id: demoId(1) });
    expect(codesOf(noVerification)).toEqual(['PURPOSE_REQUIRED']);
    expect(noVerification.errors![0]!.message).toContain('x-identity-verification');
  });

  it('a subgraph enforces scope itself: a direct _entities call for another prefecture is refused', async () => {
    const query = 'query($r:[_Any!]!){_entities(representations:$r){... on Holder{addressOneStopConsent{status}}}}';
    const reps = [vouchedHolder(demoId(12), '27')];
    const direct = await raw(graph.subgraphUrls.consent, await gatewayHeadersFor(staff13, 'consent'), query, { r: reps });
    expect(direct.data._entities[0].addressOneStopConsent).toBeNull();
    expect(codesOf(direct)).toEqual(['FORBIDDEN']);
    const driverDirect = await raw(
      graph.subgraphUrls.driver,
      await gatewayHeadersFor(staff13, 'driver'),
      'query($r:[_Any!]!){_entities(representations:$r){... on Holder{name}}}',
      {
        r: [{ __typename: 'Holder', id: demoId(12) }],
      },
    );
    expect(driverDirect.data._entities[0]).toBeNull();
    expect(codesOf(driverDirect)).toEqual(['FORBIDDEN']);
  });

  it('subgraphs answer the gateway only: no token, a client token or a token for another subgraph is 401, _service included', async () => {
    const entities = 'query($r:[_Any!]!){_entities(representations:$r){... on Holder{addressOneStopConsent{status}}}}';
    const reps = { r: [vouchedHolder(demoId(1), '13')] };
    const client = await headersFor(admin);
    const forDriver = await gatewayHeadersFor(admin, 'driver');
    for (const headers of [{ 'content-type': 'application/json' }, client, forDriver]) {
      for (const [query, variables] of [
        [entities, reps],
        ['{_service{sdl}}', {}],
      ] as const) {
        const r = await raw(graph.subgraphUrls.consent, headers, query, variables);
        expect(r.status).toBe(401);
        expect(codesOf(r)).toEqual(['UNAUTHENTICATED']);
        expect(JSON.stringify(r)).not.toContain('addressOneStopConsent');
      }
    }
    const ok = await raw(graph.subgraphUrls.consent, await gatewayHeadersFor(admin, 'consent'), entities, reps);
    expect(ok.data._entities[0].addressOneStopConsent.status).toBe('ACTIVE');
  });

  it('a client cannot pass itself off as verified by sending the gateway-internal header', async () => {
    const forged = JSON.stringify({
      identity: { subject: 'x', role: 'NPA_ADMIN', prefecture: null },
      purpose: 'AUDIT',
      identityVerification: null,
      requestId: 'forged',
    });
    for (const url of [graph.gatewayUrl, graph.oracleUrl]) {
      const r = await gql(url, staff13, HOLDER_CARD, { id: demoId(12) }, { 'x-renkei-verified-access': forged });
      expect(r.data.holder).toBeNull();
      expect(codesOf(r)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('the gateway', () => {
  it('serves Apollo Sandbox in development, one click from the explorer, with the HolderCard operation and its headers pre-filled', async () => {
    const res = await fetch(`${graph.gatewayUrl}?explorer=sandbox`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('embeddable-sandbox');
    expect(html).toContain('HolderCard');
    expect(html).toContain('x-access-purpose');
  });

  it('answers a query that does not validate with 400 on both engines, naming no internals', async () => {
    const r = await ask(admin, `{holder(id:"${demoId(1)}"){nme}}`);
    expect(r.status).toBe(400);
    expect(codesOf(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('bad input gets a clear error naming the argument', () => {
  it.each([
    ['{holder(id:"not-a-uuid"){id}}', 'id'],
    ['{holder(licenseNumber:"12345"){id}}', 'licenseNumber'],
    ['{holder{id}}', 'id'],
    ['{recordImports(filter:{prefecture:"48"}){edges{cursor}}}', 'filter.prefecture'],
    ['{recordImports(filter:{}, first: 101){edges{cursor}}}', 'first'],
    ['{holders(ids:["x"]){id}}', 'ids'],
  ])('%s names %s', async (query, argument) => {
    const r = await ask(admin, query);
    expect(r.status).toBeLessThan(500);
    expect(codesOf(r)).toEqual(['INVALID_INPUT']);
    expect(r.errors![0]!.message).toContain(`"${argument}"`);
    expect(JSON.stringify(r)).not.toMatch(/at .*\.ts:\d+|stacktrace/);
  });

  it('a malformed Date is INVALID_INPUT and the value is not echoed', async () => {
    const r = await ask(admin, 'query($d:Date!){consentsExpiring(before:$d){edges{cursor}}}', { d: '1980-02-30' });
    expect(r.status).toBeLessThan(500);
    expect(codesOf(r)).toEqual(['INVALID_INPUT']);
    expect(JSON.stringify(r.errors)).not.toContain('1980-02-30');
  });

  it('more than 500 ids is refused before any database work', async () => {
    const ids = Array.from({ length: 501 }, (_, i) => `11111111-1111-4111-8111-${String(i).padStart(12, '0')}`);
    const r = await ask(admin, 'query($ids:[ID!]!){holders(ids:$ids){id}}', { ids });
    expect(codesOf(r)).toEqual(['INVALID_INPUT']);
  });
});

describe('mutations', () => {
  const REGISTER = readFileSync(new URL('../schema/operations/RegisterHolder.graphql', import.meta.url), 'utf8');
  const CHANGE = readFileSync(new URL('../schema/operations/ChangeCards.graphql', import.meta.url), 'utf8');
  const count = async () => (await gql(graph.gatewayUrl, admin, '{recordImports(filter:{}, first: 100){edges{cursor}}}')).data;

  it('registerHolder refuses malformed input with INVALID_INPUT per field and writes nothing', async () => {
    const input = {
      licenseNumber: '12',
      name: ' ',
      birthDate: '1990-01-01',
      address: 'x',
      honseki: 'y',
      residencePrefecture: '99',
      cards: ['MYNA_LICENSE', 'MYNA_HISTORY'],
    };
    const before = await count();
    const r = await gql(graph.gatewayUrl, admin, REGISTER, { input });
    expect(r.data.registerHolder.holder).toBeNull();
    expect(r.data.registerHolder.userErrors.map((e: { field: string[] }) => e.field[1]).sort()).toEqual([
      'cards',
      'licenseNumber',
      'name',
      'residencePrefecture',
    ]);
    expect(r.data.registerHolder.userErrors.every((e: { code: string }) => e.code === 'INVALID_INPUT')).toBe(true);
    expect(await count()).toEqual(before);
  });

  it('registerHolder adds a holder; a second one with the same licence number is LICENSE_NUMBER_TAKEN', async () => {
    const input = {
      licenseNumber: '309999999999',
      name: '試験 花子',
      birthDate: '1990-01-01',
      address: '東京都千代田区1-1',
      honseki: '東京都千代田区1番',
      residencePrefecture: '13',
      cards: ['MYNA_LICENSE'],
    };
    const first = await gql(graph.gatewayUrl, supervisor13, REGISTER, { input });
    expect(first.data.registerHolder.userErrors).toEqual([]);
    expect(first.data.registerHolder.holder).toMatchObject({ licenseNumber: '309999999999', holdingForm: 'MYNA_LICENSE_ONLY' });
    const again = await gql(graph.gatewayUrl, supervisor13, REGISTER, { input });
    expect(again.data.registerHolder.userErrors.map((e: { code: string }) => e.code)).toEqual(['LICENSE_NUMBER_TAKEN']);
    expect(JSON.stringify(again)).not.toContain('309999999999"}');
  });

  it('registerHolder is refused to COUNTER_STAFF at the top level', async () => {
    const r = await gql(graph.gatewayUrl, staff13, REGISTER, {
      input: { name: 'a', birthDate: '1990-01-01', address: 'a', honseki: 'a', residencePrefecture: '13', cards: ['MYNA_HISTORY'] },
    });
    expect(codesOf(r)).toEqual(['FORBIDDEN']);
  });

  it('R-CARD-2: gaining a plastic card suspends the services and deletes nothing; R-CARD-1: back to Myna-only, they apply again', async () => {
    const id = demoId(1);
    const toBoth = await gql(graph.gatewayUrl, staff13, CHANGE, { input: { holderId: id, cards: ['MYNA_LICENSE', 'LICENSE_CARD'] } });
    expect(toBoth.data.changeCards.userErrors).toEqual([]);
    expect(toBoth.data.changeCards.holder.holdingForm).toBe('BOTH');
    expect(toBoth.data.changeCards.holder.eligibility.addressOneStop.reasons.map((r: { code: string }) => r.code)).toEqual(['HOLDS_LICENSE_CARD']);
    const card = await ask(supervisor13, HOLDER_CARD, { id });
    expect(card.data.holder.portalLink.pseudonym).toBe('demo-pseudonym-0001');
    expect(card.data.holder.addressOneStopConsent.status).toBe('ACTIVE');

    const toHistory = await gql(graph.gatewayUrl, staff13, CHANGE, { input: { holderId: id, cards: ['MYNA_HISTORY'] } });
    expect(toHistory.data.changeCards.holder.holdingForm).toBe('MYNA_HISTORY_ONLY');
    expect(toHistory.data.changeCards.holder.eligibility.addressOneStop.eligible).toBe(true);
    const back = await gql(graph.gatewayUrl, staff13, CHANGE, { input: { holderId: id, cards: ['MYNA_LICENSE'] } });
    expect(back.data.changeCards.holder.eligibility.honsekiOnlineChange.eligible).toBe(true);
  });

  it('changeCards: unknown holder is HOLDER_NOT_FOUND, another prefecture is FORBIDDEN, nothing changes', async () => {
    const unknown = await gql(graph.gatewayUrl, staff13, CHANGE, { input: { holderId: '11111111-1111-4111-8111-999999999999', cards: ['MYNA_LICENSE'] } });
    expect(unknown.data.changeCards.userErrors.map((e: { code: string }) => e.code)).toEqual(['HOLDER_NOT_FOUND']);
    const other = await gql(graph.gatewayUrl, staff13, CHANGE, { input: { holderId: demoId(12), cards: ['LICENSE_CARD', 'MYNA_LICENSE'] } });
    expect(codesOf(other)).toEqual(['FORBIDDEN']);
    const after = await ask(admin, HOLDER_CARD, { id: demoId(12) });
    expect(after.data.holder.holdingForm).toBe('MYNA_LICENSE_ONLY');
  });
});
