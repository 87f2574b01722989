import { sql } from 'drizzle-orm';
import { check, date, index, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const consentSchema = pgSchema('consent');

const tz = { withTimezone: true, mode: 'date' } as const;

/**
 * One address one-stop consent (府令21条の14). A re-grant is a new row (R-ONE-3); the latest row is the holder's
 * consent. The consent follows one signature certificate at a time: J-LIS renewals move it to the successor and a
 * revocation without successor suspends it (R-ONE-6, R-ELIG-3).
 */
export const consents = consentSchema.table(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holderId: uuid('holder_id').notNull(),
    items: text('items').array().notNull(),
    channel: text('channel').notNull(),
    termsVersion: text('terms_version').notNull(),
    consentedAt: timestamp('consented_at', tz).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    revokedAt: timestamp('revoked_at', tz),
    revokedVia: text('revoked_via'),
    certificateSerial: text('certificate_serial').notNull(),
    certificateNotAfter: timestamp('certificate_not_after', tz).notNull(),
    certificateRevokedAt: timestamp('certificate_revoked_at', tz),
    signedDocument: text('signed_document'),
    signature: text('signature'),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  },
  (t) => [
    index('consents_holder_consented_idx').on(t.holderId, t.consentedAt),
    index('consents_certificate_serial_idx').on(t.certificateSerial),
    index('consents_active_expiry_idx').on(t.expiresOn).where(sql`${t.revokedAt} is null`),
    check('consents_items_known', sql`${t.items} <@ ARRAY['ADDRESS','NAME','BIRTH_DATE']::text[] and cardinality(${t.items}) > 0`),
    check('consents_channel_known', sql`${t.channel} in ('CENTER','MYNA_PORTAL')`),
    check('consents_revoked_via_known', sql`${t.revokedVia} is null or ${t.revokedVia} in ('CENTER','MYNA_PORTAL')`),
  ],
);

/** Every J-LIS notification seen, by its id: the ledger that makes the feed exactly-once (R-ONE-7). */
export const jlisNotifications = consentSchema.table(
  'jlis_notifications',
  {
    notificationId: text('notification_id').primaryKey(),
    kind: text('kind').notNull(),
    consentId: uuid('consent_id'),
    filedOn: date('filed_on', { mode: 'string' }),
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    receivedAt: timestamp('received_at', tz).notNull().defaultNow(),
  },
  (t) => [check('jlis_notifications_outcome_known', sql`${t.outcome} in ('SCHEDULED','NO_CHANGE','SKIPPED')`)],
);

export type ConsentRow = typeof consents.$inferSelect;
export type JlisNotificationRow = typeof jlisNotifications.$inferSelect;
