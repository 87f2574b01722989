import { asc, gt } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { firstBreak, type ChainBreak, type ChainHeads } from './chain.js';
import { accessRecords, type AccessRecordRow } from './tables.js';

/** Walks the whole access log in pages and returns the first broken record, or null when every chain holds. */
export async function verifyAccessLog(db: Db, pageSize = 5000): Promise<{ checked: number; chains: number; broken: ChainBreak | null }> {
  const heads: ChainHeads = new Map();
  let afterSeq: number | null = null;
  let checked = 0;
  for (;;) {
    const rows: AccessRecordRow[] = await db
      .select()
      .from(accessRecords)
      .where(afterSeq !== null ? gt(accessRecords.seq, afterSeq) : undefined)
      .orderBy(asc(accessRecords.seq))
      .limit(pageSize);
    if (rows.length === 0) return { checked, chains: heads.size, broken: null };
    const broken = firstBreak(rows, heads);
    if (broken) return { checked: checked + rows.findIndex((r) => r.seq === broken.seq), chains: heads.size, broken };
    checked += rows.length;
    afterSeq = rows.at(-1)!.seq;
  }
}
