import { describe, expect, it } from 'vitest';
import { consentExpiresOn, consentStatus } from '../subgraphs/consent/rules/consent-period.js';

describe('R-ONE-2: ten years by 民法第140条・第143条 in Japan time', () => {
  it.each([
    ['2025-03-24', '2035-03-24'],
    ['2024-02-29', '2034-02-28'],
    ['2024-02-28', '2034-02-28'],
    ['2025-12-31', '2035-12-31'],
    ['2026-01-31', '2036-01-31'],
  ])('R-ONE-2: a consent given on %s is valid through %s', (given, last) => {
    expect(consentExpiresOn(given)).toBe(last);
  });
  it('R-ONE-2: the status turns EXPIRED at midnight Japan time after the last valid day', () => {
    const c = { revokedAt: null, expiresOn: '2035-03-24' };
    expect(consentStatus(c, new Date('2035-03-24T23:59:59+09:00'))).toBe('ACTIVE');
    expect(consentStatus(c, new Date('2035-03-25T00:00:00+09:00'))).toBe('EXPIRED');
    // 15:00 UTC on the 24th is already the 25th in Japan.
    expect(consentStatus(c, new Date('2035-03-24T15:00:00Z'))).toBe('EXPIRED');
  });
  it('R-ONE-4: a revoked consent is REVOKED whatever its period', () => {
    expect(consentStatus({ revokedAt: new Date('2026-01-01T00:00:00Z'), expiresOn: '2035-03-24' }, new Date('2026-02-01T00:00:00Z'))).toBe('REVOKED');
  });
});
