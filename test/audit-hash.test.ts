import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordHash, requestRecordHasher } from '../lib/audit/chain.js';

const text = fc.string({ unit: 'binary', maxLength: 20 });
const record = fc.record({
  at: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
  requestId: text, service: text, subject: text, role: text, prefecture: fc.option(text, { nil: null }),
  purpose: fc.option(text, { nil: null }), identityVerification: fc.option(text, { nil: null }),
  chain: fc.uuid(), chainSeq: fc.integer({ min: 1, max: 2 ** 40 }), id: fc.uuid(), holderId: fc.uuid(),
  action: fc.constantFrom('READ', 'WRITE'), fields: fc.array(text, { maxLength: 4 }), outcome: fc.constantFrom('ALLOWED', 'DENIED'),
  prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

describe('R-INQ-1: the access log hash written per request', () => {
  it('is the hash audit:verify recomputes, for any record', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(requestRecordHasher(r)(r)).toBe(recordHash(r));
      }),
      { numRuns: 300 },
    );
  });
});
