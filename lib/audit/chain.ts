import { createHash } from 'node:crypto';
import type { AccessRecordRow } from './tables.js';

/** The hash before the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a record's hash covers: every column but the hash itself, in a fixed order. */
export function recordHash(r: Omit<AccessRecordRow, 'hash'>): string {
  const canonical = JSON.stringify([
    r.seq, r.id, r.at.toISOString(), r.requestId, r.service, r.subject, r.role, r.prefecture, r.holderId, r.action,
    r.fields, r.purpose, r.identityVerification, r.outcome, r.prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export type ChainBreak = { seq: number; problem: 'HASH_MISMATCH' | 'BROKEN_LINK' | 'MISSING_RECORD' };

/**
 * Checks records in `seq` order, continuing from `previous` (the last record of the page before): the first record
 * whose content no longer matches its hash, that does not point at its predecessor, or that follows a gap.
 */
export function firstBreak(rows: readonly AccessRecordRow[], previous: { seq: number; hash: string } | null): ChainBreak | null {
  let prev = previous ?? { seq: 0, hash: GENESIS_HASH };
  for (const r of rows) {
    if (r.seq !== prev.seq + 1) return { seq: r.seq, problem: 'MISSING_RECORD' };
    if (r.prevHash !== prev.hash) return { seq: r.seq, problem: 'BROKEN_LINK' };
    if (recordHash(r) !== r.hash) return { seq: r.seq, problem: 'HASH_MISMATCH' };
    prev = { seq: r.seq, hash: r.hash };
  }
  return null;
}
