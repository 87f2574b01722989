import { createHash } from 'node:crypto';

/** A one-way key of a certificate subject's name and birth date (NFKC, spaces removed): compared, never read back. */
export function subjectDigest(name: string | null, birthDate: string | null): string | null {
  if (!name || !birthDate) return null;
  const normalized = `${name.normalize('NFKC').replace(/\s+/g, '')}|${birthDate}`;
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}

/** The certificate names the same person as the record: name (ignoring spacing and width) and birth date. */
export function sameSubject(cert: { name: string | null; birthDate: string | null }, record: { name: string; birthDate: string }): boolean {
  return cert.birthDate === record.birthDate && subjectDigest(cert.name, cert.birthDate) === subjectDigest(record.name, record.birthDate);
}
