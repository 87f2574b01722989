import { addDays, startOfJapanDay } from '../../../lib/platform/japan-date.js';
import { consentStatus } from './consent-period.js';

export type JlisKind = 'CERTIFICATE_RENEWED' | 'CERTIFICATE_REVOKED';

export interface JlisNotification {
  notificationId: string;
  kind: JlisKind;
  previousSerial: string;
  serial?: string | null;
  notBefore?: Date | null;
  notAfter?: Date | null;
  name?: string | null;
  address?: string | null;
  birthDate?: string | null;
  filedOn: string;
  /** J-LIS's signature of the fields above (lib/domain/certificates/jlis-feed.ts); checked before anything is decided. */
  signature?: string | null;
}

export interface FollowingConsent {
  id: string;
  holderId: string;
  items: readonly string[];
  revokedAt: Date | null;
  expiresOn: string;
  certificateNotAfter: Date;
}

export type Decision =
  | { action: 'SKIP'; reason: string }
  | { action: 'REVOKE'; consentId: string; holderId: string }
  | {
      action: 'RENEW';
      consentId: string;
      holderId: string;
      changes: { item: 'ADDRESS' | 'NAME' | 'BIRTH_DATE'; newValue: string }[];
      effectiveOn: string;
      follow: { serial: string; notAfter: Date };
    };

/**
 * R-ONE-5/6 as a pure decision for one notification about the certificate a consent follows, judged on the day of
 * the municipal filing, not the day J-LIS delivers it (R-ONE-5): a consent whose last valid day was the filing day
 * covers it, one that lapsed the day before does not; the followed certificate must not have expired by its
 * validity before that day either (R-ONE-6 ②: the start procedure is needed again). A revocation of the consent
 * stops it whenever made: before the filing the consent did not cover it, after it the change may not apply
 * (R-IMP-3). A renewal schedules the consented items the new certificate carries, effective two days after the
 * filing; a revocation of the certificate leaves the consent waiting for the successor (R-ELIG-3).
 */
export function decide(n: JlisNotification, consent: FollowingConsent | null): Decision {
  if (!consent) return { action: 'SKIP', reason: 'NO_CONSENT_FOR_CERTIFICATE' };
  const filed = startOfJapanDay(n.filedOn);
  const status = consentStatus(consent, filed);
  if (status === 'REVOKED') return { action: 'SKIP', reason: 'CONSENT_REVOKED' };
  if (status === 'EXPIRED') return { action: 'SKIP', reason: 'CONSENT_EXPIRED' };
  if (n.kind === 'CERTIFICATE_REVOKED') return { action: 'REVOKE', consentId: consent.id, holderId: consent.holderId };
  if (consent.certificateNotAfter < filed) return { action: 'SKIP', reason: 'CERTIFICATE_EXPIRED_RESTART_NEEDED' };
  const values = { ADDRESS: n.address, NAME: n.name, BIRTH_DATE: n.birthDate } as const;
  const changes = (['ADDRESS', 'NAME', 'BIRTH_DATE'] as const)
    .filter((item) => consent.items.includes(item) && typeof values[item] === 'string' && values[item]!.length > 0)
    .map((item) => ({ item, newValue: values[item]! }));
  return {
    action: 'RENEW',
    consentId: consent.id,
    holderId: consent.holderId,
    changes,
    effectiveOn: addDays(n.filedOn, 2),
    follow: { serial: n.serial!, notAfter: n.notAfter! },
  };
}

/** Outcome of a renewal from the driver's answers for its items (no items or all equal: NO_CHANGE). */
export function renewalOutcome(itemOutcomes: readonly string[]): { outcome: 'SCHEDULED' | 'NO_CHANGE' | 'SKIPPED'; reason: string | null } {
  if (itemOutcomes.some((o) => ['SCHEDULED', 'APPLIED', 'FAILED', 'DUPLICATE'].includes(o))) return { outcome: 'SCHEDULED', reason: null };
  if (itemOutcomes.includes('NOT_ELIGIBLE')) return { outcome: 'SKIPPED', reason: 'NOT_ELIGIBLE' };
  if (itemOutcomes.includes('SUPERSEDED')) return { outcome: 'SKIPPED', reason: 'SUPERSEDED_BY_MANUAL_CHANGE' };
  if (itemOutcomes.includes('HOLDER_NOT_FOUND')) return { outcome: 'SKIPPED', reason: 'HOLDER_NOT_FOUND' };
  return { outcome: 'NO_CHANGE', reason: null };
}
