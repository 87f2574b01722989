import { describe, expect, it } from 'vitest';
import { documentProblem, hasDuplicateKey, parseInstant, signedConsentDigest } from '../subgraphs/consent/rules/signed-consent.js';

const now = new Date('2026-04-01T00:00:00Z');
const claim = { subject: 'holder-1', items: ['ADDRESS'], termsVersion: 'v1', now };
const doc = (signedAt: unknown) => JSON.stringify({ subject: 'holder-1', items: ['ADDRESS'], termsVersion: 'v1', signedAt });

describe('R-ONE-1: the signed consent document (pure rule)', () => {
  it("R-ONE-1: a document naming a key twice is refused — JSON.parse keeps the last, a signer's screen may show the first", () => {
    const twice = `{"subject":"holder-0","subject":"holder-1","items":["ADDRESS"],"termsVersion":"v1","signedAt":"2026-04-01T00:00:00Z"}`;
    expect(documentProblem(twice, claim)).toMatchObject({ field: 'document' });
    expect(hasDuplicateKey('{"a":{"b":1,"b":2}}')).toBe(true);
    expect(hasDuplicateKey('{"a":[{"b":1},{"b":2}],"c":"\\"b\\":"}')).toBe(false);
    expect(hasDuplicateKey('{"a\\u0062":1,"ab":2}')).toBe(true);
    expect(documentProblem(doc('2026-04-01T00:00:00Z'), claim)).toBeNull();
  });

  it('R-ONE-1: signedAt is an ISO 8601 instant with Z or an offset, to the second, an optional fraction', () => {
    expect(parseInstant('2026-04-01T09:00:00+09:00')).toBe(now.getTime());
    expect(parseInstant('2026-04-01T00:00:00Z')).toBe(now.getTime());
    expect(parseInstant('2026-03-31T23:30:00-00:30')).toBe(now.getTime());
    expect(parseInstant('2026-04-01T00:00:00.5Z')).toBe(now.getTime() + 500);
    expect(parseInstant('2026-04-01T00:00:00.123456789Z')).toBe(now.getTime() + 123);
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it.each([
    'Apr 01 2026 00:00:00 GMT',
    'Wed, 01 Apr 2026 00:00:00 GMT',
    'Nov 30 2026 10:00',
    '2026-04-01',
    '2026-04-01T00:00:00',
    '2026-04-01 00:00:00Z',
    '2026-04-01T00:00Z',
    '2026-04-01t00:00:00z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-04-01T24:00:00Z',
    '2026-04-01T23:60:00Z',
    '2026-04-01T23:59:60Z',
    '2026-04-01T00:00:00+24:00',
    '2026-04-01T00:00:00+0900',
    '2026-04-01T00:00:00.Z',
    '+002026-04-01T00:00:00Z',
    ' 2026-04-01T00:00:00Z',
    '2026-04-01T00:00:00Z\n',
    '２０２６-04-01T00:00:00Z',
  ])('R-ONE-1: %j is not an instant', (text) => {
    expect(parseInstant(text)).toBeNull();
    expect(documentProblem(doc(text), claim)).toMatchObject({ field: 'document.signedAt' });
  });

  it('R-ONE-1: a number or nothing for signedAt is refused; the window stays 5 minutes ahead, 24 hours back', () => {
    expect(documentProblem(doc(now.getTime()), claim)?.field).toBe('document.signedAt');
    expect(documentProblem(doc(undefined), claim)?.field).toBe('document.signedAt');
    expect(documentProblem(doc('2026-04-01T00:05:00Z'), claim)).toBeNull();
    expect(documentProblem(doc('2026-04-01T00:05:01Z'), claim)?.field).toBe('document.signedAt');
    expect(documentProblem(doc('2026-03-31T00:00:00Z'), claim)).toBeNull();
    expect(documentProblem(doc('2026-03-30T23:59:59Z'), claim)?.field).toBe('document.signedAt');
  });

  it('R-ONE-1 and R-CHAR-2: every problem is told in Japanese and names its field', () => {
    const problems = [
      documentProblem('x'.repeat(5000), claim),
      documentProblem('{', claim),
      documentProblem('[]', claim),
      documentProblem(JSON.stringify({ subject: 'other' }), claim),
      documentProblem(JSON.stringify({ subject: 'holder-1', items: ['NAME'] }), claim),
      documentProblem(JSON.stringify({ subject: 'holder-1', items: ['ADDRESS'], termsVersion: 'v2' }), claim),
      documentProblem(doc('soon'), claim),
      documentProblem(doc('2020-01-01T00:00:00Z'), claim),
    ];
    for (const p of problems) {
      expect(p).not.toBeNull();
      expect(p!.message).toContain(p!.field);
      expect(p!.message).toMatch(/同意データ/);
    }
  });

  it('R-ONE-1: one document is one digest, whatever else differs', () => {
    expect(signedConsentDigest(doc('2026-04-01T00:00:00Z'))).toBe(signedConsentDigest(doc('2026-04-01T00:00:00Z')));
    expect(signedConsentDigest(doc('2026-04-01T00:00:00Z'))).not.toBe(signedConsentDigest(doc('2026-04-01T00:00:01Z')));
    expect(signedConsentDigest('髙')).toMatch(/^[0-9a-f]{64}$/);
  });
});
