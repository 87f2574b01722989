import { and, asc, eq, gt, gte, inArray, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../lib/db/database.js';
import { holders, recordImports, type HolderRow, type RecordImportRow } from './tables.js';

/** Data access of the driver subgraph: statements only, no rules and no authorization. */

export const findHoldersByIds = (db: Db, ids: readonly string[]): Promise<HolderRow[]> =>
  db.select().from(holders).where(inArray(holders.id, [...ids]));

export const findHoldersByLicenseNumbers = (db: Db, numbers: readonly string[]): Promise<HolderRow[]> =>
  db.select().from(holders).where(inArray(holders.licenseNumber, [...numbers]));

export const findImportsByHolderIds = (db: Db, holderIds: readonly string[]): Promise<RecordImportRow[]> =>
  db
    .select()
    .from(recordImports)
    .where(inArray(recordImports.holderId, [...holderIds]))
    .orderBy(asc(recordImports.effectiveOn), asc(recordImports.id));

export const findImportsByIds = (db: Db, ids: readonly string[]): Promise<RecordImportRow[]> =>
  db.select().from(recordImports).where(inArray(recordImports.id, [...ids]));

export type NewHolder = typeof holders.$inferInsert;

export async function insertHolder(db: Db, values: NewHolder): Promise<HolderRow> {
  const [row] = await db.insert(holders).values(values).returning();
  return row!;
}

export async function updateHolderCards(db: Db, id: string, cards: string[], now: Date): Promise<HolderRow | null> {
  const [row] = await db.update(holders).set({ cards, updatedAt: now }).where(eq(holders.id, id)).returning();
  return row ?? null;
}

export async function lockHolder(db: Db, id: string): Promise<HolderRow | null> {
  const [row] = await db.select().from(holders).where(eq(holders.id, id)).for('update');
  return row ?? null;
}

export interface ImportSearch {
  status?: string | null;
  prefecture?: string | null;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
  /** Keyset position: the (effectiveOn, id) of the last row of the previous page. */
  after?: readonly [string, string] | null;
  limit: number;
}

/** 取込状況検索 (R-IMP-2): imports joined to their holder's prefecture, in (effectiveOn, id) order. */
export async function searchImports(db: Db, q: ImportSearch): Promise<RecordImportRow[]> {
  const where: SQL[] = [];
  if (q.status) where.push(eq(recordImports.status, q.status));
  if (q.prefecture) where.push(eq(holders.residencePrefecture, q.prefecture));
  if (q.effectiveFrom) where.push(gte(recordImports.effectiveOn, q.effectiveFrom));
  if (q.effectiveTo) where.push(lte(recordImports.effectiveOn, q.effectiveTo));
  if (q.after) {
    const [on, id] = q.after;
    where.push(or(gt(recordImports.effectiveOn, on), and(eq(recordImports.effectiveOn, on), gt(recordImports.id, id)))!);
  }
  const rows = await db
    .select({ recordImport: recordImports })
    .from(recordImports)
    .innerJoin(holders, eq(holders.id, recordImports.holderId))
    .where(and(...where))
    .orderBy(asc(recordImports.effectiveOn), asc(recordImports.id))
    .limit(q.limit);
  return rows.map((r) => r.recordImport);
}
