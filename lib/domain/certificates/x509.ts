import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 builds and parses certificates over WebCrypto; node's own implementation serves it.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };

/** Where the 基本4情報 live in the subject of a dev signature certificate (DOMAIN-NOTES.md). */
export const SUBJECT_OID = {
  name: '2.5.4.3',
  address: '2.5.4.9',
  birthDate: '1.3.6.1.5.5.7.9.1',
} as const;

/**
 * What tells the two kinds of 署名用電子証明書 apart and links them (R-CERT-4, DOMAIN-NOTES.md), in the certificate J-LIS
 * signs: a certificate policy per kind, and in a 移動端末設備用署名用電子証明書 an extension naming the serial of the
 * 個人番号カード用署名用電子証明書 it was issued under. J-LIS's own OIDs for these are not public, so the dev CA and
 * this check use stand-ins under 2.999, the arc ITU-T X.660 keeps for examples (short arcs: @peculiar/x509 cannot
 * re-encode an extension whose OID has an arc over 56 bits, such as a UUID arc). A deployment puts the OIDs of J-LIS's
 * certificate profile here.
 */
const ARC = '2.999.392';
export const CERTIFICATE_POLICY = {
  CARD: `${ARC}.1.1`,
  MOBILE: `${ARC}.1.2`,
} as const;
export type CertificateKind = keyof typeof CERTIFICATE_POLICY;
/** Extension of a smartphone certificate: the card certificate's serial, upper-case hexadecimal, as a PrintableString. */
export const LINKED_CARD_SERIAL_OID = `${ARC}.2.1`;

/** DER PrintableString of `text` (ASCII, short enough for a one-byte length). */
export function derPrintableString(text: string): Uint8Array<ArrayBuffer> {
  if (text.length > 127 || !/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError('not a short PrintableString');
  return Uint8Array.from([0x13, text.length, ...Buffer.from(text, 'ascii')]) as Uint8Array<ArrayBuffer>;
}

/** The text of a DER PrintableString, or null when `der` is not exactly one. */
export function readDerPrintableString(der: ArrayBuffer | Uint8Array): string | null {
  const bytes = der instanceof Uint8Array ? der : new Uint8Array(der);
  if (bytes.length < 2 || bytes[0] !== 0x13 || bytes[1]! > 127 || bytes.length !== 2 + bytes[1]!) return null;
  return Buffer.from(bytes.subarray(2)).toString('ascii');
}

/** The extension a smartphone certificate names its card certificate in (non-critical): see LINKED_CARD_SERIAL_OID. */
export function linkedCardSerialExtension(cardSerial: string): x509.Extension {
  return new x509.Extension(LINKED_CARD_SERIAL_OID, false, derPrintableString(cardSerial));
}

export const RSA_SHA256: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
