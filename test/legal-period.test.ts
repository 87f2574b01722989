import { describe, expect, it } from 'vitest';
import { addDays } from '../lib/platform/japan-date.js';
import { periodLastDay, periodOver } from '../lib/domain/legal-period.js';
import { consentExpiresOn } from '../subgraphs/consent/rules/consent-period.js';
import { codeExpired } from '../simulators/family-register.js';

describe('Time: one 民法第140条・第143条 period function for months and years', () => {
  it.each([
    ['2025-03-24', { years: 10 }, '2035-03-24'],
    ['2024-02-29', { years: 10 }, '2034-02-28'],
    ['2026-02-28', { years: 10 }, '2036-02-29'],
    ['2025-12-31', { years: 10 }, '2035-12-31'],
    ['2026-01-15', { months: 3 }, '2026-04-15'],
    ['2025-11-30', { months: 3 }, '2026-02-28'],
    ['2023-11-30', { months: 3 }, '2024-02-29'],
    ['2026-01-30', { months: 1 }, '2026-02-28'],
    ['2025-10-31', { months: 3 }, '2026-01-31'],
    ['2025-12-31', { months: 3 }, '2026-03-31'],
    ['2026-11-15', { months: 3 }, '2027-02-15'],
  ])('Time: a period from %s of %o ends on %s', (from, length, last) => {
    expect(periodLastDay(from, length)).toBe(last);
    expect(periodOver(from, length, last)).toBe(false);
    expect(periodOver(from, length, addDays(last, 1))).toBe(true);
  });

  it('R-ONE-2: the consent period is the same function for 10 years', () => {
    for (const given of ['2025-03-24', '2024-02-29', '2026-02-28', '2025-12-31', '2026-01-31']) {
      expect(consentExpiresOn(given)).toBe(periodLastDay(given, { years: 10 }));
    }
  });

  it('R-HON-2: an identifier code issued 2026-01-15 is accepted through 2026-04-15 and refused from 2026-04-16', () => {
    expect(codeExpired('2026-01-15', '2026-04-15')).toBe(false);
    expect(codeExpired('2026-01-15', '2026-04-16')).toBe(true);
  });

  it('R-HON-2: an identifier code issued 2025-11-30 is accepted through 2026-02-28 and refused from 2026-03-01', () => {
    expect(codeExpired('2025-11-30', '2026-02-28')).toBe(false);
    expect(codeExpired('2025-11-30', '2026-03-01')).toBe(true);
  });

  it('Time: a period is a positive whole number of months', () => {
    expect(() => periodLastDay('2026-01-01', {})).toThrow(RangeError);
    expect(() => periodLastDay('2026-01-01', { months: 1.5 })).toThrow(RangeError);
  });
});
