import { asc, desc, gt, sql } from 'drizzle-orm';
import { executeRows, type Db } from '../db/database.js';
import { GENESIS_MAC, type AuditSigner, type Checkpoint } from './signing.js';
import { chainHeads, type ChainHeadRow } from './tables.js';

export type ChainHead = { chain: string; chainSeq: number; hash: string };

/** Every writer serialises on this only to append a checkpoint, once per interval: never on a request's path. */
const CHECKPOINT_LOCK = 'renkei-audit-chain-heads';

/**
 * Appends a signed checkpoint of one writer's chain head, MAC-chained to the last checkpoint in the list. The first
 * checkpoint ever written also adopts the chains written before signing began (no record of theirs carries a MAC:
 * `global` and the per-process chains of earlier versions), at their heads as found, so that from then on they are
 * covered like every other chain.
 */
export async function appendCheckpoint(
  db: Db,
  signer: AuditSigner,
  head: ChainHead & { prevOfChain: number | null },
  at: Date,
): Promise<{ written: Checkpoint; tail: { n: number } | null }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${CHECKPOINT_LOCK}))`);
    const [last] = await tx.select({ n: chainHeads.n, mac: chainHeads.mac }).from(chainHeads).orderBy(desc(chainHeads.n)).limit(1);
    const heads = last ? [head] : [...(await unsignedChains(tx)).map((c) => ({ ...c, prevOfChain: null })), head];
    let prev = last ?? { n: 0, mac: GENESIS_MAC };
    const rows: Checkpoint[] = heads.map((h) => {
      const unsigned = { n: prev.n + 1, at, chain: h.chain, chainSeq: h.chainSeq, hash: h.hash, prevMac: prev.mac, prevOfChain: h.prevOfChain };
      const row = { ...unsigned, mac: signer.checkpointMac(unsigned) };
      prev = row;
      return row;
    });
    await tx.insert(chainHeads).values(rows);
    return { written: rows.at(-1)!, tail: last ?? null };
  });
}

/** The head of every chain none of whose records carries a MAC. */
async function unsignedChains(db: Db): Promise<ChainHead[]> {
  const rows = await executeRows<{ chain: string; chain_seq: string | number; hash: string }>(
    db,
    sql`select distinct on (chain) chain, chain_seq, hash from audit.access_records
        where chain in (select chain from audit.access_records group by chain having bool_and(mac is null))
        order by chain, chain_seq desc`,
  );
  return rows.map((r) => ({ chain: r.chain, chainSeq: Number(r.chain_seq), hash: r.hash }));
}

/** The checkpoints in order, a page at a time. */
export async function* readCheckpoints(db: Db, pageSize = 5000): AsyncGenerator<ChainHeadRow[]> {
  let after = 0;
  for (;;) {
    const page = await db.select().from(chainHeads).where(gt(chainHeads.n, after)).orderBy(asc(chainHeads.n)).limit(pageSize);
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.n;
  }
}
