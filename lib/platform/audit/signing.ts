import { createHmac, timingSafeEqual } from 'node:crypto';

/** The MAC before the first checkpoint. */
export const GENESIS_MAC = '0'.repeat(64);

/** One signed checkpoint: the head of one writer's chain, linked to the checkpoint before it. */
export interface Checkpoint {
  n: number;
  at: Date;
  chain: string;
  chainSeq: number;
  hash: string;
  prevMac: string;
  /** The number of the same chain's checkpoint before this one, as its writer remembers it; null for a chain's first. */
  prevOfChain: number | null;
  mac: string;
}

/**
 * HMAC-SHA256 with AUDIT_LOG_KEY, a key the database never holds: its owner can rewrite and rehash the access log,
 * but cannot sign what it wrote. Each kind of message starts with its own label, so a record's MAC can never pass
 * for a checkpoint's.
 */
export interface AuditSigner {
  /** Signs the last record of a group commit: its chain, position and hash (which covers its content and its past). */
  recordMac(chain: string, chainSeq: number, hash: string): string;
  checkpointMac(c: Omit<Checkpoint, 'mac'>): string;
  /** Compares in constant time. */
  same(expected: string, actual: string | null): boolean;
}

export function auditSigner(key: string): AuditSigner {
  const secret = Buffer.from(key, 'utf8');
  const mac = (parts: unknown[]) => createHmac('sha256', secret).update(JSON.stringify(parts), 'utf8').digest('hex');
  return {
    recordMac: (chain, chainSeq, hash) => mac(['record', chain, chainSeq, hash]),
    checkpointMac: (c) => mac(['checkpoint', c.n, c.at.toISOString(), c.chain, c.chainSeq, c.hash, c.prevMac, c.prevOfChain]),
    same: (expected, actual) => {
      if (actual === null || actual.length !== expected.length) return false;
      return timingSafeEqual(Buffer.from(expected), Buffer.from(actual));
    },
  };
}
