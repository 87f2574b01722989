import { sql } from 'drizzle-orm';
import { bigint, char, check, index, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The access log (R-INQ-1, アクセス記録): one store for the whole graph, kept by lib/audit as shared infrastructure
 * (like the logs), not a subgraph's domain data. Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and
 * hash-chained: each row's hash covers its content and the previous row's hash, so `npm run audit:verify` finds the
 * first record that was edited, removed or inserted out of order.
 */
export const auditSchema = pgSchema('audit');

export const accessRecords = auditSchema.table(
  'access_records',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().defaultRandom(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    requestId: text('request_id').notNull(),
    /** Which subgraph served the access. */
    service: text('service').notNull(),
    subject: text('subject').notNull(),
    role: text('role').notNull(),
    prefecture: char('prefecture', { length: 2 }),
    holderId: uuid('holder_id').notNull(),
    action: text('action').notNull(),
    fields: text('fields').array().notNull(),
    purpose: text('purpose'),
    identityVerification: text('identity_verification'),
    outcome: text('outcome').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('access_records_holder_seq_idx').on(t.holderId, t.seq),
    check('access_records_action_known', sql`${t.action} in ('READ','WRITE')`),
    check('access_records_outcome_known', sql`${t.outcome} in ('ALLOWED','DENIED')`),
  ],
);

export type AccessRecordRow = typeof accessRecords.$inferSelect;
