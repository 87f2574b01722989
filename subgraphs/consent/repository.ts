import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { executeRows, type Db } from '../../lib/platform/db/database.js';
import { arrayLiteral, inArrayList, inArrayPlaceholder, insertArrayRows, arrayRecordset } from '../../lib/platform/db/array-rows.js';
import { builtOnce } from '../../lib/platform/db/built-once.js';
import type { WorkCount } from '../../lib/platform/metrics.js';
import {
  consents,
  jlisNotifications,
  recordChangeOutbox,
  revokedCertificates,
  usedSignedConsents,
  type ConsentRow,
  type RecordChangeOutboxRow,
} from './tables.js';

/** The latest consent of each holder, one statement for any number of holders. */
const latestConsents = builtOnce((db) =>
  db
    .selectDistinctOn([consents.holderId])
    .from(consents)
    .where(inArrayPlaceholder(consents.holderId, 'holderIds'))
    .orderBy(consents.holderId, desc(consents.consentedAt), desc(consents.createdAt))
    .prepare('consent_latest_consents'),
);

export const findLatestConsents = (db: Db, holderIds: readonly string[]): Promise<ConsentRow[]> =>
  latestConsents(db).execute({ holderIds: arrayLiteral(holderIds) });

/** Per holder, the latest revocation of any of its consents (R-ONE-4); holders with none are left out. */
export async function latestConsentRevocations(db: Db, holderIds: readonly string[]): Promise<{ holderId: string; revokedAt: Date }[]> {
  if (holderIds.length === 0) return [];
  const rows = await db
    .select({ holderId: consents.holderId, revokedAt: sql<Date>`max(${consents.revokedAt})`.mapWith(consents.revokedAt) })
    .from(consents)
    .where(and(inArrayList(consents.holderId, holderIds), sql`${consents.revokedAt} is not null`))
    .groupBy(consents.holderId);
  return rows;
}

/** Consents by id, one statement for any number of them. */
export const findConsentsByIds = (db: Db, ids: readonly string[]): Promise<ConsentRow[]> => db.select().from(consents).where(inArrayList(consents.id, ids));

/**
 * Consents that are the holder's latest, not revoked, still valid on `today`, and whose last valid day is before
 * `before` (R-ONE-2); keyset-paged on (expiresOn, id).
 */
export async function findConsentsExpiring(
  db: Db,
  q: { today: string; before: string; after: readonly [string, string] | null; limit: number },
): Promise<ConsentRow[]> {
  const latest = db
    .selectDistinctOn([consents.holderId], { id: consents.id })
    .from(consents)
    .orderBy(consents.holderId, desc(consents.consentedAt), desc(consents.createdAt))
    .as('latest');
  const keyset = q.after ? or(gt(consents.expiresOn, q.after[0]), and(eq(consents.expiresOn, q.after[0]), gt(consents.id, q.after[1]))) : undefined;
  const rows = await db
    .select({ consent: consents })
    .from(consents)
    .innerJoin(latest, eq(latest.id, consents.id))
    .where(and(isNull(consents.revokedAt), sql`${consents.expiresOn} >= ${q.today}`, lt(consents.expiresOn, q.before), keyset))
    .orderBy(asc(consents.expiresOn), asc(consents.id))
    .limit(q.limit);
  return rows.map((r) => r.consent);
}

/** Serialises every consent change of one holder (grant, revoke, J-LIS) inside the current transaction. */
export async function lockHolderConsents(db: Db, holderId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`consent:${holderId}`}, 0))`);
}

export async function latestConsentForUpdate(db: Db, holderId: string): Promise<ConsentRow | null> {
  const [row] = await db
    .select()
    .from(consents)
    .where(eq(consents.holderId, holderId))
    .orderBy(desc(consents.consentedAt), desc(consents.createdAt))
    .limit(1)
    .for('update');
  return row ?? null;
}

export async function insertConsent(db: Db, values: typeof consents.$inferInsert): Promise<ConsentRow> {
  const [row] = await db.insert(consents).values(values).returning();
  return row!;
}

export async function updateConsent(db: Db, id: string, set: Partial<typeof consents.$inferInsert>): Promise<ConsentRow> {
  const [row] = await db.update(consents).set(set).where(eq(consents.id, id)).returning();
  return row!;
}

/**
 * Claims a signed consent document for a consent (R-ONE-1); false when it was used before. Inside the grant's
 * transaction: a concurrent claim of the same digest waits on the primary key and then finds it taken, or takes it
 * when the first transaction rolled back.
 */
export async function claimSignedConsent(db: Db, claim: { documentDigest: string; consentId: string; usedAt: Date }): Promise<boolean> {
  const rows = await db.insert(usedSignedConsents).values(claim).onConflictDoNothing().returning({ d: usedSignedConsents.documentDigest });
  return rows.length === 1;
}

/**
 * Whether a consent of this holder was moved to this certificate serial by a J-LIS renewal (R-ONE-6): the serial is
 * then the successor J-LIS issued to the holder of the certificate the consent followed. A consent's serial changes
 * only by a renewal (jlis.ts records the notification with the consent it moved), so a consent that follows the
 * serial and has a renewal recorded follows it because of one.
 */
export async function followsRenewedSerial(db: Db, holderId: string, serialNumber: string): Promise<boolean> {
  const rows = await db
    .select({ id: consents.id })
    .from(consents)
    .where(
      and(
        eq(consents.holderId, holderId),
        eq(consents.certificateSerial, serialNumber),
        sql`exists (select 1 from ${jlisNotifications} n where n.consent_id = ${consents.id} and n.kind = 'CERTIFICATE_RENEWED')`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function isRevokedSerial(db: Db, serialNumber: string): Promise<boolean> {
  const rows = await db.select().from(revokedCertificates).where(eq(revokedCertificates.serialNumber, serialNumber)).limit(1);
  return rows.length > 0;
}

/** The holders' latest consents that follow one of these certificate serials. */
export async function latestConsentsFollowing(db: Db, serials: readonly string[]): Promise<ConsentRow[]> {
  if (serials.length === 0) return [];
  const holderIds = db.select({ h: consents.holderId }).from(consents).where(inArrayList(consents.certificateSerial, serials));
  const latest = await db
    .selectDistinctOn([consents.holderId])
    .from(consents)
    .where(inArray(consents.holderId, holderIds))
    .orderBy(consents.holderId, desc(consents.consentedAt), desc(consents.createdAt));
  const wanted = new Set(serials);
  return latest.filter((c) => wanted.has(c.certificateSerial));
}

export async function seenNotificationIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: jlisNotifications.notificationId }).from(jlisNotifications).where(inArrayList(jlisNotifications.notificationId, ids));
  return new Set(rows.map((r) => r.id));
}

/** Records notifications in one statement, each unless already there; the ids recorded now (R-ONE-7). */
export async function recordNotificationsOnce(db: Db, rows: readonly (typeof jlisNotifications.$inferInsert & { receivedAt: Date })[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const values = rows.map((r) => ({
    notification_id: r.notificationId,
    kind: r.kind,
    consent_id: r.consentId,
    filed_on: r.filedOn,
    outcome: r.outcome,
    reason: r.reason,
    received_at: r.receivedAt,
  }));
  const inserted = await executeRows<{ notification_id: string }>(
    db,
    sql`${insertArrayRows(jlisNotifications, values, {
      notification_id: 'text',
      kind: 'text',
      consent_id: 'uuid',
      filed_on: 'date',
      outcome: 'text',
      reason: 'text',
      received_at: 'timestamptz',
    })} on conflict do nothing returning notification_id`,
  );
  return new Set(inserted.map((r) => r.notification_id));
}

/** Records revoked serials in one statement; one already known keeps its first notification. */
export async function recordRevokedSerials(db: Db, rows: readonly { serialNumber: string; revokedAt: Date; notificationId: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => ({ serial_number: r.serialNumber, revoked_at: r.revokedAt, notification_id: r.notificationId }));
  await db.execute(
    sql`${insertArrayRows(revokedCertificates, values, { serial_number: 'text', revoked_at: 'timestamptz', notification_id: 'text' })} on conflict do nothing`,
  );
}

/** A consent's certificate after a batch: the serial it follows, that certificate's end, its revocation. */
export interface ConsentCertificateChange {
  consentId: string;
  serial?: string;
  notAfter?: Date;
  /** Undefined: unchanged; null: cleared (a renewal); a date: revoked then. */
  revokedAt?: Date | null;
}

/** Applies each consent's certificate change of a batch in one statement. */
export async function applyConsentCertificateChanges(db: Db, changes: readonly ConsentCertificateChange[]): Promise<void> {
  if (changes.length === 0) return;
  const values = changes.map((c) => ({
    id: c.consentId,
    serial: c.serial,
    not_after: c.notAfter,
    set_revoked: c.revokedAt !== undefined,
    revoked_at: c.revokedAt,
  }));
  const v = arrayRecordset(values, { id: 'uuid', serial: 'text', not_after: 'timestamptz', set_revoked: 'boolean', revoked_at: 'timestamptz' }, 'v');
  await db.execute(sql`update ${consents} as c set
      certificate_serial = coalesce(v.serial, c.certificate_serial),
      certificate_not_after = coalesce(v.not_after, c.certificate_not_after),
      certificate_revoked_at = case when v.set_revoked then v.revoked_at else c.certificate_revoked_at end
    from ${v}
    where c.id = v.id`);
}

export async function insertOutbox(db: Db, values: typeof recordChangeOutbox.$inferInsert): Promise<RecordChangeOutboxRow> {
  const [row] = await db.insert(recordChangeOutbox).values(values).returning();
  return row!;
}

/**
 * Leases undelivered rows to one worker until `until`: rows under another live lease are skipped, so workers never
 * deliver the same row at once, and a crashed worker's rows come back when its lease ends.
 */
export async function leaseOutbox(db: Db, opts: { now: Date; until: Date; limit: number; ids?: readonly string[] }): Promise<RecordChangeOutboxRow[]> {
  const candidates = db
    .select({ id: recordChangeOutbox.id })
    .from(recordChangeOutbox)
    .where(
      and(
        isNull(recordChangeOutbox.deliveredAt),
        or(isNull(recordChangeOutbox.claimedUntil), lt(recordChangeOutbox.claimedUntil, opts.now)),
        opts.ids ? inArrayList(recordChangeOutbox.id, opts.ids) : undefined,
      ),
    )
    .orderBy(asc(recordChangeOutbox.createdAt))
    .limit(opts.limit)
    .for('update', { skipLocked: true });
  return db
    .update(recordChangeOutbox)
    .set({ claimedUntil: opts.until, attempts: sql`${recordChangeOutbox.attempts} + 1` })
    .where(inArray(recordChangeOutbox.id, candidates))
    .returning();
}

export async function settleOutbox(db: Db, ids: readonly string[], deliveredAt: Date | null): Promise<void> {
  if (ids.length === 0) return;
  await db.update(recordChangeOutbox).set({ deliveredAt, claimedUntil: null }).where(inArrayList(recordChangeOutbox.id, ids));
}

export async function countPendingOutbox(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(recordChangeOutbox).where(isNull(recordChangeOutbox.deliveredAt));
  return Number(row?.n ?? 0);
}

/** Record changes owed to the driver record and not yet delivered. */
export async function outboxWork(db: Db): Promise<WorkCount[]> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(recordChangeOutbox).where(isNull(recordChangeOutbox.deliveredAt));
  return [{ queue: 'record_change_outbox', state: 'UNDELIVERED', count: Number(row?.count ?? 0) }];
}
