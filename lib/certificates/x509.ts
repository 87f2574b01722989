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

export const RSA_SHA256: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
