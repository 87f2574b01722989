import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevCa } from '../lib/domain/certificates/dev-ca.js';
import { demoId } from '../seeds/demo-holders.js';
import { certFor } from './support/certificates.js';
import { signedConsent } from './support/consent.js';
import { gql, startTestGraph, TEST_NOW, type Caller, type TestGraph } from './support/graph.js';

const op = (f: string) => readFileSync(new URL(`../schema/operations/${f}.graphql`, import.meta.url), 'utf8');
const GRANT = op('GrantAddressOneStopConsent');
const REVOKE = op('RevokeAddressOneStopConsent');
const M1 = `mutation($input: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $input) { userErrors { code } } }`;
const STATE = `query($id: ID!) { holder(id: $id) { address addressOneStopConsent { id items status expiresOn channel revokedVia followedCertificate { serialNumber } }
  eligibility { addressOneStop { eligible reasons { code } } } } }`;

const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const admin: Caller = { role: 'NPA_ADMIN' };
const ito = { name: '伊藤 健', birthDate: '2001-08-15' };
const checks = { faceMatched: true, cardValid: true, addressMatched: true };

let graph: TestGraph;
let itoCert: Awaited<ReturnType<typeof certFor>>;
beforeAll(async () => {
  graph = await startTestGraph();
  itoCert = await certFor(graph.ca, ito);
});
afterAll(async () => {
  await graph?.close();
});

const codes = (r: { data?: Record<string, { userErrors: { code: string }[] }> }) => Object.values(r.data ?? {})[0]!.userErrors.map((e) => e.code);
const state = async (n: number) => (await gql(graph.gatewayUrl, admin, STATE, { id: demoId(n) })).data.holder;
const grantAtCentre = (
  n: number,
  cert: { certPem: string; keyPem: string },
  items: string[],
  over: object = {},
  tamper = {},
  signedAt = graph.clock.now().toISOString(),
) =>
  gql(graph.gatewayUrl, clerk, GRANT, {
    input: { holderId: demoId(n), items, termsVersion: 'v1', signedConsent: signedConsent(cert, { subject: demoId(n), items, signedAt }, tamper), ...over },
  });

describe("R-ONE-1: consent at a centre, signed with the holder's own card certificate", () => {
  it('R-ONE-1 and R-ONE-2: without M1 (別紙2①) the signed consent is recorded for ten years and the chosen items apply', async () => {
    const r = await grantAtCentre(6, itoCert, ['ADDRESS', 'BIRTH_DATE']);
    expect(codes(r)).toEqual([]);
    expect(r.data.grantAddressOneStopConsent.consent).toMatchObject({
      items: ['ADDRESS', 'BIRTH_DATE'],
      channel: 'CENTER',
      status: 'ACTIVE',
      expiresOn: '2036-04-01',
      followedCertificate: { serialNumber: itoCert.serial, status: 'VALID' },
    });
    const s = await state(6);
    expect(s.eligibility.addressOneStop.eligible).toBe(true);
  });

  it('R-ONE-1 and R-CERT-2: every defect of the signed consent is refused by name and changes nothing', async () => {
    const before = await state(6);
    const otherCa = await createDevCa();
    const stranger = await certFor(otherCa, ito);
    const expired = await certFor(graph.ca, ito, { notBefore: new Date('2019-01-01'), notAfter: new Date('2024-01-01') });
    const someoneElse = await certFor(graph.ca, { name: '伊藤 健太', birthDate: ito.birthDate });
    const cases: [Promise<any>, string][] = [
      [grantAtCentre(6, itoCert, ['ADDRESS'], {}, { document: (d: string) => d.replace('ADDRESS', 'NAME') }), 'CONSENT_DOCUMENT_MISMATCH'],
      [grantAtCentre(6, itoCert, ['ADDRESS'], { items: ['ADDRESS', 'NAME'] }), 'CONSENT_DOCUMENT_MISMATCH'],
      [grantAtCentre(6, itoCert, ['ADDRESS'], {}, { document: (d: string) => d.replace('}', ' }') }), 'SIGNATURE_INVALID'],
      [grantAtCentre(6, { ...itoCert, certPem: 'not a pem' }, ['ADDRESS']), 'CERTIFICATE_INVALID'],
      [grantAtCentre(6, stranger, ['ADDRESS']), 'CERTIFICATE_UNTRUSTED'],
      [grantAtCentre(6, expired, ['ADDRESS']), 'CERTIFICATE_EXPIRED'],
      [grantAtCentre(6, someoneElse, ['ADDRESS']), 'CERTIFICATE_HOLDER_MISMATCH'],
      [grantAtCentre(6, itoCert, ['ADDRESS'], {}, {}, 'Apr 01 2026 00:00:00 GMT'), 'CONSENT_DOCUMENT_MISMATCH'],
      [grantAtCentre(6, itoCert, [], {}), 'INVALID_INPUT'],
      [grantAtCentre(2, itoCert, ['ADDRESS']), 'NOT_COVERED'],
    ];
    for (const [request, code] of cases) expect(codes(await request), code).toEqual([code]);
    expect(await state(6)).toEqual(before);
  });

  it('R-ONE-1: M1 afterwards changes nothing of the consent', async () => {
    const before = (await state(6)).addressOneStopConsent;
    expect(codes(await gql(graph.gatewayUrl, clerk, M1, { input: { holderId: demoId(6), certificatePem: itoCert.certPem, checks } }))).toEqual([]);
    expect((await state(6)).addressOneStopConsent).toEqual(before);
  });

  it('R-ONE-1: a centre names the holder id; a pseudonym from staff is INVALID_INPUT', async () => {
    const r = await grantAtCentre(6, itoCert, ['ADDRESS'], { pseudonym: 'demo-pseudonym-0001' });
    expect(codes(r)).toEqual(['INVALID_INPUT']);
  });
});

describe('R-ONE-3 and R-ONE-4: re-grant and revoke', () => {
  it('R-ONE-3: consenting again while valid starts a new ten-year period', async () => {
    graph.clock.set('2027-06-15T10:00:00+09:00');
    const r = await grantAtCentre(6, itoCert, ['ADDRESS', 'NAME', 'BIRTH_DATE']);
    expect(codes(r)).toEqual([]);
    expect(r.data.grantAddressOneStopConsent.consent.expiresOn).toBe('2037-06-15');
    graph.clock.set(TEST_NOW);
  });

  it('R-ONE-4: revoked at a centre; revoking again is CONSENT_REVOKED; the services stop applying', async () => {
    const r = await gql(graph.gatewayUrl, clerk, REVOKE, { input: { holderId: demoId(6) } });
    expect(codes(r)).toEqual([]);
    expect(r.data.revokeAddressOneStopConsent.consent).toMatchObject({ status: 'REVOKED', revokedVia: 'CENTER' });
    expect((await state(6)).eligibility.addressOneStop.reasons.map((x: { code: string }) => x.code)).toEqual(['CONSENT_REVOKED']);
    expect(codes(await gql(graph.gatewayUrl, clerk, REVOKE, { input: { holderId: demoId(6) } }))).toEqual(['CONSENT_REVOKED']);
  });

  it('R-ONE-4: Myna Portal revokes only for a linked holder', async () => {
    const unlinked = await gql(graph.gatewayUrl, portal, REVOKE, { input: { pseudonym: 'pseudonym-not-linked' } });
    expect(codes(unlinked)).toEqual(['PORTAL_NOT_LINKED']);
    const linked = await gql(graph.gatewayUrl, portal, REVOKE, { input: { pseudonym: 'demo-pseudonym-0012' } });
    expect(codes(linked)).toEqual([]);
    expect(linked.data.revokeAddressOneStopConsent.consent.revokedVia).toBe('MYNA_PORTAL');
  });

  it('R-ONE-3/4: concurrent grants and revokes for one holder end in one consistent state', async () => {
    // Each grant a document of its own (signed a second apart): one document is accepted once (R-ONE-1).
    const signedAt = (i: number) => new Date(graph.clock.now().getTime() - i * 1000).toISOString();
    const requests = Array.from({ length: 8 }, (_, i) =>
      i % 2 === 0 ? grantAtCentre(6, itoCert, ['ADDRESS'], {}, {}, signedAt(i)) : gql(graph.gatewayUrl, clerk, REVOKE, { input: { holderId: demoId(6) } }),
    );
    const answers = await Promise.all(requests);
    for (const a of answers) expect(a.errors).toBeUndefined();
    const s = await state(6);
    // Whatever the order, the latest consent is either active (a grant came last) or revoked (a revoke did).
    expect(['ACTIVE', 'REVOKED']).toContain(s.addressOneStopConsent.status);
    expect(s.eligibility.addressOneStop.eligible).toBe(s.addressOneStopConsent.status === 'ACTIVE');
  });
});

describe('R-ONE-6 ②: restart on Myna Portal with a new certificate', () => {
  it("R-ONE-6: a holder whose certificate expired restarts on Myna Portal; the new certificate's address is taken into the record", async () => {
    const kato = { name: '加藤 由美', birthDate: '1979-06-30', address: '東京都三鷹市下連雀9-11-1' }; // demo holder 11
    expect((await state(11)).eligibility.addressOneStop.reasons.map((x: { code: string }) => x.code)).toEqual(['SIGNATURE_CERTIFICATE_EXPIRED']);
    const fresh = await certFor(graph.ca, kato, { notBefore: new Date('2026-03-01T00:00:00+09:00'), notAfter: new Date('2031-03-01T00:00:00+09:00') });
    const items = ['ADDRESS'];
    const r = await gql(graph.gatewayUrl, portal, GRANT, {
      input: {
        pseudonym: 'demo-pseudonym-0011',
        items,
        termsVersion: 'v1',
        signedConsent: signedConsent(fresh, { subject: 'demo-pseudonym-0011', items, signedAt: graph.clock.now().toISOString() }),
      },
    });
    expect(codes(r)).toEqual([]);
    expect(r.data.grantAddressOneStopConsent.consent).toMatchObject({
      channel: 'MYNA_PORTAL',
      followedCertificate: { serialNumber: fresh.serial, status: 'VALID' },
    });
    const s = await state(11);
    // Issued 2026-03-01, effective two days later: already past, so applied at once.
    expect(s.address).toBe('東京都三鷹市下連雀9-11-1');
    expect(s.eligibility.addressOneStop.eligible).toBe(true);
  });

  it('R-ONE-1: Myna Portal consent needs M2', async () => {
    const r = await gql(graph.gatewayUrl, portal, GRANT, {
      input: {
        pseudonym: 'pseudonym-unknown-1',
        items: ['NAME'],
        termsVersion: 'v1',
        signedConsent: signedConsent(itoCert, { subject: 'pseudonym-unknown-1', items: ['NAME'], signedAt: graph.clock.now().toISOString() }),
      },
    });
    expect(codes(r)).toEqual(['PORTAL_NOT_LINKED']);
  });
});

describe('R-ONE-2: the expiry notice list', () => {
  it('R-ONE-2: consentsExpiring lists active consents ending before the date, soonest first, a page at a time', async () => {
    const q = `query($before: Date!, $first: Int, $after: String) { consentsExpiring(before: $before, first: $first, after: $after) {
      edges { node { expiresOn status } } pageInfo { hasNextPage endCursor } } }`;
    const r = await gql(graph.gatewayUrl, admin, q, { before: '2035-12-31', first: 2 });
    const page = r.data.consentsExpiring;
    expect(page.edges.map((e: { node: { expiresOn: string } }) => e.node.expiresOn)).toEqual(['2035-04-01', '2035-04-01']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await gql(graph.gatewayUrl, admin, q, { before: '2035-12-31', first: 10, after: page.pageInfo.endCursor });
    const all = [...page.edges, ...rest.data.consentsExpiring.edges].map((e: { node: { status: string } }) => e.node.status);
    expect(all.every((s: string) => s === 'ACTIVE')).toBe(true);
    const notice = `query($before: Date!) { consentsExpiring(before: $before, first: 100) { edges { node { expiresOn items pseudonym } } } }`;
    const forPortal = await gql(graph.gatewayUrl, { role: 'MYNA_PORTAL', purpose: 'SYSTEM' }, notice, { before: '2035-04-02' });
    expect(forPortal.errors).toBeUndefined();
    // Myna Portal learns whom to notify through the consent's pseudonym, never reaching the holder's record.
    expect(forPortal.data.consentsExpiring.edges.map((e: { node: { pseudonym: string } }) => e.node.pseudonym)).toContain('demo-pseudonym-0001');
    const staff = await gql(graph.gatewayUrl, clerk, q, { before: '2035-12-31' });
    expect(staff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
