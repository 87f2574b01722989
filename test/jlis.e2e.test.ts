import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type Caller, type TestGraph } from './support/graph.js';
import { signedJlisLine } from '../lib/domain/certificates/jlis-feed.js';
import { demoSerial as serial, renewal, signed } from './support/jlis.js';

const INGEST = readFileSync(new URL('../schema/operations/IngestJlisNotifications.graphql', import.meta.url), 'utf8');
const STATE = `query($id: ID!) { holder(id: $id) { name address birthDate signatureCertificate { status }
  addressOneStopConsent { followedCertificate { serialNumber status } }
  eligibility { addressOneStop { eligible reasons { code } } }
  recordImports { item newValue status filedOn effectiveOn } } }`;
const feed: Caller = { role: 'JLIS_FEED', purpose: 'SYSTEM' };
const admin: Caller = { role: 'NPA_ADMIN' };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const ingest = async (input: object[]) => (await gql(graph.gatewayUrl, feed, INGEST, { input })).data.ingestJlisNotifications;
const state = async (n: number) => (await gql(graph.gatewayUrl, admin, STATE, { id: demoId(n) })).data.holder;
const outcomes = (r: { results: { outcome: string; reason: string | null }[] }) => r.results.map((x) => [x.outcome, x.reason]);

describe('R-ONE-5: consented items that differ are scheduled two days after filing', () => {
  it('R-ONE-5: a new address and name for a holder who consented to ADDRESS and NAME; the birth date is not consented and ignored', async () => {
    const r = await ingest([renewal('J-000001', 1, { name: '山田 太郎', address: '東京都港区六本木6-10-1', birthDate: '1980-01-03' })]);
    expect(outcomes(r)).toEqual([['SCHEDULED', null]]);
    const s = await state(1);
    const imports = s.recordImports.filter((i: { filedOn: string }) => i.filedOn === '2026-03-30');
    // The name is unchanged (NO_CHANGE for that item); filed 03-30, effective 04-01 = today, so applied at once.
    expect(imports).toEqual([{ item: 'ADDRESS', newValue: '東京都港区六本木6-10-1', status: 'APPLIED', filedOn: '2026-03-30', effectiveOn: '2026-04-01' }]);
    expect(s.address).toBe('東京都港区六本木6-10-1');
    expect(s.birthDate).toBe('1980-01-02');
    expect(s.addressOneStopConsent.followedCertificate).toEqual({ serialNumber: 'AB000001', status: 'VALID' });
  });

  it('R-ONE-5: a change filed today waits two days', async () => {
    const r = await ingest([renewal('J-000002', 12, { address: '大阪府大阪市北区梅田1-1-1', filedOn: '2026-04-01' })]);
    expect(outcomes(r)).toEqual([['SCHEDULED', null]]);
    const s = await state(12);
    expect(s.address).toBe('大阪府大阪市中央区大手前2丁目');
    expect(s.recordImports.find((i: { newValue: string }) => i.newValue === '大阪府大阪市北区梅田1-1-1')).toMatchObject({
      status: 'PENDING',
      effectiveOn: '2026-04-03',
    });
  });

  it('R-CERT-2: a revoked M1 certificate shows REVOKED once J-LIS reports it', async () => {
    const r = await ingest([signed({ notificationId: 'J-000005', kind: 'CERTIFICATE_REVOKED', previousSerial: serial(7), filedOn: '2026-03-31' })]);
    // Holder 7 did M1 only, no consent: nothing follows the serial, but the M1 record learns of the revocation.
    expect(outcomes(r)).toEqual([['SKIPPED', 'NO_CONSENT_FOR_CERTIFICATE']]);
    expect((await state(7)).signatureCertificate.status).toBe('REVOKED');
  });

  it('R-ONE-5: values equal to the record are NO_CHANGE', async () => {
    const r = await ingest([renewal('J-000003', 4, { name: '高橋 和子', address: '東京都世田谷区世田谷4-21-27', birthDate: '1948-03-03' })]);
    expect(outcomes(r)).toEqual([['NO_CHANGE', null]]);
  });
});

describe('R-ONE-6: when no automatic change happens', () => {
  it('R-ONE-6 ②: a certificate that expired by its validity before the filing needs the start procedure again', async () => {
    const r = await ingest([renewal('J-000010', 11, { address: '東京都三鷹市上連雀1-1-1' })]);
    expect(outcomes(r)).toEqual([['SKIPPED', 'CERTIFICATE_EXPIRED_RESTART_NEEDED']]);
    expect((await state(11)).address).toBe('東京都三鷹市野崎1-1-1');
  });

  it('R-ELIG-3: a revoked consent, an unknown certificate and a holder who now holds a plastic card are skipped', async () => {
    const r = await ingest([
      renewal('J-000011', 8, { address: '東京都立川市曙町1-1-1' }),
      renewal('J-000012', 999, { address: '東京都' }),
      renewal('J-000013', 2, { address: '東京都新宿区新宿1-1-1' }),
    ]);
    expect(outcomes(r)).toEqual([
      ['SKIPPED', 'CONSENT_REVOKED'],
      ['SKIPPED', 'NO_CONSENT_FOR_CERTIFICATE'],
      ['SKIPPED', 'NOT_ELIGIBLE'],
    ]);
  });

  it('R-ELIG-3: a revocation leaves the consent waiting for the new certificate; the renewal that follows resumes it', async () => {
    // Holder 4's consent follows AB000003 since the renewal J-000003 above.
    const revoked = await ingest([signed({ notificationId: 'J-000020', kind: 'CERTIFICATE_REVOKED', previousSerial: 'AB000003', filedOn: '2026-03-31' })]);
    expect(outcomes(revoked)).toEqual([['NO_CHANGE', 'CERTIFICATE_REVOKED_AWAITING_NEW']]);
    const waiting = await state(4);
    expect(waiting.eligibility.addressOneStop.reasons.map((x: { code: string }) => x.code)).toEqual(['SIGNATURE_CERTIFICATE_REVOKED_AWAITING_NEW']);
    // The M1 certificate on file (DE000004) is another serial: it stays valid.
    expect(waiting.signatureCertificate.status).toBe('VALID');
    const renewed = await ingest([renewal('J-000021', 4, { previousSerial: 'AB000003', address: '東京都世田谷区太子堂1-1-1' })]);
    expect(outcomes(renewed)).toEqual([['SCHEDULED', null]]);
    const after = await state(4);
    expect(after.eligibility.addressOneStop.eligible).toBe(true);
    expect(after.address).toBe('東京都世田谷区太子堂1-1-1');
  });
});

describe('R-ONE-7: every notification exactly once', () => {
  it('R-ONE-7: a replayed batch is DUPLICATE line by line and changes nothing', async () => {
    const before = await state(1);
    const again = await ingest([
      renewal('J-000001', 1, { address: '東京都港区六本木6-10-1' }),
      renewal('J-000003', 4, { address: '東京都世田谷区世田谷4-21-27' }),
    ]);
    expect(outcomes(again)).toEqual([
      ['DUPLICATE', null],
      ['DUPLICATE', null],
    ]);
    expect(await state(1)).toEqual(before);
  });

  it('R-ONE-7: the same id twice in one batch is processed once', async () => {
    const r = await ingest([renewal('J-000030', 10, { address: '東京都調布市布田1-1-1' }), renewal('J-000030', 10, { address: '東京都調布市布田1-1-1' })]);
    expect(r.results.map((x: { outcome: string }) => x.outcome)).toEqual(['SCHEDULED', 'DUPLICATE']);
  });

  it('a malformed notification refuses the whole batch, naming it, and records nothing', async () => {
    const r = await ingest([renewal('J-000040', 12, { address: '大阪府堺市1-1' }), { ...renewal('J-000041', 12, { address: '大阪府' }), serial: null }]);
    expect(r.results).toEqual([]);
    expect(r.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field.join('.')])).toEqual([['INVALID_INPUT', 'input.1.serial']]);
    const later = await ingest([renewal('J-000040', 12, { address: '大阪府堺市1-1' })]);
    expect(later.results[0].outcome).not.toBe('DUPLICATE');
  });

  it('only the J-LIS feed ingests', async () => {
    const r = await gql(graph.gatewayUrl, admin, INGEST, { input: [renewal('J-000050', 1)] });
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('R-ONE-5: only notifications J-LIS signed are taken (issue 15.7)', () => {
  // A key of J-LIS's kind that the system does not trust.
  const untrusted = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const refusal = async (input: object[]): Promise<{ results: unknown[]; errors: string[][] }> => {
    const r = await ingest(input);
    return {
      results: r.results,
      errors: r.userErrors.map((e: { code: string; field: string[]; message: string }) => [e.code, e.field.join('.'), e.message] as string[]),
    };
  };

  it('R-ONE-5: a line signed by a key the system does not trust, a tampered line and a line without signature refuse the batch, naming each; nothing is scheduled', async () => {
    // Holder 12's consent follows AB000002 since J-000002 above.
    const good = renewal('J-000060', 12, { previousSerial: 'AB000002', address: '大阪府大阪市西区1-1-1' });
    const foreign = signedJlisLine({ ...renewal('J-000061', 1, { address: '東京都港区六本木9-9-9' }), signature: undefined }, untrusted);
    const tampered = { ...renewal('J-000062', 4, { address: '東京都世田谷区1-1-1' }), address: '東京都世田谷区9-9-9' };
    const { signature: _s, ...unsigned } = renewal('J-000063', 1, { name: '山田 花子' });
    const r = await refusal([good, foreign, tampered, unsigned]);
    expect(r.results).toEqual([]);
    expect(r.errors.map(([code, field]) => [code, field])).toEqual([
      ['JLIS_SIGNATURE_INVALID', 'input.1.signature'],
      ['JLIS_SIGNATURE_INVALID', 'input.2.signature'],
      ['JLIS_SIGNATURE_INVALID', 'input.3.signature'],
    ]);
    expect(r.errors[0]![2]).toBe(
      '2件目の通知の署名（signature）を、信頼する地方公共団体情報システム機構（J-LIS）の鍵で検証できません（内容の改ざん、または信頼していない鍵による署名）。このバッチは処理していません。',
    );
    expect(r.errors[2]![2]).toBe('4件目の通知に地方公共団体情報システム機構（J-LIS）の署名（signature）がありません。このバッチは処理していません。');
    // Nothing of the batch was recorded or scheduled: the good line alone is new, and the record is as it was.
    const s1 = await state(1);
    expect(s1.recordImports.some((i: { newValue: string }) => i.newValue === '東京都港区六本木9-9-9' || i.newValue === '山田 花子')).toBe(false);
    expect((await state(4)).recordImports.some((i: { newValue: string }) => i.newValue.startsWith('東京都世田谷区9'))).toBe(false);
    expect(outcomes(await ingest([good]))).toEqual([['SCHEDULED', null]]);
  });

  it('R-ONE-5: a signature over other fields, or a signature of another line, does not verify', async () => {
    const a = renewal('J-000064', 12, { address: '大阪府大阪市西区2-2-2' });
    const b = renewal('J-000065', 12, { address: '大阪府大阪市西区3-3-3' });
    const r = await refusal([
      { ...a, signature: b.signature },
      { ...b, filedOn: '2026-03-31' },
      { ...a, signature: 'not base64' },
    ]);
    expect(r.errors.map(([code, field]) => [code, field])).toEqual([
      ['JLIS_SIGNATURE_INVALID', 'input.0.signature'],
      ['JLIS_SIGNATURE_INVALID', 'input.1.signature'],
      ['JLIS_SIGNATURE_INVALID', 'input.2.signature'],
    ]);
  });
});
