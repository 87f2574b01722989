import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../lib/platform/db/database.js';
import { certFor } from './support/certificates.js';
import { signedConsent } from './support/consent.js';
import { gql, startTestGraph, type Caller, type TestGraph } from './support/graph.js';
import { linkedHolder, registerHolder } from './support/holders.js';
import { signed } from './support/jlis.js';

/**
 * R-ONE-1 as a caller meets it: a signed consent is accepted once, it is signed with the holder's own card
 * certificate, and a centre takes it without an earlier M1.
 */
const op = (f: string) => readFileSync(new URL(`../schema/operations/${f}.graphql`, import.meta.url), 'utf8');
const GRANT = op('GrantAddressOneStopConsent');
const REVOKE = op('RevokeAddressOneStopConsent');
const INGEST = op('IngestJlisNotifications');
const M1 = `mutation($input: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $input) { userErrors { code } } }`;
const STATE = `query($id: ID!) { holder(id: $id) { name address signatureCertificate { serialNumber }
  addressOneStopConsent { id status expiresOn channel followedCertificate { serialNumber } }
  eligibility { honsekiOnlineChange { eligible reasons { code } } addressOneStop { eligible reasons { code } items { item autoUpdate } } }
  recordImports { item newValue status } } }`;

const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const admin: Caller = { role: 'NPA_ADMIN' };
const feed: Caller = { role: 'JLIS_FEED', purpose: 'SYSTEM' };
const checks = { faceMatched: true, cardValid: true, addressMatched: true };
type Cert = Awaited<ReturnType<typeof certFor>>;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
});
afterAll(async () => {
  await graph?.close();
});

const userErrors = (r: { data?: Record<string, { userErrors: { code: string; message: string; field: string[] }[] }> }) =>
  Object.values(r.data ?? {})[0]!.userErrors;
const codes = (r: Parameters<typeof userErrors>[0]) => userErrors(r).map((e) => e.code);
const state = async (id: string) => (await gql(graph.gatewayUrl, admin, STATE, { id })).data.holder;
const now = () => graph.clock.now().toISOString();
const advance = (ms: number) => graph.clock.set(new Date(graph.clock.now().getTime() + ms));
const consentRows = async (holderId: string) =>
  Number((await executeRows<{ n: number }>(graph.dbs.consent, sql`select count(*)::int as n from consent.consents where holder_id = ${holderId}`))[0]!.n);
const outboxRows = async (holderId: string) =>
  Number(
    (await executeRows<{ n: number }>(graph.dbs.consent, sql`select count(*)::int as n from consent.record_change_outbox where holder_id = ${holderId}`))[0]!.n,
  );

const atCentre = (holderId: string, cert: Pick<Cert, 'certPem' | 'keyPem'>, items: string[], signedAt = now()) => ({
  holderId,
  items,
  termsVersion: 'v1',
  signedConsent: signedConsent(cert, { subject: holderId, items, signedAt }),
});
const onPortal = (pseudonym: string, cert: Pick<Cert, 'certPem' | 'keyPem'>, items: string[], signedAt = now()) => ({
  pseudonym,
  items,
  termsVersion: 'v1',
  signedConsent: signedConsent(cert, { subject: pseudonym, items, signedAt }),
});
const grant = (caller: Caller, input: object) => gql(graph.gatewayUrl, caller, GRANT, { input });
const revoke = (caller: Caller, input: object) => gql(graph.gatewayUrl, caller, REVOKE, { input });

let people = 0;
/** A person of their own for each test, so no test leans on another's consents. */
const person = (name = '伊藤 健') => ({ name, birthDate: new Date(Date.UTC(1990, 0, 1) + ++people * 86_400_000).toISOString().slice(0, 10) });

describe('R-CERT-2: a certificate the M1 record knows revoked signs no consent', () => {
  it('R-CERT-2: revoked on the M1 record only (not yet in the consent ledger), it is CERTIFICATE_REVOKED and nothing is written', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const cert = await certFor(graph.ca, p);
    expect(
      (await gql(graph.gatewayUrl, clerk, M1, { input: { holderId: id, certificatePem: cert.certPem, checks } })).data.submitSignatureCertificate.userErrors,
    ).toEqual([]);
    const revoked = await gql(
      graph.gatewayUrl,
      { role: 'SERVICE', purpose: 'SYSTEM' },
      `mutation($s: [String!]!, $at: DateTime!) { recordCertificateRevocations(serialNumbers: $s, revokedAt: $at) { revoked userErrors { code } } }`,
      { s: [cert.serial], at: now() },
    );
    expect(revoked.data.recordCertificateRevocations.revoked).toBe(1);
    const refused = await grant(clerk, atCentre(id, cert, ['ADDRESS']));
    expect(codes(refused)).toEqual(['CERTIFICATE_REVOKED']);
    expect(await consentRows(id)).toBe(0);
  });
});

describe('R-ONE-1: a signed consent is accepted once (issue 15.2)', () => {
  it('R-ONE-1: the same document and signature after a revocation is SIGNED_CONSENT_ALREADY_USED, and no new ten years start', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const cert = await certFor(graph.ca, p);
    const input = atCentre(id, cert, ['ADDRESS']);
    expect(codes(await grant(clerk, input))).toEqual([]);
    expect(codes(await revoke(clerk, { holderId: id }))).toEqual([]);
    const revoked = (await state(id)).addressOneStopConsent;

    advance(60 * 60_000);
    const replay = await grant(clerk, input);
    expect(codes(replay)).toEqual(['SIGNED_CONSENT_ALREADY_USED']);
    expect(userErrors(replay)[0]!.field).toEqual(['input', 'signedConsent', 'document']);
    expect(userErrors(replay)[0]!.message).toMatch(/同意データ/);
    expect((await state(id)).addressOneStopConsent).toEqual(revoked);
    expect(await consentRows(id)).toBe(1);

    // A newly signed document is a new consent (R-ONE-3).
    expect(codes(await grant(clerk, atCentre(id, cert, ['ADDRESS'])))).toEqual([]);
    expect((await state(id)).addressOneStopConsent.status).toBe('ACTIVE');
  });

  it('R-ONE-1: a replay while the consent is active is refused too', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const cert = await certFor(graph.ca, p);
    const input = atCentre(id, cert, ['ADDRESS', 'NAME']);
    expect(codes(await grant(clerk, input))).toEqual([]);
    const first = (await state(id)).addressOneStopConsent;
    advance(2 * 60 * 60_000);
    expect(codes(await grant(clerk, input))).toEqual(['SIGNED_CONSENT_ALREADY_USED']);
    expect((await state(id)).addressOneStopConsent).toEqual(first);
  });

  it('R-ONE-1: a Myna Portal document revoked at a centre is not accepted again on Myna Portal', async () => {
    const p = person();
    const h = await linkedHolder(graph, p, { pseudonym: `pseudonym-once-${people}` });
    const cert = await certFor(graph.ca, p);
    const input = onPortal(h.pseudonym, cert, ['ADDRESS']);
    expect(codes(await grant(portal, input))).toEqual([]);
    expect(codes(await revoke(clerk, { holderId: h.id }))).toEqual([]);
    expect(codes(await grant(portal, input))).toEqual(['SIGNED_CONSENT_ALREADY_USED']);
    expect((await state(h.id)).addressOneStopConsent.status).toBe('REVOKED');
    expect(await outboxRows(h.id)).toBe(1);
  });

  it('R-ONE-1: one document sent twice at once makes exactly one consent', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const cert = await certFor(graph.ca, p);
    const input = atCentre(id, cert, ['ADDRESS']);
    const answers = await Promise.all([grant(clerk, input), grant(clerk, input)]);
    expect(answers.map(codes).sort()).toEqual([[], ['SIGNED_CONSENT_ALREADY_USED']]);
    expect(await consentRows(id)).toBe(1);
  });

  it('R-ONE-1: a retry of the same request with its Idempotency-Key gets the first answer, not a refusal', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const cert = await certFor(graph.ca, p);
    const input = atCentre(id, cert, ['ADDRESS']);
    const send = () => gql(graph.gatewayUrl, clerk, GRANT, { input }, { 'idempotency-key': `consent-retry-${people}` });
    const first = await send();
    expect(codes(first)).toEqual([]);
    expect(await send()).toEqual(first);
    expect(await consentRows(id)).toBe(1);
  });

  it('R-ONE-1: signedAt must be an ISO 8601 instant with Z or an offset (CONSENT_DOCUMENT_MISMATCH naming document.signedAt)', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const cert = await certFor(graph.ca, p);
    const at = graph.clock.now();
    // Each of these is a moment Date.parse would place inside the window; none is an ISO 8601 instant.
    for (const signedAt of [
      at.toUTCString(),
      at.toString(),
      at.toISOString().slice(0, 19),
      at.toISOString().replace('T', ' '),
      `${at.toISOString().slice(0, 16)}Z`,
    ]) {
      const r = await grant(clerk, atCentre(id, cert, ['ADDRESS'], signedAt));
      expect(codes(r), signedAt).toEqual(['CONSENT_DOCUMENT_MISMATCH']);
      expect(userErrors(r)[0]!.message).toContain('document.signedAt');
      expect(userErrors(r)[0]!.message).toMatch(/署名日時/);
    }
    expect(await consentRows(id)).toBe(0);
    const jst = new Date(at.getTime() + 9 * 3_600_000).toISOString().replace('Z', '+09:00');
    expect(codes(await grant(clerk, atCentre(id, cert, ['ADDRESS'], jst.replace('.000', '.123'))))).toEqual([]);
  });
});

describe("R-ONE-1: the consent is signed with the holder's own certificate (issue 16.1)", () => {
  it("R-ONE-1: another person's valid certificate on Myna Portal is CERTIFICATE_HOLDER_MISMATCH and nothing is scheduled", async () => {
    const p = person('渡辺 美咲');
    const h = await linkedHolder(graph, p, { pseudonym: `pseudonym-own-${people}` });
    const before = await state(h.id);
    const stranger = await certFor(graph.ca, { name: '中村 恵', birthDate: '1970-04-01', address: '北海道札幌市中央区北1条西2丁目' });
    const r = await grant(portal, onPortal(h.pseudonym, stranger, ['ADDRESS', 'NAME']));
    expect(codes(r)).toEqual(['CERTIFICATE_HOLDER_MISMATCH']);
    expect(userErrors(r)[0]!.field).toEqual(['input', 'signedConsent', 'certificatePem']);
    // Japanese, and nothing of either person in it.
    expect(userErrors(r)[0]!.message).toMatch(/署名用電子証明書の氏名又は生年月日/);
    expect(userErrors(r)[0]!.message).not.toMatch(/中村|渡辺|札幌/);
    expect(await state(h.id)).toEqual(before);
    expect(await consentRows(h.id)).toBe(0);
    expect(await outboxRows(h.id)).toBe(0);

    // The same name with another birth date is another person too.
    const sameName = await certFor(graph.ca, { ...p, birthDate: '1990-12-31' });
    expect(codes(await grant(portal, onPortal(h.pseudonym, sameName, ['ADDRESS'])))).toEqual(['CERTIFICATE_HOLDER_MISMATCH']);
    expect(await consentRows(h.id)).toBe(0);
  });

  it('R-ONE-1 and R-CHAR-1: a record of 髙橋 takes a consent signed with a certificate of 高橋', async () => {
    const p = person('髙橋 一郎');
    const id = await registerHolder(graph, p);
    const cert = await certFor(graph.ca, { ...p, name: '高橋　一郎' });
    const r = await grant(clerk, atCentre(id, cert, ['ADDRESS']));
    expect(codes(r)).toEqual([]);
    expect((await state(id)).addressOneStopConsent).toMatchObject({ status: 'ACTIVE', followedCertificate: { serialNumber: cert.serial } });
  });

  it("R-ONE-1 and R-ONE-6: a certificate J-LIS renewed with a new name is the holder's own; the same new name on another certificate is not", async () => {
    // Noon of the filing day below, whatever the tests before moved the clock to.
    graph.clock.set('2026-04-01T12:00:00+09:00');
    const p = person('山本 翔子');
    const id = await registerHolder(graph, p);
    const old = await certFor(graph.ca, p);
    expect(codes(await grant(clerk, atCentre(id, old, ['ADDRESS', 'NAME'])))).toEqual([]);
    // Married: the municipality files the new name today, J-LIS renews the certificate; the record takes it in two days.
    const married = { ...p, name: '佐々木 翔子' };
    const renewed = await certFor(graph.ca, married, { notBefore: new Date('2026-03-31T00:00:00+09:00') });
    const r = await gql(graph.gatewayUrl, feed, INGEST, {
      input: [
        signed({
          notificationId: `J-OWN-${people}`,
          kind: 'CERTIFICATE_RENEWED',
          previousSerial: old.serial,
          serial: renewed.serial,
          notBefore: '2026-03-31T00:00:00+09:00',
          notAfter: '2030-01-01T00:00:00Z',
          name: married.name,
          filedOn: '2026-04-01',
        }),
      ],
    });
    expect(
      r.data.ingestJlisNotifications.results.map((x: { outcome: string; reason: string | null }) => `${x.outcome}${x.reason ? `:${x.reason}` : ''}`),
    ).toEqual(['SCHEDULED']);
    expect((await state(id)).name).toBe(p.name);

    advance(60_000);
    const unrelated = await certFor(graph.ca, married);
    expect(codes(await grant(clerk, atCentre(id, unrelated, ['ADDRESS', 'NAME'])))).toEqual(['CERTIFICATE_HOLDER_MISMATCH']);
    const again = await grant(clerk, atCentre(id, renewed, ['ADDRESS', 'NAME']));
    expect(codes(again)).toEqual([]);
    expect(again.data.grantAddressOneStopConsent.consent).toMatchObject({ status: 'ACTIVE', followedCertificate: { serialNumber: renewed.serial } });
  });

  it('R-ONE-1 and R-CERT-4: a 移動端末設備用署名用電子証明書 does not sign a consent at a centre either', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const card = await certFor(graph.ca, p);
    const mobile = await certFor(graph.ca, p, { kind: 'MOBILE', cardSerial: card.serial });
    const r = await grant(clerk, atCentre(id, mobile, ['ADDRESS']));
    expect(codes(r)).toEqual(['MOBILE_CERTIFICATE_NOT_ACCEPTED']);
    expect(userErrors(r)[0]!.message).toMatch(/移動端末設備用署名用電子証明書/);
    expect(await consentRows(id)).toBe(0);
  });
});

describe('R-ONE-1: a centre consent needs no earlier M1 (別紙2①, issue 16.6)', () => {
  it('R-ONE-1: without M1 the holder consents at a centre with their own card certificate; the address one-stop applies, 本籍 online change still waits for M1 and M2', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const cert = await certFor(graph.ca, p);
    const r = await grant(clerk, atCentre(id, cert, ['ADDRESS']));
    expect(codes(r)).toEqual([]);
    expect(r.data.grantAddressOneStopConsent.consent).toMatchObject({ channel: 'CENTER', status: 'ACTIVE', expiresOn: '2036-04-01' });
    const s = await state(id);
    expect(s.signatureCertificate).toBeNull();
    expect(s.eligibility.addressOneStop.eligible).toBe(true);
    expect(s.eligibility.addressOneStop.reasons).toEqual([]);
    expect(s.eligibility.addressOneStop.items).toEqual([
      { item: 'ADDRESS', autoUpdate: true },
      { item: 'NAME', autoUpdate: false },
      { item: 'BIRTH_DATE', autoUpdate: false },
    ]);
    expect(s.eligibility.honsekiOnlineChange.reasons.map((x: { code: string }) => x.code)).toEqual([
      'SIGNATURE_CERTIFICATE_NOT_SUBMITTED',
      'PORTAL_NOT_LINKED',
    ]);
  });

  it('R-ONE-1 and R-ONE-3: M1 done with an older certificate does not send the holder back to M1 when re-consenting with their own new one', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const older = await certFor(graph.ca, p);
    expect(codes(await gql(graph.gatewayUrl, clerk, M1, { input: { holderId: id, certificatePem: older.certPem, checks } }))).toEqual([]);
    expect(codes(await grant(clerk, atCentre(id, older, ['ADDRESS'])))).toEqual([]);
    const newer = await certFor(graph.ca, p, { notBefore: new Date('2026-03-01T00:00:00+09:00'), notAfter: new Date('2031-03-01T00:00:00+09:00') });
    const r = await grant(clerk, atCentre(id, newer, ['ADDRESS', 'NAME']));
    expect(codes(r)).toEqual([]);
    expect(r.data.grantAddressOneStopConsent.consent.followedCertificate.serialNumber).toBe(newer.serial);
    expect((await state(id)).signatureCertificate.serialNumber).toBe(older.serial);
  });

  it('R-ONE-1: Myna Portal still needs M1 and M2', async () => {
    const p = person();
    const id = await registerHolder(graph, p);
    const cert = await certFor(graph.ca, p);
    expect(codes(await gql(graph.gatewayUrl, clerk, M1, { input: { holderId: id, certificatePem: cert.certPem, checks } }))).toEqual([]);
    const r = await grant(portal, onPortal(`pseudonym-nolink-${people}`, cert, ['ADDRESS']));
    expect(codes(r)).toEqual(['PORTAL_NOT_LINKED']);
    expect(userErrors(r)[0]!.message).toMatch(/マイナポータル連携/);
    expect(await consentRows(id)).toBe(0);
  });
});
