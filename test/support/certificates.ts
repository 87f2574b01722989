import { createSign } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { mintSignatureCertificate, type DevCa } from '../../lib/certificates/dev-ca.js';

export const randomSerial = () => randomBytes(6).toString('hex').toUpperCase();

export async function certFor(
  ca: DevCa,
  person: { name: string; birthDate: string; address?: string },
  over: { serial?: string; notBefore?: Date; notAfter?: Date } = {},
) {
  const serial = over.serial ?? randomSerial();
  const minted = await mintSignatureCertificate(ca, {
    serial,
    name: person.name,
    address: person.address ?? '東京都',
    birthDate: person.birthDate,
    notBefore: over.notBefore ?? new Date('2025-01-01T00:00:00Z'),
    notAfter: over.notAfter ?? new Date('2030-01-01T00:00:00Z'),
  });
  return { ...minted, serial };
}

/** What Myna Portal or the centre terminal does: sign the consent document with the certificate's key. */
export function signDocument(keyPem: string, document: string): string {
  return createSign('RSA-SHA256').update(document, 'utf8').sign(keyPem, 'base64');
}
