import { sql } from 'drizzle-orm';
import { bigint, bigserial, char, check, index, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The access log (R-INQ-1, アクセス記録): one store for the whole graph, kept by lib/audit as shared infrastructure
 * (like the logs), not a subgraph's domain data. Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and
 * hash-chained: every writing process keeps a chain of its own (`chain`, positions `chain_seq` from 1), each row's
 * hash covering its content and the previous row's hash in that chain, so `npm run audit:verify` finds the first
 * record that was edited, removed or inserted out of order, and writers never wait for one another. `seq` is the
 * order of insertion across all chains. Rows written before chains were per process form the chain `global`.
 */
export const auditSchema = pgSchema('audit');

export const accessRecords = auditSchema.table(
  'access_records',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    chain: text('chain').notNull(),
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
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
    uniqueIndex('access_records_chain_position_idx').on(t.chain, t.chainSeq),
    check('access_records_action_known', sql`${t.action} in ('READ','WRITE')`),
    check('access_records_outcome_known', sql`${t.outcome} in ('ALLOWED','DENIED')`),
  ],
);

export type AccessRecordRow = typeof accessRecords.$inferSelect;
