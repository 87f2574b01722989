import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x509, CERTIFICATE_POLICY } from '../lib/domain/certificates/x509.js';
import { certFor, certWithExtensions, randomSerial } from './support/certificates.js';
import { signedConsent } from './support/consent.js';
import { comparable, gql, gqlBoth, startTestGraph, type Caller, type TestGraph } from './support/graph.js';

/**
 * The certificate steps as a licence centre and Myna Portal walk them, through both gateway engines: which
 * certificates are signature certificates (R-CERT-2), whose they are (R-CERT-1 with R-CHAR-1), and the smartphone
 * certificate (R-CERT-4).
 */
const op = (f: string) => readFileSync(new URL(`../schema/operations/${f}.graphql`, import.meta.url), 'utf8');
const REGISTER = op('RegisterHolder');
const GRANT = op('GrantAddressOneStopConsent');
const M1 = `mutation($input: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $input) {
  signatureCertificate { serialNumber status } userErrors { code message field } } }`;
const M2 = `mutation($input: LinkMynaPortalInput!) { linkMynaPortal(input: $input) { portalLink { linkedAt } userErrors { code message field } } }`;
const CARD = `query($id: ID!) { holder(id: $id) { name signatureCertificate { serialNumber } portalLink { linkedAt }
  addressOneStopConsent { status } eligibility { honsekiOnlineChange { eligible } } } }`;

const supervisor: Caller = { role: 'SUPERVISOR', prefecture: '13' };
const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const checks = { faceMatched: true, cardValid: true, addressMatched: true };
const ENGINES = ['hive', 'apollo'] as const;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const urlOf = (engine: (typeof ENGINES)[number]) => (engine === 'hive' ? graph.gatewayUrl : graph.oracleUrl);
const errors = (payload: { userErrors: { code: string }[] }) => payload.userErrors.map((e) => e.code);
let licence = 0;
/** A マイナ免許証 holder of prefecture 13 registered as the driver record would hold them. */
async function registerHolder(person: { name: string; birthDate: string }): Promise<string> {
  const licenseNumber = `3099${String(Date.now() % 1e6).padStart(6, '0')}${String(++licence).padStart(2, '0')}`;
  const r = await gql(graph.gatewayUrl, supervisor, REGISTER, {
    input: {
      licenseNumber,
      ...person,
      address: '東京都千代田区丸の内1-1',
      honseki: '東京都千代田区丸の内一丁目1番',
      residencePrefecture: '13',
      cards: ['MYNA_LICENSE'],
    },
  });
  expect(r.data.registerHolder.userErrors).toEqual([]);
  return r.data.registerHolder.holder.id;
}
const card = async (id: string) => (await gql(graph.gatewayUrl, { role: 'NPA_ADMIN' }, CARD, { id })).data.holder;
const m1 = (url: string, holderId: string, certificatePem: string, over: object = {}) =>
  gql(url, clerk, M1, { input: { holderId, certificatePem, checks: { ...checks, ...over } } });
const m2 = (url: string, certificatePem: string, pseudonym: string) => gql(url, portal, M2, { input: { certificatePem, pseudonym } });
/** A refusal sent through both engines: the same answer, and nothing changes. */
async function refusedBoth(caller: Caller, query: string, variables: Record<string, unknown>) {
  const { served, oracle } = await gqlBoth(graph, caller, query, variables);
  expect(comparable(served)).toEqual(comparable(oracle));
  return Object.values(served.data as Record<string, { userErrors: { code: string; message: string; field: string[] }[] }>)[0]!.userErrors;
}

describe('R-CERT-2: only an end-entity 署名用電子証明書 is accepted at M1', () => {
  it("R-CERT-2: the J-LIS CA's own certificate, and a CA certificate carrying the holder's name, are refused at M1 on both engines", async () => {
    const person = { name: '認証 局子', birthDate: '1980-05-05' };
    const id = await registerHolder(person);
    const subCa = await certWithExtensions(graph.ca, person, [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation | x509.KeyUsageFlags.keyCertSign, true),
      new x509.CertificatePolicyExtension([CERTIFICATE_POLICY.CARD]),
    ]);
    for (const pem of [graph.ca.certPem, subCa]) {
      const refusal = await refusedBoth(clerk, M1, { input: { holderId: id, certificatePem: pem, checks } });
      expect(refusal.map((e) => [e.code, e.field.join('.')])).toEqual([['CERTIFICATE_NOT_FOR_SIGNATURE', 'input.certificatePem']]);
      expect(refusal[0]!.message).toMatch(/署名用電子証明書ではありません/);
    }
    expect((await card(id)).signatureCertificate).toBeNull();
  });

  it('R-CERT-2: a certificate for other uses (key encipherment only) is refused at M1', async () => {
    const person = { name: '暗号 化子', birthDate: '1981-06-06' };
    const id = await registerHolder(person);
    const pem = await certWithExtensions(graph.ca, person, [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyEncipherment, true),
      new x509.CertificatePolicyExtension([CERTIFICATE_POLICY.CARD]),
    ]);
    expect((await refusedBoth(clerk, M1, { input: { holderId: id, certificatePem: pem, checks } })).map((e) => e.code)).toEqual([
      'CERTIFICATE_NOT_FOR_SIGNATURE',
    ]);
  });
});

describe('R-CERT-1: one certificate is one person’s', () => {
  it.each(ENGINES)('R-CERT-1: a serial submitted at M1 for one holder is refused for another (CERTIFICATE_SERIAL_IN_USE, %s)', async (engine) => {
    const twin = { name: `同姓 同名${engine === 'hive' ? '一' : '二'}`, birthDate: '1990-01-01' };
    const [first, second] = [await registerHolder(twin), await registerHolder(twin)];
    const cert = await certFor(graph.ca, twin);
    expect(errors((await m1(urlOf(engine), first, cert.certPem)).data.submitSignatureCertificate)).toEqual([]);
    const again = (await m1(urlOf(engine), first, cert.certPem)).data.submitSignatureCertificate;
    expect(errors(again)).toEqual([]);
    const other = (await m1(urlOf(engine), second, cert.certPem)).data.submitSignatureCertificate;
    expect(other.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field.join('.')])).toEqual([
      ['CERTIFICATE_SERIAL_IN_USE', 'input.certificatePem'],
    ]);
    expect(other.userErrors[0].message).toMatch(/既に他の者/);
    expect((await card(second)).signatureCertificate).toBeNull();
    expect((await card(first)).signatureCertificate.serialNumber).toBe(cert.serial);
  });

  it('R-CERT-1: two M1 submissions of one serial for two holders at the same moment: exactly one holder gets it', async () => {
    const twin = { name: '同時 提出', birthDate: '1991-02-02' };
    const ids = [await registerHolder(twin), await registerHolder(twin)];
    const cert = await certFor(graph.ca, twin);
    const answers = await Promise.all(ids.map((id, i) => m1(i === 0 ? graph.gatewayUrl : graph.oracleUrl, id, cert.certPem)));
    const outcomes = answers.map((a) => errors(a.data.submitSignatureCertificate).join(',') || 'OK').sort();
    expect(outcomes).toEqual(['CERTIFICATE_SERIAL_IN_USE', 'OK']);
    const onFile = (await Promise.all(ids.map(card))).filter((h) => h.signatureCertificate !== null);
    expect(onFile).toHaveLength(1);
  });
});

describe('R-CHAR-1: the certificate carries 代替文字, the record the original', () => {
  it.each(ENGINES)('R-CHAR-1: a holder recorded as 髙橋 one whose certificate carries 高橋 does M1 and M2 (%s)', async (engine) => {
    const recorded = { name: `髙橋 一郎${engine === 'hive' ? '' : '太'}`, birthDate: '1970-07-07' };
    const id = await registerHolder(recorded);
    const cert = await certFor(graph.ca, { ...recorded, name: recorded.name.replace('髙', '高') });
    const submitted = (await m1(urlOf(engine), id, cert.certPem)).data.submitSignatureCertificate;
    expect(errors(submitted)).toEqual([]);
    expect(submitted.signatureCertificate.serialNumber).toBe(cert.serial);
    expect((await card(id)).name).toBe(recorded.name);

    // Another certificate of the same person that writes the name otherwise is the person who did M1 with another certificate.
    const other = await certFor(graph.ca, { ...recorded, name: recorded.name.replace(' ', '\u3000') });
    expect(errors((await m2(urlOf(engine), other.certPem, `pseudonym-takahashi-${engine}`)).data.linkMynaPortal)).toEqual(['CERTIFICATE_MISMATCH']);
    expect(errors((await m2(urlOf(engine), cert.certPem, `pseudonym-takahashi-${engine}`)).data.linkMynaPortal)).toEqual([]);
    expect((await card(id)).eligibility.honsekiOnlineChange.eligible).toBe(true);
  });

  it('R-CHAR-1: M2 answers CERTIFICATE_MISMATCH for a certificate that writes the M1 name with the original character', async () => {
    const recorded = { name: '山﨑 花子', birthDate: '1972-02-22' };
    const id = await registerHolder(recorded);
    const cert = await certFor(graph.ca, { ...recorded, name: '山崎 花子' });
    expect(errors((await m1(graph.gatewayUrl, id, cert.certPem)).data.submitSignatureCertificate)).toEqual([]);
    const variant = await certFor(graph.ca, recorded);
    const refusal = await refusedBoth(portal, M2, { input: { certificatePem: variant.certPem, pseudonym: 'pseudonym-yamasaki-01' } });
    expect(refusal.map((e) => e.code)).toEqual(['CERTIFICATE_MISMATCH']);
  });

  it('R-CERT-1: a certificate of another person is still refused (CERTIFICATE_HOLDER_MISMATCH, in Japanese)', async () => {
    const id = await registerHolder({ name: '髙田 三郎', birthDate: '1975-03-03' });
    const cert = await certFor(graph.ca, { name: '髙田 四郎', birthDate: '1975-03-03' });
    const refusal = await refusedBoth(clerk, M1, { input: { holderId: id, certificatePem: cert.certPem, checks } });
    expect(refusal.map((e) => e.code)).toEqual(['CERTIFICATE_HOLDER_MISMATCH']);
    expect(refusal[0]!.message).toMatch(/氏名又は生年月日/);
    expect(refusal[0]!.message).not.toMatch(/髙田|四郎/);
  });
});

describe('R-CERT-1: the counter check of 住所等 covers 住所, 氏名 and 生年月日', () => {
  it('R-CERT-1: addressMatched false is refused with a Japanese message naming 住所, 氏名 and 生年月日, and the schema says so', async () => {
    const person = { name: '住所 等子', birthDate: '1985-08-08' };
    const id = await registerHolder(person);
    const cert = await certFor(graph.ca, person);
    const refusal = await refusedBoth(clerk, M1, { input: { holderId: id, certificatePem: cert.certPem, checks: { ...checks, addressMatched: false } } });
    expect(refusal.map((e) => [e.code, e.field.join('.')])).toEqual([['ADDRESS_NOT_MATCHED', 'input.checks.addressMatched']]);
    expect(refusal[0]!.message).toMatch(/住所等（住所、氏名及び生年月日）/);
    expect(refusal[0]!.message).toMatch(/記載事項変更の登録/);
    const { served } = await gqlBoth(graph, clerk, `{ __type(name: "CounterChecksInput") { inputFields { name description } } }`);
    const described = served.data.__type.inputFields.find((f: { name: string }) => f.name === 'addressMatched').description;
    expect(described).toMatch(/住所, 氏名 and 生年月日/);
  });
});

describe('R-CERT-4: the 移動端末設備用署名用電子証明書', () => {
  it.each(ENGINES)(
    'R-CERT-4: a smartphone certificate linked to the M1 card certificate links Myna Portal; M1 itself takes the card certificate only (%s)',
    async (engine) => {
      const person = { name: `携帯 端末${engine === 'hive' ? '一' : '二'}`, birthDate: '1993-03-03' };
      const id = await registerHolder(person);
      const cardCert = await certFor(graph.ca, person);
      const mobile = await certFor(graph.ca, person, { kind: 'MOBILE', cardSerial: cardCert.serial });

      const atCounter = (await m1(urlOf(engine), id, mobile.certPem)).data.submitSignatureCertificate;
      expect(errors(atCounter)).toEqual(['MOBILE_CERTIFICATE_NOT_ACCEPTED']);
      expect(atCounter.userErrors[0].message).toMatch(/個人番号カード用署名用電子証明書/);
      expect(errors((await m1(urlOf(engine), id, cardCert.certPem)).data.submitSignatureCertificate)).toEqual([]);

      const unlinked = await certFor(graph.ca, person, { kind: 'MOBILE', cardSerial: randomSerial() });
      expect(errors((await m2(urlOf(engine), unlinked.certPem, `pseudonym-mobile-${engine}`)).data.linkMynaPortal)).toEqual(['CERTIFICATE_MISMATCH']);
      const linked = (await m2(urlOf(engine), mobile.certPem, `pseudonym-mobile-${engine}`)).data.linkMynaPortal;
      expect(errors(linked)).toEqual([]);
      expect((await card(id)).eligibility.honsekiOnlineChange.eligible).toBe(true);
      // The card certificate afterwards is the same link, idempotent.
      expect(errors((await m2(urlOf(engine), cardCert.certPem, `pseudonym-mobile-${engine}`)).data.linkMynaPortal)).toEqual([]);
    },
  );

  it('R-CERT-4: a consent signed with the smartphone certificate is refused; the card certificate signs it', async () => {
    const person = { name: '同意 携帯', birthDate: '1994-04-04' };
    const id = await registerHolder(person);
    const cardCert = await certFor(graph.ca, person);
    const mobile = await certFor(graph.ca, person, { kind: 'MOBILE', cardSerial: cardCert.serial });
    expect(errors((await m1(graph.gatewayUrl, id, cardCert.certPem)).data.submitSignatureCertificate)).toEqual([]);
    expect(errors((await m2(graph.gatewayUrl, mobile.certPem, 'pseudonym-consent-mobile')).data.linkMynaPortal)).toEqual([]);
    const grant = (cert: { certPem: string; keyPem: string }) => ({
      input: {
        pseudonym: 'pseudonym-consent-mobile',
        items: ['ADDRESS'],
        termsVersion: 'v1',
        signedConsent: signedConsent(cert, { subject: 'pseudonym-consent-mobile', items: ['ADDRESS'], signedAt: graph.clock.now().toISOString() }),
      },
    });
    const refusal = await refusedBoth(portal, GRANT, grant(mobile));
    expect(refusal.map((e) => [e.code, e.field.join('.')])).toEqual([['MOBILE_CERTIFICATE_NOT_ACCEPTED', 'input.signedConsent.certificatePem']]);
    expect((await card(id)).addressOneStopConsent).toBeNull();
    const granted = await gql(graph.gatewayUrl, portal, GRANT, grant(cardCert));
    expect(granted.data.grantAddressOneStopConsent.userErrors).toEqual([]);
    expect((await card(id)).addressOneStopConsent.status).toBe('ACTIVE');
  });
});
