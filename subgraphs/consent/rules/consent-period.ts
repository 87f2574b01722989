import { compareDates, japanDate, type IsoDate } from '../../../lib/platform/japan-date.js';
import { periodLastDay } from '../../../lib/domain/legal-period.js';

export const CONSENT_YEARS = 10;

/** R-ONE-2: the last valid day of a consent given on `givenOn` (a Japan date), counted as 民法 counts periods. */
export function consentExpiresOn(givenOn: IsoDate, years = CONSENT_YEARS): IsoDate {
  return periodLastDay(givenOn, { years });
}

export type ConsentStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

/** A revoked consent stays revoked; otherwise it is active through the end of its last valid day in Japan. */
export function consentStatus(consent: { revokedAt: Date | null; expiresOn: IsoDate }, now: Date): ConsentStatus {
  if (consent.revokedAt) return 'REVOKED';
  return compareDates(japanDate(now), consent.expiresOn) > 0 ? 'EXPIRED' : 'ACTIVE';
}

export type CertificateStatus = 'VALID' | 'EXPIRED' | 'REVOKED';

/** The state of the certificate a consent follows (R-ONE-6): revoked with no successor, expired, or current. */
export function followedCertificateStatus(c: { certificateRevokedAt: Date | null; certificateNotAfter: Date }, now: Date): CertificateStatus {
  if (c.certificateRevokedAt) return 'REVOKED';
  return now.getTime() > c.certificateNotAfter.getTime() ? 'EXPIRED' : 'VALID';
}
