import { asc, gt } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { firstBreak, type ChainBreak } from './chain.js';
import { accessRecords, type AccessRecordRow } from './tables.js';

/** Walks the whole access log in pages and returns the first broken record, or null when the chain holds. */
export async function verifyAccessLog(db: Db, pageSize = 5000): Promise<{ checked: number; broken: ChainBreak | null }> {
  let previous: { seq: number; hash: string } | null = null;
  let checked = 0;
  for (;;) {
    const rows: AccessRecordRow[] = await db
      .select()
      .from(accessRecords)
      .where(previous ? gt(accessRecords.seq, previous.seq) : undefined)
      .orderBy(asc(accessRecords.seq))
      .limit(pageSize);
    if (rows.length === 0) return { checked, broken: null };
    const broken = firstBreak(rows, previous);
    if (broken) return { checked: checked + rows.findIndex((r) => r.seq === broken.seq), broken };
    checked += rows.length;
    const last: AccessRecordRow = rows.at(-1)!;
    previous = { seq: last.seq, hash: last.hash };
  }
}
