import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEGACY_CHAIN, recordHash, requestRecordHasher } from '../lib/platform/audit/chain.js';

const text = fc.string({ unit: 'binary', maxLength: 20 });
const record = fc.record({
  at: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
  requestId: text,
  service: text,
  subject: text,
  role: text,
  prefecture: fc.option(text, { nil: null }),
  purpose: fc.option(text, { nil: null }),
  identityVerification: fc.option(text, { nil: null }),
  chain: fc.oneof(fc.uuid(), fc.constant(LEGACY_CHAIN)),
  chainSeq: fc.integer({ min: 1, max: 2 ** 40 }),
  id: fc.uuid(),
  holderId: fc.uuid(),
  action: fc.constantFrom('READ', 'WRITE'),
  fields: fc.array(text, { maxLength: 4 }),
  outcome: fc.constantFrom('ALLOWED', 'DENIED'),
  prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

/** The formula every record in the log was hashed with, stated plainly: old rows must keep verifying. */
function referenceHash(r: Parameters<typeof recordHash>[0]): string {
  const position = r.chain === LEGACY_CHAIN ? [r.chainSeq] : [r.chain, r.chainSeq];
  const canonical = JSON.stringify([
    ...position,
    r.id,
    r.at.toISOString(),
    r.requestId,
    r.service,
    r.subject,
    r.role,
    r.prefecture,
    r.holderId,
    r.action,
    r.fields,
    r.purpose,
    r.identityVerification,
    r.outcome,
    r.prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

describe('R-INQ-1: the access log hash', () => {
  it('written per request is the JSON-array formula audit:verify recomputes, for any record of either chain kind', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(requestRecordHasher(r)(r)).toBe(referenceHash(r));
        expect(recordHash(r)).toBe(referenceHash(r));
      }),
      { numRuns: 300 },
    );
  });
});
