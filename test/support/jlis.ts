import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { signedJlisLine, type SignedJlisFields } from '../../lib/domain/certificates/jlis-feed.js';

let key: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
/** The test's own stand-in for J-LIS's feed key (RSA 2048, as J-LIS's): the only one the test graph trusts (startTestGraph). */
export const testJlisFeedKey = () => (key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));

/** A notification signed as J-LIS signs it (API.md, J-LIS file). */
export const signed = <T extends SignedJlisFields>(n: T) => signedJlisLine(n, testJlisFeedKey().privateKey);

/** J-LIS notifications as tests build them (API.md, J-LIS file). */
export const demoSerial = (n: number) => `DE00${String(n).padStart(4, '0')}`;

/** A renewal of demo holder `n`'s certificate, signed: a new serial derived from the id, valid five years. */
export const renewal = (id: string, n: number, over: Record<string, unknown> = {}) =>
  signed({
    notificationId: id,
    kind: 'CERTIFICATE_RENEWED',
    previousSerial: demoSerial(n),
    serial: `AB${id.replace(/\D/g, '').padStart(6, '0')}`,
    notBefore: '2026-03-30T00:00:00+09:00',
    notAfter: '2031-03-30T00:00:00+09:00',
    filedOn: '2026-03-30',
    ...over,
  });
