import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSignatureCertificate } from '../lib/domain/certificates/dev-ca.js';
import { trustStoreFromPem, verifySignatureCertificate } from '../lib/domain/certificates/verify.js';
import { createFamilyRegisterClient } from '../workers/family-register-client.js';
import { testCa } from './support/graph.js';

/** 16.11: texts that come from outside the graph's arguments are normalised where they come in. */
let answer: unknown;
let url: string;
let stop: () => void;
beforeAll(async () => {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = () => server.close();
});
afterAll(() => stop?.());

const registry = () => createFamilyRegisterClient({ baseUrl: () => url, attempts: 1 });
const certificate = { honseki: '東京都千代田区か\u30991番', name: '山田 は\u309aる', birthDate: '1980-01-02', issuedOn: '2026-03-30' };

describe("R-CHAR-1: the family register's answer and a certificate's subject are taken in NFC (16.11)", () => {
  it("R-HON-2: the 戸籍電子証明書's 本籍 and 氏名 come in composed", async () => {
    answer = certificate;
    expect(await registry().fetchCertificate('1234567890123456')).toEqual({
      kind: 'OK',
      honseki: '東京都千代田区が1番',
      name: '山田 ぱる',
      birthDate: '1980-01-02',
      issuedOn: '2026-03-30',
    });
  });

  it.each([
    [{ birthDate: '0000-01-01' }],
    [{ issuedOn: '2200-01-01' }],
    [{ birthDate: '2026-03-31' }],
    [{ honseki: '東京都\u0000千代田区' }],
    [{ name: '山田\u202e太郎' }],
    [{ honseki: 42 }],
  ])('security: an answer the record cannot take (%j) is MALFORMED, never passed on', async (over) => {
    answer = { ...certificate, ...over };
    expect(await registry().fetchCertificate('1234567890123456')).toEqual({ kind: 'MALFORMED' });
  });

  it('R-CERT-1: a certificate whose subject is written decomposed is read composed', async () => {
    const ca = await testCa();
    const now = new Date();
    const { certPem } = await mintSignatureCertificate(ca, {
      serial: '0A0B',
      name: '山田 か\u3099く',
      address: '東京都港区は\u309a1',
      birthDate: '1980-01-02',
      notBefore: new Date(now.getTime() - 60_000),
    });
    const r = verifySignatureCertificate(certPem, { trust: trustStoreFromPem(ca.certPem), now });
    expect(r).toMatchObject({ ok: true, certificate: { name: '山田 がく', address: '東京都港区ぱ1' } });
  });
});
