import { sql } from 'drizzle-orm';
import { bigint, bigserial, char, check, index, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The access log (R-INQ-1, アクセス記録): one store for the whole graph, kept by lib/platform/audit as shared infrastructure
 * (like the logs), not a subgraph's domain data. Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and
 * hash-chained: every writing process keeps a chain of its own (`chain`, positions `chain_seq` from 1), each row's
 * hash covering its content and the previous row's hash in that chain, so `npm run audit:verify` finds the first
 * record that was edited, removed or inserted out of order, and writers never wait for one another. `seq` is the
 * order of insertion across all chains. Rows written before chains were per process form the chain `global`.
 *
 * A hash chain alone can be rewritten by whoever owns the table: edit a row and rehash the rest. So the last row of
 * every group commit also carries `mac`, an HMAC of its chain position and hash with AUDIT_LOG_KEY, which the
 * database never sees; and `chain_heads` below is a MAC-chained list of signed checkpoints (lib/platform/audit/signing.ts).
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
    /** On the last row of each group commit (null on the others and on rows written before signing began). */
    mac: text('mac'),
  },
  (t) => [
    index('access_records_holder_seq_idx').on(t.holderId, t.seq),
    uniqueIndex('access_records_chain_position_idx').on(t.chain, t.chainSeq),
    check('access_records_action_known', sql`${t.action} in ('READ','WRITE')`),
    check('access_records_outcome_known', sql`${t.outcome} in ('ALLOWED','DENIED')`),
  ],
);

export type AccessRecordRow = typeof accessRecords.$inferSelect;

/**
 * The registry of chains: each writing process signs the head of its own chain here when it starts the chain, every
 * AUDIT_CHECKPOINT_INTERVAL_S while it runs (a heartbeat even when idle), and when it stops. Every checkpoint's MAC
 * covers the one before it (`prev_mac`), so deleting a chain together with its checkpoints breaks this list, and
 * cutting the list's tail leaves its last checkpoint stale, which `npm run audit:verify` reports. Append-only like
 * the records. The first checkpoint ever written adopts the chains written before signing began (`global` among them).
 */
export const chainHeads = auditSchema.table(
  'chain_heads',
  {
    n: bigint('n', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    chain: text('chain').notNull(),
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    prevMac: text('prev_mac').notNull(),
    /** The same chain's previous checkpoint as its writer remembers it: a cut of the list shows at the writer's next one. */
    prevOfChain: bigint('prev_of_chain', { mode: 'number' }),
    mac: text('mac').notNull(),
  },
  (t) => [index('chain_heads_chain_idx').on(t.chain, t.chainSeq)],
);

export type ChainHeadRow = typeof chainHeads.$inferSelect;
