import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/database.js';
import { consents, type ConsentRow } from './tables.js';

/** The latest consent of each holder, one statement for any number of holders. */
export const findLatestConsents = (db: Db, holderIds: readonly string[]): Promise<ConsentRow[]> =>
  db
    .selectDistinctOn([consents.holderId])
    .from(consents)
    .where(inArray(consents.holderId, [...holderIds]))
    .orderBy(consents.holderId, desc(consents.consentedAt), desc(consents.createdAt));

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
  const keyset = q.after
    ? or(gt(consents.expiresOn, q.after[0]), and(eq(consents.expiresOn, q.after[0]), gt(consents.id, q.after[1])))
    : undefined;
  const rows = await db
    .select({ consent: consents })
    .from(consents)
    .innerJoin(latest, eq(latest.id, consents.id))
    .where(
      and(
        isNull(consents.revokedAt),
        sql`${consents.expiresOn} >= ${q.today}`,
        lt(consents.expiresOn, q.before),
        keyset,
      ),
    )
    .orderBy(asc(consents.expiresOn), asc(consents.id))
    .limit(q.limit);
  return rows.map((r) => r.consent);
}
