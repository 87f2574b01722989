import { jsonb, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { FormattedExecutionResult } from 'graphql';

/**
 * The one registry of Idempotency-Keys for the whole graph, kept by lib/platform/idempotency as shared infrastructure (like
 * the access log), not a subgraph's domain data. A key is one client request: every subgraph that request reaches
 * with the key keeps its answer here under (caller, key, subgraph), beside what the request was — the caller's role,
 * prefecture, purpose and identity verification and the client's operation (`operation`), and this subgraph's own
 * part of it (`request_hash`) — and the holders the answer concerns, so that a replay is authorized and recorded again.
 */
export const idempotencySchema = pgSchema('idempotency');

export const idempotentRequests = idempotencySchema.table(
  'requests',
  {
    subject: text('subject').notNull(),
    key: text('key').notNull(),
    service: text('service').notNull(),
    operation: text('operation').notNull(),
    requestHash: text('request_hash').notNull(),
    /** Null while the first request with the key runs. */
    response: jsonb('response').$type<FormattedExecutionResult>(),
    holders: jsonb('holders').$type<{ id: string; fields: string[] }[]>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ name: 'requests_pkey', columns: [t.subject, t.key, t.service] })],
);

export type IdempotentRequestRow = typeof idempotentRequests.$inferSelect;
