import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevCa } from '../lib/domain/certificates/dev-ca.js';
import { demoId } from '../seeds/demo-holders.js';
import { certFor } from './support/certificates.js';
import { gql, startTestGraph, type Caller, type TestGraph } from './support/graph.js';

const M1 = `mutation($input: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $input) {
  signatureCertificate { serialNumber status notAfter } userErrors { code message field } } }`;
const M2 = `mutation($input: LinkMynaPortalInput!) { linkMynaPortal(input: $input) {
  portalLink { pseudonym linkedAt } userErrors { code message field } } }`;
const CARD = `query($id: ID!) { holder(id: $id) { signatureCertificate { serialNumber } portalLink { pseudonym }
  eligibility { honsekiOnlineChange { eligible reasons { code } } } } }`;

const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
const supervisor: Caller = { role: 'SUPERVISOR', prefecture: '13' };
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const ito = { name: '伊藤 健', birthDate: '2001-08-15' }; // demo holder 6: マイナ免許証, nothing done yet
const allChecks = { faceMatched: true, cardValid: true, addressMatched: true };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const codes = (payload: { userErrors: { code: string }[] }) => payload.userErrors.map((e) => e.code);
const m1 = (input: object, caller: Caller = clerk) => gql(graph.gatewayUrl, caller, M1, { input });
const m2 = (input: object) => gql(graph.gatewayUrl, portal, M2, { input });
const card = async (n: number) => (await gql(graph.gatewayUrl, supervisor, CARD, { id: demoId(n) })).data.holder;

describe('M1: certificate submission at the counter', () => {
  it('R-CERT-1: every failed counter check is named and M1 is refused with nothing recorded', async () => {
    const cert = await certFor(graph.ca, ito);
    const r = await m1({ holderId: demoId(6), certificatePem: cert.certPem, checks: { faceMatched: false, cardValid: true, addressMatched: false } });
    expect(codes(r.data.submitSignatureCertificate)).toEqual(['FACE_NOT_MATCHED', 'ADDRESS_NOT_MATCHED']);
    expect(r.data.submitSignatureCertificate.userErrors[1].field).toEqual(['input', 'checks', 'addressMatched']);
    expect((await card(6)).signatureCertificate).toBeNull();
  });

  it('R-CERT-2: a bad PEM, an unknown issuer, an expired and a not-yet-valid certificate are refused by name', async () => {
    const otherCa = await createDevCa();
    const cases: [string, string][] = [
      ['-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n', 'CERTIFICATE_INVALID'],
      ['hello', 'CERTIFICATE_INVALID'],
      [(await certFor(otherCa, ito)).certPem, 'CERTIFICATE_UNTRUSTED'],
      [(await certFor(graph.ca, ito, { notBefore: new Date('2020-01-01'), notAfter: new Date('2025-01-01') })).certPem, 'CERTIFICATE_EXPIRED'],
      [(await certFor(graph.ca, ito, { notBefore: new Date('2027-01-01'), notAfter: new Date('2031-01-01') })).certPem, 'CERTIFICATE_NOT_YET_VALID'],
    ];
    for (const [pem, code] of cases) {
      const r = await m1({ holderId: demoId(6), certificatePem: pem, checks: allChecks });
      expect(codes(r.data.submitSignatureCertificate), code).toEqual([code]);
      expect(JSON.stringify(r)).not.toContain('伊藤');
    }
    expect((await card(6)).signatureCertificate).toBeNull();
  });

  it("R-CERT-2: another person's certificate is CERTIFICATE_HOLDER_MISMATCH", async () => {
    const cert = await certFor(graph.ca, { name: '別人 太郎', birthDate: '2001-08-15' });
    const r = await m1({ holderId: demoId(6), certificatePem: cert.certPem, checks: allChecks });
    expect(codes(r.data.submitSignatureCertificate)).toEqual(['CERTIFICATE_HOLDER_MISMATCH']);
  });

  it('M1 for a holder of another prefecture is FORBIDDEN; an unknown holder is HOLDER_NOT_FOUND', async () => {
    const cert = await certFor(graph.ca, { name: '吉田 拓也', birthDate: '1992-10-10' });
    const other = await m1({ holderId: demoId(12), certificatePem: cert.certPem, checks: allChecks });
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const unknown = await m1({ holderId: '11111111-1111-4111-8111-999999999999', certificatePem: cert.certPem, checks: allChecks });
    expect(codes(unknown.data.submitSignatureCertificate)).toEqual(['HOLDER_NOT_FOUND']);
    const malformed = await m1({ holderId: 'x', certificatePem: cert.certPem, checks: allChecks });
    expect(codes(malformed.data.submitSignatureCertificate)).toEqual(['INVALID_INPUT']);
  });
});

describe('M2: Myna Portal linkage', () => {
  it('R-LINK-1: M2 before M1 is SIGNATURE_CERTIFICATE_NOT_SUBMITTED', async () => {
    const cert = await certFor(graph.ca, { name: '未提出 花子', birthDate: '1999-09-09' });
    const r = await m2({ certificatePem: cert.certPem, pseudonym: 'pseudonym-never-m1' });
    expect(codes(r.data.linkMynaPortal)).toEqual(['SIGNATURE_CERTIFICATE_NOT_SUBMITTED']);
  });

  it('R-LINK-1 and R-CERT-3: M1 then M2 with the same certificate links once for both services; another serial is CERTIFICATE_MISMATCH', async () => {
    const cert = await certFor(graph.ca, ito);
    const submitted = await m1({ holderId: demoId(6), certificatePem: cert.certPem, checks: allChecks });
    expect(submitted.data.submitSignatureCertificate.userErrors).toEqual([]);
    expect(submitted.data.submitSignatureCertificate.signatureCertificate).toMatchObject({ serialNumber: cert.serial, status: 'VALID' });
    expect((await card(6)).eligibility.honsekiOnlineChange.reasons.map((r: { code: string }) => r.code)).toEqual(['PORTAL_NOT_LINKED']);

    const newer = await certFor(graph.ca, ito);
    const mismatch = await m2({ certificatePem: newer.certPem, pseudonym: 'pseudonym-ito-0006' });
    expect(codes(mismatch.data.linkMynaPortal)).toEqual(['CERTIFICATE_MISMATCH']);

    const linked = await m2({ certificatePem: cert.certPem, pseudonym: 'pseudonym-ito-0006' });
    expect(linked.data.linkMynaPortal.userErrors).toEqual([]);
    expect(linked.data.linkMynaPortal.portalLink.pseudonym).toBe('pseudonym-ito-0006');
    const after = await card(6);
    expect(after.portalLink.pseudonym).toBe('pseudonym-ito-0006');
    expect(after.eligibility.honsekiOnlineChange.eligible).toBe(true);

    const again = await m2({ certificatePem: cert.certPem, pseudonym: 'pseudonym-ito-0006' });
    expect(again.data.linkMynaPortal.userErrors).toEqual([]);
    const other = await m2({ certificatePem: cert.certPem, pseudonym: 'pseudonym-ito-other' });
    expect(codes(other.data.linkMynaPortal)).toEqual(['ALREADY_LINKED']);
  });

  it('R-LINK-1: one pseudonym maps to exactly one holder (PSEUDONYM_TAKEN)', async () => {
    const person = { name: '高橋 和子', birthDate: '1948-03-03' }; // demo holder 4, M1 on file with a demo serial
    const cert = await certFor(graph.ca, person);
    await m1({ holderId: demoId(4), certificatePem: cert.certPem, checks: allChecks });
    const r = await m2({ certificatePem: cert.certPem, pseudonym: 'demo-pseudonym-0001' });
    expect(codes(r.data.linkMynaPortal)).toEqual(['PSEUDONYM_TAKEN']);
  });

  it('only MYNA_PORTAL links', async () => {
    const cert = await certFor(graph.ca, ito);
    const r = await gql(graph.gatewayUrl, clerk, M2, { input: { certificatePem: cert.certPem, pseudonym: 'pseudonym-by-clerk' } });
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
