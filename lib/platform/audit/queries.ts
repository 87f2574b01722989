import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { accessRecords, type AccessRecordRow } from './tables.js';

/** A holder's access records, newest first, keyset-paged on the record number. */
export function findAccessRecords(db: Db, holderId: string, beforeSeq: number | null, limit: number): Promise<AccessRecordRow[]> {
  return db
    .select()
    .from(accessRecords)
    .where(and(eq(accessRecords.holderId, holderId), beforeSeq !== null ? lt(accessRecords.seq, beforeSeq) : undefined))
    .orderBy(desc(accessRecords.seq))
    .limit(limit);
}
