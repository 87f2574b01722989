import { and, asc, eq, gt, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { WorkCount } from '../../lib/platform/metrics.js';
import type { Db } from '../../lib/platform/db/database.js';
import { arrayLiteral, inArrayList, inArrayPlaceholder, insertArrayRows, arrayRecordset } from '../../lib/platform/db/array-rows.js';
import { builtOnce } from '../../lib/platform/db/built-once.js';
import { isUniqueViolation } from '../../lib/platform/db/unique-violation.js';
import { holders, recordChanges, recordImports, type HolderRow, type RecordImportRow } from './tables.js';

/** Data access of the driver subgraph: statements only, no rules and no authorization. */

const holdersByIds = builtOnce((db) => db.select().from(holders).where(inArrayPlaceholder(holders.id, 'ids')).prepare('driver_holders_by_ids'));

export const findHoldersByIds = (db: Db, ids: readonly string[]): Promise<HolderRow[]> => holdersByIds(db).execute({ ids: arrayLiteral(ids) });

export const findHoldersByLicenseNumbers = (db: Db, numbers: readonly string[]): Promise<HolderRow[]> =>
  db.select().from(holders).where(inArrayList(holders.licenseNumber, numbers));

export const findImportsByHolderIds = (db: Db, holderIds: readonly string[]): Promise<RecordImportRow[]> =>
  db.select().from(recordImports).where(inArrayList(recordImports.holderId, holderIds)).orderBy(asc(recordImports.effectiveOn), asc(recordImports.id));

export const findImportsByIds = (db: Db, ids: readonly string[]): Promise<RecordImportRow[]> =>
  db.select().from(recordImports).where(inArrayList(recordImports.id, ids));

export type NewHolder = typeof holders.$inferInsert;

/** Null when the licence number is already on a holder (the unique index answers, also for two at once). */
export async function insertHolder(db: Db, values: NewHolder): Promise<HolderRow | null> {
  try {
    const [row] = await db.insert(holders).values(values).returning();
    return row!;
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
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
  status?: RecordImportRow['status'] | null;
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

export async function lockHolders(db: Db, ids: readonly string[]): Promise<HolderRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(holders).where(inArrayList(holders.id, ids)).orderBy(asc(holders.id)).for('update');
}

export type NewRecordImport = typeof recordImports.$inferInsert;

/** Inserts the import unless its (source, sourceRef, item) exists; null when it did. */
export async function insertImportOnce(db: Db, values: NewRecordImport): Promise<RecordImportRow | null> {
  const [row] = await db.insert(recordImports).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export interface ImportKey {
  source: string;
  sourceRef: string;
  item: string;
}

/** The imports that exist for any of these (source, sourceRef, item) keys, in one statement however many keys. */
export async function findImportsBySource(db: Db, keys: readonly ImportKey[]): Promise<RecordImportRow[]> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(recordImports)
    .where(
      sql`(${recordImports.source}, ${recordImports.sourceRef}, ${recordImports.item}) in (select source, source_ref, item from ${arrayRecordset(
        keys.map((k) => ({ source: k.source, source_ref: k.sourceRef, item: k.item })),
        { source: 'text', source_ref: 'text', item: 'text' },
      )})`,
    );
}

/** Inserts imports in one statement, each unless its key exists (a concurrent request may have written it). */
export async function insertImportsOnce(db: Db, rows: readonly (NewRecordImport & { id: string; createdAt: Date })[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => ({
    id: r.id,
    holder_id: r.holderId,
    item: r.item,
    new_value: r.newValue,
    source: r.source,
    source_ref: r.sourceRef,
    filed_on: r.filedOn,
    effective_on: r.effectiveOn,
    created_at: r.createdAt,
  }));
  await db.execute(
    sql`${insertArrayRows(recordImports, values, {
      id: 'uuid',
      holder_id: 'uuid',
      item: 'text',
      new_value: 'text',
      source: 'text',
      source_ref: 'text',
      filed_on: 'date',
      effective_on: 'date',
      created_at: 'timestamptz',
    })} on conflict do nothing`,
  );
}

/** Due pending imports, claimed so that concurrent workers each take different rows (SKIP LOCKED). */
/** The pending imports due by `today`, unlocked: what a due run will ask the other subgraphs about before it claims them. */
export async function peekDueImports(db: Db, today: string, limit: number): Promise<Pick<RecordImportRow, 'id' | 'holderId' | 'source'>[]> {
  return db
    .select({ id: recordImports.id, holderId: recordImports.holderId, source: recordImports.source })
    .from(recordImports)
    .where(and(eq(recordImports.status, 'PENDING'), lte(recordImports.effectiveOn, today)))
    .orderBy(asc(recordImports.effectiveOn), asc(recordImports.createdAt), asc(recordImports.id))
    .limit(limit);
}

/** Locks those of these imports still pending and due that no other worker holds; the others are left alone. */
export async function claimDueImports(db: Db, today: string, ids: readonly string[]): Promise<RecordImportRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(recordImports)
    .where(and(inArrayList(recordImports.id, ids), eq(recordImports.status, 'PENDING'), lte(recordImports.effectiveOn, today)))
    .orderBy(asc(recordImports.effectiveOn), asc(recordImports.createdAt), asc(recordImports.id))
    .for('update', { skipLocked: true });
}

/** A holder's pending imports of one item, locked: a change registered by hand may supersede them (R-IMP-2). */
export async function lockPendingImports(db: Db, holderId: string, item: RecordImportRow['item']): Promise<RecordImportRow[]> {
  return db
    .select()
    .from(recordImports)
    .where(and(eq(recordImports.holderId, holderId), eq(recordImports.item, item), eq(recordImports.status, 'PENDING')))
    .for('update');
}

/** Per holder and item, when staff last registered a change of it by hand (R-IMP-2). */
export async function latestHandChanges(db: Db, holderIds: readonly string[]): Promise<{ holderId: string; item: string; changedAt: Date }[]> {
  if (holderIds.length === 0) return [];
  const rows = await db
    .select({
      holderId: recordChanges.holderId,
      item: recordChanges.item,
      changedAt: sql<Date>`max(${recordChanges.changedAt})`.mapWith(recordChanges.changedAt),
    })
    .from(recordChanges)
    .where(inArrayList(recordChanges.holderId, holderIds))
    .groupBy(recordChanges.holderId, recordChanges.item);
  return rows;
}

export async function lockImport(db: Db, id: string): Promise<RecordImportRow | null> {
  const [row] = await db.select().from(recordImports).where(eq(recordImports.id, id)).for('update');
  return row ?? null;
}

export async function setImportOutcome(
  db: Db,
  id: string,
  outcome: { status: 'APPLIED' | 'FAILED' | 'RESOLVED' | 'SUPERSEDED' | 'CANCELLED'; failureReason?: string | null; failureMessage?: string | null; at: Date },
): Promise<RecordImportRow> {
  const [row] = await db
    .update(recordImports)
    .set({
      status: outcome.status,
      failureReason: outcome.failureReason ?? null,
      failureMessage: outcome.failureMessage ?? null,
      ...(outcome.status === 'APPLIED' ? { appliedAt: outcome.at } : {}),
      ...(outcome.status === 'RESOLVED' ? { resolvedAt: outcome.at } : {}),
    })
    .where(eq(recordImports.id, id))
    .returning();
  return row!;
}

export async function setHolderItem(db: Db, id: string, column: 'honseki' | 'address' | 'name' | 'birthDate', value: string, now: Date): Promise<HolderRow> {
  const [row] = await db
    .update(holders)
    .set({ [column]: value, updatedAt: now })
    .where(eq(holders.id, id))
    .returning();
  return row!;
}

/**
 * The hand resolutions of failed imports of these holders (R-IMP-2): what staff wrote, and the imported value it
 * replaced, so that the same value arriving again is not scheduled over the resolution (R-CHAR-1).
 */
export async function findResolutions(db: Db, holderIds: readonly string[]): Promise<{ holderId: string; item: string; value: string; replaced: string }[]> {
  return db
    .select({ holderId: recordChanges.holderId, item: recordChanges.item, value: recordChanges.value, replaced: recordImports.newValue })
    .from(recordChanges)
    .innerJoin(recordImports, eq(recordImports.id, recordChanges.resolvesImportId))
    .where(inArrayList(recordChanges.holderId, holderIds));
}

/**
 * Per holder, the issue day of the newest 戸籍電子証明書 whose 本籍 the record took, online or by a hand resolution
 * of its failed import (R-HON-2): an older certificate never overwrites it.
 */
export async function findLatestHonsekiCertificates(db: Db, holderIds: readonly string[]): Promise<{ holderId: string; issuedOn: string | null }[]> {
  return db
    .select({ holderId: recordImports.holderId, issuedOn: sql<string | null>`max(${recordImports.filedOn})::text` })
    .from(recordImports)
    .where(
      and(
        inArrayList(recordImports.holderId, holderIds),
        eq(recordImports.source, 'HONSEKI_ONLINE'),
        eq(recordImports.item, 'HONSEKI'),
        inArray(recordImports.status, ['APPLIED', 'RESOLVED']),
      ),
    )
    .groupBy(recordImports.holderId);
}

export async function insertRecordChange(db: Db, values: typeof recordChanges.$inferInsert): Promise<void> {
  await db.insert(recordChanges).values(values);
}

/** Record imports waiting to fall due, and those that failed and wait for a person (the import failures). */
export async function recordImportWork(db: Db): Promise<WorkCount[]> {
  const rows = await db
    .select({ state: recordImports.status, count: sql<number>`count(*)::int` })
    .from(recordImports)
    .where(inArray(recordImports.status, ['PENDING', 'FAILED']))
    .groupBy(recordImports.status);
  return ['PENDING', 'FAILED'].map((state) => ({ queue: 'record_imports', state, count: Number(rows.find((r) => r.state === state)?.count ?? 0) }));
}
