import { createSign, randomBytes, webcrypto } from 'node:crypto';
import { mintSignatureCertificate, type DevCa } from '../../lib/domain/certificates/dev-ca.js';
import { RSA_SHA256, SUBJECT_OID, x509 } from '../../lib/domain/certificates/x509.js';

/** Six random bytes, the first 01–7F: a serial as DER writes it, with no leading zero byte to drop or add. */
export const randomSerial = () => {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0]! % 0x7f) + 1;
  return bytes.toString('hex').toUpperCase();
};

export async function certFor(
  ca: DevCa,
  person: { name: string; birthDate: string; address?: string },
  over: { serial?: string; notBefore?: Date; notAfter?: Date; kind?: 'CARD' | 'MOBILE'; cardSerial?: string } = {},
) {
  const serial = over.serial ?? randomSerial();
  const minted = await mintSignatureCertificate(ca, {
    serial,
    name: person.name,
    address: person.address ?? '東京都',
    birthDate: person.birthDate,
    notBefore: over.notBefore ?? new Date('2025-01-01T00:00:00Z'),
    notAfter: over.notAfter ?? new Date('2030-01-01T00:00:00Z'),
    kind: over.kind,
    cardSerial: over.cardSerial,
  });
  return { ...minted, serial };
}

/**
 * A certificate the dev CA signs with the extensions given, for certificates J-LIS would never issue as a signature
 * certificate (a CA certificate carrying a person's subject, other key usages, no policy).
 */
export async function certWithExtensions(ca: DevCa, person: { name: string; birthDate: string }, extensions: x509.Extension[]) {
  const keys = (await webcrypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const caKey = (await webcrypto.subtle.importKey('pkcs8', Buffer.from(ca.keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'), RSA_SHA256, false, [
    'sign',
  ])) as CryptoKey;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: new x509.Name([{ [SUBJECT_OID.name]: [person.name] }, { [SUBJECT_OID.address]: ['東京都'] }, { [SUBJECT_OID.birthDate]: [person.birthDate] }]),
    issuer: new x509.X509Certificate(ca.certPem).subject,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: RSA_SHA256,
    extensions,
  });
  return `${cert.toString('pem')}\n`;
}

/** What Myna Portal or the centre terminal does: sign the consent document with the certificate's key. */
export function signDocument(keyPem: string, document: string): string {
  return createSign('RSA-SHA256').update(document, 'utf8').sign(keyPem, 'base64');
}
