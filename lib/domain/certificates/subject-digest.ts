import { createHash } from 'node:crypto';
import { foldName } from '../characters/names.js';

const DIGEST_VERSION = 'v2:';

/**
 * A one-way key of a certificate subject's name and birth date, compared, never read back. The name is folded as
 * names are compared (R-CHAR-1: 代替文字, variation selectors, width and spacing aside), so two certificates of one
 * person that write a character differently give the same key.
 */
export function subjectDigest(name: string | null, birthDate: string | null): string | null {
  if (!name || !birthDate) return null;
  return (
    DIGEST_VERSION +
    createHash('sha256')
      .update(`${foldName(name)}|${birthDate}`, 'utf8')
      .digest('hex')
  );
}

/** The keys rows written before names were folded by the 代替文字 table carry (NFKC, spaces removed, no prefix). */
function legacySubjectDigest(name: string | null, birthDate: string | null): string | null {
  if (!name || !birthDate) return null;
  return createHash('sha256')
    .update(`${name.normalize('NFKC').replace(/\s+/g, '')}|${birthDate}`, 'utf8')
    .digest('hex');
}

/** Every key a stored row of this subject may carry: the current one, and the one rows of earlier versions hold. */
export function subjectDigests(name: string | null, birthDate: string | null): string[] {
  return [subjectDigest(name, birthDate), legacySubjectDigest(name, birthDate)].filter((d): d is string => d !== null);
}

/**
 * The certificate names the same person as the record (R-CERT-1, R-HON-2, R-ONE-1): the same birth date, and the
 * same name but for 代替文字, variation selectors, width and spacing (R-CHAR-1).
 */
export function sameSubject(cert: { name: string | null; birthDate: string | null }, record: { name: string; birthDate: string }): boolean {
  return cert.birthDate === record.birthDate && subjectDigest(cert.name, cert.birthDate) === subjectDigest(record.name, record.birthDate);
}
