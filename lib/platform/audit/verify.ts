import { asc, gt } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { GENESIS_HASH, recordHash } from './chain.js';
import { readCheckpoints } from './checkpoints.js';
import { GENESIS_MAC, type AuditSigner } from './signing.js';
import { accessRecords, type AccessRecordRow, type ChainHeadRow } from './tables.js';

/**
 * What `audit:verify` can find, each where it shows:
 * - at a record (`seq`): HASH_MISMATCH (content edited), BROKEN_LINK / MISSING_RECORD (a record removed or moved),
 *   MAC_MISMATCH (a commit's signed record rehashed or forged), HEAD_MISMATCH (a record at a signed head differs);
 * - in a chain (`chain`, `chainSeq`): CHAIN_MISSING (a chain with a signed head has no record left), TAIL_CUT (it ends
 *   before its last signed head), UNSIGNED_RECORD (records after the last signed point: appended without the key),
 *   CHAIN_NOT_REGISTERED (records signed per commit whose chain never reached the checkpoint list);
 * - in the checkpoint list (`checkpoint`): CHECKPOINT_MAC_MISMATCH (forged or edited), CHECKPOINT_MISSING (one removed:
 *   a gap, a broken link, or a writer's own last checkpoint gone), STALE_CHECKPOINT (the newest is older than allowed:
 *   everything after it may have been cut).
 */
export type AuditProblem =
  | 'HASH_MISMATCH'
  | 'BROKEN_LINK'
  | 'MISSING_RECORD'
  | 'MAC_MISMATCH'
  | 'HEAD_MISMATCH'
  | 'CHAIN_MISSING'
  | 'TAIL_CUT'
  | 'UNSIGNED_RECORD'
  | 'CHAIN_NOT_REGISTERED'
  | 'CHECKPOINT_MAC_MISMATCH'
  | 'CHECKPOINT_MISSING'
  | 'STALE_CHECKPOINT';

export type ChainBreak = { problem: AuditProblem; seq?: number; chain?: string; chainSeq?: number; checkpoint?: number };

export interface VerifyResult {
  /** Records that verified before the first problem among them (all of them when none). */
  checked: number;
  chains: number;
  /** The first problem found: in the checkpoint list, then in the records, then in the chains' ends. */
  broken: ChainBreak | null;
  problems: ChainBreak[];
  lastCheckpoint: { n: number; at: Date; mac: string } | null;
}

/** What the checkpoint list says about one chain. A `prevOfChain` of null is a writer that does not vouch for it. */
interface SignedChain {
  /** Signed heads by position (a heartbeat repeats a head; positions 0 say only that the chain exists). */
  heads: Map<number, string>;
  /** The highest signed position. */
  top: number;
  /** The chain's last checkpoint number, for the next one's `prevOfChain`. */
  lastCheckpoint: number;
}

/** What the walk has seen of one chain. */
interface WalkedChain {
  chainSeq: number;
  hash: string;
  /** The last position covered by a record's MAC. */
  macSeq: number;
}

/**
 * Checks the whole access log with AUDIT_LOG_KEY's signer: the checkpoint list (each MAC, each link, no gap, every
 * writer's own previous checkpoint still there), then every record in insertion order (hash, link to its predecessor
 * in its chain, the MAC of each commit's last record, the records at signed heads), then each chain's end against its
 * last signed head. Pages through both tables; what is kept in memory is a few entries per chain.
 */
export async function verifyAccessLog(
  db: Db,
  signer: AuditSigner,
  opts: { pageSize?: number; now?: Date; maxCheckpointAgeMs?: number } = {},
): Promise<VerifyResult> {
  const problems: ChainBreak[] = [];
  const signed = new Map<string, SignedChain>();
  const lastCheckpoint = await checkCheckpoints(db, signer, signed, problems, opts.pageSize);

  const walked = new Map<string, WalkedChain>();
  let checked = 0;
  let afterSeq: number | null = null;
  walk: for (;;) {
    const rows: AccessRecordRow[] = await db
      .select()
      .from(accessRecords)
      .where(afterSeq !== null ? gt(accessRecords.seq, afterSeq) : undefined)
      .orderBy(asc(accessRecords.seq))
      .limit(opts.pageSize ?? 5000);
    if (rows.length === 0) break;
    for (const r of rows) {
      const problem = checkRecord(r, walked, signed, signer);
      if (problem) {
        problems.push({ seq: r.seq, problem });
        break walk;
      }
      checked++;
    }
    afterSeq = rows.at(-1)!.seq;
  }
  // A chain's end means something only when the walk reached it.
  if (!problems.some((p) => p.seq !== undefined)) checkChainEnds(walked, signed, lastCheckpoint !== null, problems);

  if (opts.maxCheckpointAgeMs !== undefined) {
    const now = opts.now ?? new Date();
    if (!lastCheckpoint || now.getTime() - lastCheckpoint.at.getTime() > opts.maxCheckpointAgeMs) {
      problems.push({ problem: 'STALE_CHECKPOINT', ...(lastCheckpoint ? { checkpoint: lastCheckpoint.n } : {}) });
    }
  }
  return { checked, chains: walked.size, broken: problems[0] ?? null, problems, lastCheckpoint };
}

/** Walks the list: numbers without a gap, each MAC, each link to the one before, each chain's own link. */
async function checkCheckpoints(db: Db, signer: AuditSigner, signed: Map<string, SignedChain>, problems: ChainBreak[], pageSize?: number) {
  let prev: { n: number; mac: string } = { n: 0, mac: GENESIS_MAC };
  let last: ChainHeadRow | null = null;
  let broken = false;
  for await (const page of readCheckpoints(db, pageSize)) {
    for (const c of page) {
      last = c;
      if (broken) continue;
      const chain = signed.get(c.chain);
      const problem = !signer.same(signer.checkpointMac(c), c.mac)
        ? 'CHECKPOINT_MAC_MISMATCH'
        : c.n !== prev.n + 1 || c.prevMac !== prev.mac || (c.prevOfChain !== null && c.prevOfChain !== chain?.lastCheckpoint)
          ? 'CHECKPOINT_MISSING'
          : null;
      if (problem) {
        problems.push({ checkpoint: c.n, problem });
        // What follows a break is not trusted to tell the chains' heads.
        broken = true;
        continue;
      }
      const entry = chain ?? { heads: new Map<number, string>(), top: 0, lastCheckpoint: c.n };
      entry.heads.set(c.chainSeq, c.hash);
      entry.top = Math.max(entry.top, c.chainSeq);
      entry.lastCheckpoint = c.n;
      signed.set(c.chain, entry);
      prev = c;
    }
  }
  return last ? { n: last.n, at: last.at, mac: last.mac } : null;
}

function checkRecord(r: AccessRecordRow, walked: Map<string, WalkedChain>, signed: Map<string, SignedChain>, signer: AuditSigner): AuditProblem | null {
  const prev = walked.get(r.chain) ?? { chainSeq: 0, hash: GENESIS_HASH, macSeq: 0 };
  if (r.chainSeq !== prev.chainSeq + 1) return 'MISSING_RECORD';
  if (r.prevHash !== prev.hash) return 'BROKEN_LINK';
  if (recordHash(r) !== r.hash) return 'HASH_MISMATCH';
  if (r.mac !== null && !signer.same(signer.recordMac(r.chain, r.chainSeq, r.hash), r.mac)) return 'MAC_MISMATCH';
  const signedHash = signed.get(r.chain)?.heads.get(r.chainSeq);
  if (signedHash !== undefined && signedHash !== r.hash) return 'HEAD_MISMATCH';
  walked.set(r.chain, { chainSeq: r.chainSeq, hash: r.hash, macSeq: r.mac !== null ? r.chainSeq : prev.macSeq });
  return null;
}

/** Each chain against its signed heads: none missing, none cut, nothing after the last signed point. */
function checkChainEnds(walked: Map<string, WalkedChain>, signed: Map<string, SignedChain>, anyCheckpoint: boolean, problems: ChainBreak[]): void {
  for (const [chain, s] of signed) {
    const top = s.top;
    const seen = walked.get(chain);
    if (top > 0 && !seen) problems.push({ chain, problem: 'CHAIN_MISSING' });
    else if (seen && top > seen.chainSeq) problems.push({ chain, chainSeq: seen.chainSeq + 1, problem: 'TAIL_CUT' });
  }
  for (const [chain, w] of walked) {
    const s = signed.get(chain);
    // Before the first checkpoint nothing is signed yet (a log written by an earlier version); from then on every
    // chain is in the list before its first record.
    if (!s) {
      if (anyCheckpoint) problems.push({ chain, problem: w.macSeq > 0 ? 'CHAIN_NOT_REGISTERED' : 'UNSIGNED_RECORD', chainSeq: 1 });
      continue;
    }
    const covered = Math.max(w.macSeq, s.top);
    if (w.chainSeq > covered) problems.push({ chain, chainSeq: covered + 1, problem: 'UNSIGNED_RECORD' });
  }
}
