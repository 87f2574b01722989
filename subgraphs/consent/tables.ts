import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
  (t) => [
    check('jlis_notifications_outcome_known', sql`${t.outcome} in ('SCHEDULED','NO_CHANGE','SKIPPED')`),
    // Which renewals moved a consent: the successor check of a consent's certificate (R-ONE-1, R-ONE-6).
    index('jlis_notifications_consent_idx').on(t.consentId).where(sql`${t.consentId} is not null`),
  ],
);

/**
 * Every signed consent document accepted, by the SHA-256 of its UTF-8 bytes (rules/signed-consent.ts): claimed in the
 * grant's transaction, so a document makes one consent only — a replay, also after a revocation, also sent twice at
 * once or by the other channel, finds its digest here (R-ONE-1).
 */
export const usedSignedConsents = consentSchema.table('used_signed_consents', {
  documentDigest: text('document_digest').primaryKey(),
  consentId: uuid('consent_id').notNull(),
  usedAt: timestamp('used_at', tz).notNull(),
});

/** Certificates J-LIS reported revoked: R-CERT-2's "revocation known to the system" for consent signatures. */
export const revokedCertificates = consentSchema.table('revoked_certificates', {
  serialNumber: text('serial_number').primaryKey(),
  revokedAt: timestamp('revoked_at', tz).notNull(),
  notificationId: text('notification_id').notNull(),
});

/**
 * Record changes this subgraph owes the driver record (R-ONE-6 ②: a consent restarted on Myna Portal with a new
 * certificate takes that certificate's information). Written with the consent, delivered through the graph until
 * the driver subgraph has them; the driver side is idempotent on the consent id.
 */
export const recordChangeOutbox = consentSchema.table(
  'record_change_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consentId: uuid('consent_id').notNull(),
    holderId: uuid('holder_id').notNull(),
    changes: jsonb('changes').$type<{ item: string; newValue: string }[]>().notNull(),
    filedOn: date('filed_on', { mode: 'string' }),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', tz).notNull(),
    deliveredAt: timestamp('delivered_at', tz),
    /** A worker's claim: no database transaction is held while the graph is called, so the claim is a lease. */
    claimedUntil: timestamp('claimed_until', tz),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [index('record_change_outbox_pending_idx').on(t.createdAt).where(sql`${t.deliveredAt} is null`)],
);

export type ConsentRow = typeof consents.$inferSelect;
export type RecordChangeOutboxRow = typeof recordChangeOutbox.$inferSelect;
export type JlisNotificationRow = typeof jlisNotifications.$inferSelect;
