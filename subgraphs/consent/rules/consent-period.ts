import { addDays, compareDates, daysInMonth, japanDate, type IsoDate } from '../../../lib/japan-date.js';

export const CONSENT_YEARS = 10;

/**
 * R-ONE-2: the last valid day of a consent given on `givenOn` (a Japan date), counted as 民法 counts periods.
 * 第140条: the first day is not counted, so the period starts the next day. 第143条: a period in years ends at the
 * end of the day before the day corresponding to the start; when the final month has no such day, at the end of
 * that month.
 */
export function consentExpiresOn(givenOn: IsoDate, years = CONSENT_YEARS): IsoDate {
  const start = addDays(givenOn, 1);
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const mm = String(m).padStart(2, '0');
  if (d > daysInMonth(year, m)) return `${year}-${mm}-${String(daysInMonth(year, m)).padStart(2, '0')}`;
  return addDays(`${year}-${mm}-${String(d).padStart(2, '0')}`, -1);
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
