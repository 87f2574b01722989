import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const portalLinkSchema = pgSchema('portal_link');

const tz = { withTimezone: true, mode: 'date' } as const;

/** M1: a signature certificate submitted at a licence centre (府令21条の13第1号). The latest row per holder is on file. */
export const signatureCertificates = portalLinkSchema.table(
  'signature_certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holderId: uuid('holder_id').notNull(),
    serialNumber: text('serial_number').notNull(),
    issuer: text('issuer').notNull(),
    notBefore: timestamp('not_before', tz).notNull(),
    notAfter: timestamp('not_after', tz).notNull(),
    revokedAt: timestamp('revoked_at', tz),
    certificatePem: text('certificate_pem'),
    /**
     * SHA-256 of the certificate subject's name and birth date: lets M2 tell a holder who did M1 with another
     * certificate (CERTIFICATE_MISMATCH) from one who never did M1, without keeping the personal values.
     */
    subjectDigest: text('subject_digest'),
    faceMatched: boolean('face_matched').notNull(),
    cardValid: boolean('card_valid').notNull(),
    addressMatched: boolean('address_matched').notNull(),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', tz).notNull(),
  },
  (t) => [
    index('signature_certificates_holder_submitted_idx').on(t.holderId, t.submittedAt),
    index('signature_certificates_serial_idx').on(t.serialNumber),
    index('signature_certificates_subject_digest_idx').on(t.subjectDigest),
  ],
);

/**
 * Which holder a certificate serial was submitted for at M1: the first holder keeps it. The primary key makes two
 * concurrent M1 submissions of one serial for two holders end with one of them refused (CERTIFICATE_SERIAL_IN_USE).
 */
export const certificateHolders = portalLinkSchema.table('certificate_holders', {
  serialNumber: text('serial_number').primaryKey(),
  holderId: uuid('holder_id').notNull(),
  firstSubmittedAt: timestamp('first_submitted_at', tz).notNull(),
});

/** M2: the Myna Portal pseudonym (仮名) of a holder; one per holder and one holder per pseudonym (R-LINK-1). */
export const portalLinks = portalLinkSchema.table(
  'portal_links',
  {
    holderId: uuid('holder_id').primaryKey(),
    pseudonym: text('pseudonym').notNull(),
    /** The M1 card certificate's serial the link was made with, also when a smartphone certificate linked to it was presented (R-CERT-4). */
    certificateSerial: text('certificate_serial').notNull(),
    linkedAt: timestamp('linked_at', tz).notNull(),
  },
  (t) => [uniqueIndex('portal_links_pseudonym_key').on(t.pseudonym)],
);

/** M3: a 本籍 change requested with a 16-digit identifier code (R-HON-*); worked off by the 本籍 worker. */
export const honsekiChangeRequests = portalLinkSchema.table(
  'honseki_change_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holderId: uuid('holder_id').notNull(),
    identifierCode: text('identifier_code'),
    status: text('status').notNull().default('RECEIVED'),
    submittedAt: timestamp('submitted_at', tz).notNull(),
    completedAt: timestamp('completed_at', tz),
    failureReason: text('failure_reason'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', tz),
  },
  (t) => [
    index('honseki_change_requests_holder_idx').on(t.holderId, t.submittedAt),
    index('honseki_change_requests_due_idx').on(t.status, t.nextAttemptAt),
    check('honseki_change_requests_status_known', sql`${t.status} in ('RECEIVED','FETCHING','APPLIED','FAILED')`),
  ],
);

export type SignatureCertificateRow = typeof signatureCertificates.$inferSelect;
export type PortalLinkRow = typeof portalLinks.$inferSelect;
export type HonsekiChangeRequestRow = typeof honsekiChangeRequests.$inferSelect;
