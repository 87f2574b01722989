import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkJlisSignature, jlisCanonical, signedJlisLine } from '../lib/domain/certificates/jlis-feed.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed25519 = generateKeyPairSync('ed25519');
const line = {
  notificationId: 'J-1',
  kind: 'CERTIFICATE_RENEWED',
  previousSerial: 'de01',
  serial: 'AB01',
  notBefore: '2026-03-30T00:00:00+09:00',
  notAfter: '2031-03-30T00:00:00+09:00',
  address: 'が東京都',
  filedOn: '2026-03-30',
};

describe("the J-LIS feed's signature (issue 15.7)", () => {
  it('security: the canonical form is the same from the file and from the graph (instants in UTC, texts in NFC, absent fields null)', () => {
    const fromFile = jlisCanonical({ ...line, address: 'か\u3099東京都' });
    const fromGraph = jlisCanonical({
      ...line,
      notBefore: new Date('2026-03-29T15:00:00Z'),
      notAfter: new Date('2031-03-29T15:00:00.000Z'),
      name: null,
      birthDate: null,
    });
    expect(fromFile).toBe(fromGraph);
    expect(fromFile).toBe(
      '{"notificationId":"J-1","kind":"CERTIFICATE_RENEWED","previousSerial":"de01","serial":"AB01","notBefore":"2026-03-29T15:00:00.000Z","notAfter":"2031-03-29T15:00:00.000Z","name":null,"address":"が東京都","birthDate":null,"filedOn":"2026-03-30"}',
    );
  });

  it('security: an RSA or an Ed25519 signature by a trusted key verifies; any field changed, or a key not trusted, does not', async () => {
    for (const key of [rsa, ed25519]) {
      const signed = signedJlisLine(line, key.privateKey);
      expect(await checkJlisSignature(signed, signed.signature, [ed25519.publicKey, rsa.publicKey])).toBe('VALID');
      expect(await checkJlisSignature({ ...signed, filedOn: '2026-03-31' }, signed.signature, [rsa.publicKey, ed25519.publicKey])).toBe('INVALID');
      expect(await checkJlisSignature({ ...signed, serial: 'ab01' }, signed.signature, [rsa.publicKey, ed25519.publicKey])).toBe('INVALID');
    }
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = signedJlisLine(line, other.privateKey);
    expect(await checkJlisSignature(foreign, foreign.signature, [rsa.publicKey, ed25519.publicKey])).toBe('INVALID');
    expect(await checkJlisSignature(line, null, [rsa.publicKey])).toBe('MISSING');
    expect(await checkJlisSignature(line, 'not base64!', [rsa.publicKey])).toBe('INVALID');
  });
});
