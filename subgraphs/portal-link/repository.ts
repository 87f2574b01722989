import { and, desc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../lib/platform/db/database.js';
import { arrayLiteral, inArrayList, inArrayPlaceholder } from '../../lib/platform/db/array-rows.js';
import { builtOnce } from '../../lib/platform/db/built-once.js';
import type { WorkCount } from '../../lib/platform/metrics.js';
import {
  certificateHolders,
  honsekiChangeRequests,
  portalLinks,
  signatureCertificates,
  type HonsekiChangeRequestRow,
  type PortalLinkRow,
  type SignatureCertificateRow,
} from './tables.js';

/** The certificate on file per holder: the latest M1 submission. */
const latestCertificates = builtOnce((db) =>
  db
    .selectDistinctOn([signatureCertificates.holderId])
    .from(signatureCertificates)
    .where(inArrayPlaceholder(signatureCertificates.holderId, 'holderIds'))
    .orderBy(signatureCertificates.holderId, desc(signatureCertificates.submittedAt), desc(signatureCertificates.id))
    .prepare('portal_link_latest_certificates'),
);

export const findLatestCertificates = (db: Db, holderIds: readonly string[]): Promise<SignatureCertificateRow[]> =>
  latestCertificates(db).execute({ holderIds: arrayLiteral(holderIds) });

const linksByHolderIds = builtOnce((db) =>
  db.select().from(portalLinks).where(inArrayPlaceholder(portalLinks.holderId, 'holderIds')).prepare('portal_link_links_by_holder_ids'),
);

export const findLinksByHolderIds = (db: Db, holderIds: readonly string[]): Promise<PortalLinkRow[]> =>
  linksByHolderIds(db).execute({ holderIds: arrayLiteral(holderIds) });

const linksByPseudonyms = builtOnce((db) =>
  db.select().from(portalLinks).where(inArrayPlaceholder(portalLinks.pseudonym, 'pseudonyms')).prepare('portal_link_links_by_pseudonyms'),
);

export const findLinksByPseudonyms = (db: Db, pseudonyms: readonly string[]): Promise<PortalLinkRow[]> =>
  linksByPseudonyms(db).execute({ pseudonyms: arrayLiteral(pseudonyms) });

export const findHonsekiRequestsByHolderIds = (db: Db, holderIds: readonly string[]): Promise<HonsekiChangeRequestRow[]> =>
  db
    .select()
    .from(honsekiChangeRequests)
    .where(inArrayList(honsekiChangeRequests.holderId, holderIds))
    .orderBy(desc(honsekiChangeRequests.submittedAt), desc(honsekiChangeRequests.id));

export type NewSignatureCertificate = typeof signatureCertificates.$inferInsert;

export async function insertCertificate(db: Db, values: NewSignatureCertificate): Promise<SignatureCertificateRow> {
  const [row] = await db.insert(signatureCertificates).values(values).returning();
  return row!;
}

/**
 * Claims a serial for a holder at M1 and answers who holds it: the first holder to submit it. Inside the M1
 * transaction, so a refused claim leaves nothing behind; the primary key settles two concurrent claims.
 */
export async function claimCertificateSerial(db: Db, serialNumber: string, holderId: string, at: Date): Promise<string> {
  await db.insert(certificateHolders).values({ serialNumber, holderId, firstSubmittedAt: at }).onConflictDoNothing();
  const [row] = await db.select({ holderId: certificateHolders.holderId }).from(certificateHolders).where(eq(certificateHolders.serialNumber, serialNumber));
  return row!.holderId;
}

/** Revocation known to this system: any submission of that serial marked revoked (J-LIS revocation notices). */
export async function isSerialRevoked(db: Db, serialNumber: string): Promise<boolean> {
  const rows = await db
    .select({ id: signatureCertificates.id })
    .from(signatureCertificates)
    .where(and(eq(signatureCertificates.serialNumber, serialNumber), isNotNull(signatureCertificates.revokedAt)))
    .limit(1);
  return rows.length > 0;
}

/** Holders whose certificate on file (their latest M1) has this serial. */
export async function findHoldersWithCurrentSerial(db: Db, serialNumber: string): Promise<string[]> {
  const rows = await db
    .selectDistinctOn([signatureCertificates.holderId], { holderId: signatureCertificates.holderId, serialNumber: signatureCertificates.serialNumber })
    .from(signatureCertificates)
    .where(
      inArray(
        signatureCertificates.holderId,
        db.select({ h: signatureCertificates.holderId }).from(signatureCertificates).where(eq(signatureCertificates.serialNumber, serialNumber)),
      ),
    )
    .orderBy(signatureCertificates.holderId, desc(signatureCertificates.submittedAt), desc(signatureCertificates.id));
  return rows.filter((r) => r.serialNumber === serialNumber).map((r) => r.holderId);
}

export async function anyCertificateWithSubject(db: Db, subjectDigests: readonly string[]): Promise<boolean> {
  if (subjectDigests.length === 0) return false;
  const rows = await db
    .select({ id: signatureCertificates.id })
    .from(signatureCertificates)
    .where(inArray(signatureCertificates.subjectDigest, [...subjectDigests]))
    .limit(1);
  return rows.length > 0;
}

export async function findLinkByPseudonymForUpdate(db: Db, pseudonym: string): Promise<PortalLinkRow | null> {
  return (await db.select().from(portalLinks).where(eq(portalLinks.pseudonym, pseudonym)).for('update'))[0] ?? null;
}

export async function findLinkByHolderIdForUpdate(db: Db, holderId: string): Promise<PortalLinkRow | null> {
  return (await db.select().from(portalLinks).where(eq(portalLinks.holderId, holderId)).for('update'))[0] ?? null;
}

export async function saveLink(db: Db, link: PortalLinkRow): Promise<PortalLinkRow> {
  const [row] = await db
    .insert(portalLinks)
    .values(link)
    .onConflictDoUpdate({ target: portalLinks.holderId, set: { certificateSerial: link.certificateSerial } })
    .returning();
  return row!;
}

export async function markSerialsRevoked(db: Db, serials: readonly string[], revokedAt: Date): Promise<number> {
  const rows = await db
    .update(signatureCertificates)
    .set({ revokedAt })
    .where(and(inArrayList(signatureCertificates.serialNumber, serials), isNull(signatureCertificates.revokedAt)))
    .returning({ id: signatureCertificates.id });
  return rows.length;
}

export async function insertHonsekiRequest(db: Db, values: typeof honsekiChangeRequests.$inferInsert): Promise<HonsekiChangeRequestRow> {
  const [row] = await db.insert(honsekiChangeRequests).values(values).returning();
  return row!;
}

/** An open or applied request of this holder with this code: a resubmission answers it instead of a new one. */
export async function findRequestWithCode(db: Db, holderId: string, code: string): Promise<HonsekiChangeRequestRow | null> {
  const [row] = await db
    .select()
    .from(honsekiChangeRequests)
    .where(and(eq(honsekiChangeRequests.holderId, holderId), eq(honsekiChangeRequests.identifierCode, code)))
    .limit(1);
  return row ?? null;
}

/**
 * Leases due requests to one worker (status FETCHING until `until`). Rows another worker holds are skipped, and a
 * crashed worker's lease runs out, so a request is never lost and never fetched by two workers at once.
 */
export async function leaseHonsekiRequests(db: Db, opts: { now: Date; until: Date; limit: number }): Promise<HonsekiChangeRequestRow[]> {
  const due = db
    .select({ id: honsekiChangeRequests.id })
    .from(honsekiChangeRequests)
    .where(
      and(
        inArray(honsekiChangeRequests.status, ['RECEIVED', 'FETCHING']),
        or(isNull(honsekiChangeRequests.nextAttemptAt), lte(honsekiChangeRequests.nextAttemptAt, opts.now)),
      ),
    )
    .orderBy(honsekiChangeRequests.submittedAt)
    .limit(opts.limit)
    .for('update', { skipLocked: true });
  return db
    .update(honsekiChangeRequests)
    .set({ status: 'FETCHING', nextAttemptAt: opts.until, attempts: sql`${honsekiChangeRequests.attempts} + 1` })
    .where(inArray(honsekiChangeRequests.id, due))
    .returning();
}

export async function lockHonsekiRequest(db: Db, id: string): Promise<HonsekiChangeRequestRow | null> {
  const [row] = await db.select().from(honsekiChangeRequests).where(eq(honsekiChangeRequests.id, id)).for('update');
  return row ?? null;
}

export async function updateHonsekiRequest(db: Db, id: string, set: Partial<typeof honsekiChangeRequests.$inferInsert>): Promise<HonsekiChangeRequestRow> {
  const [row] = await db.update(honsekiChangeRequests).set(set).where(eq(honsekiChangeRequests.id, id)).returning();
  return row!;
}

/** 本籍 change requests by state: waiting for the worker, being fetched, and failed. */
export async function honsekiWork(db: Db): Promise<WorkCount[]> {
  const states = ['RECEIVED', 'FETCHING', 'FAILED'];
  const rows = await db
    .select({ state: honsekiChangeRequests.status, count: sql<number>`count(*)::int` })
    .from(honsekiChangeRequests)
    .where(inArray(honsekiChangeRequests.status, states))
    .groupBy(honsekiChangeRequests.status);
  return states.map((state) => ({ queue: 'honseki_change_requests', state, count: Number(rows.find((r) => r.state === state)?.count ?? 0) }));
}
