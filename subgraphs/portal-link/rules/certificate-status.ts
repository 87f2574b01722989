export type CertificateStatus = 'VALID' | 'EXPIRED' | 'REVOKED';

/** The status of the M1 certificate on file: revocation known to the system wins over the validity period. */
export function certificateStatus(c: { revokedAt: Date | null; notAfter: Date }, now: Date): CertificateStatus {
  if (c.revokedAt) return 'REVOKED';
  return now.getTime() > c.notAfter.getTime() ? 'EXPIRED' : 'VALID';
}
