import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { and, eq, sql } from 'drizzle-orm';
import { jsonb, primaryKey, text, timestamp, type PgSchema } from 'drizzle-orm/pg-core';
import { GraphQLError, type FormattedExecutionResult } from 'graphql';
import type { SubgraphContext } from './subgraph-server.js';

/**
 * Idempotency-Key for mutations: a client that retries a mutation with the same key gets the answer of the first
 * attempt instead of a second execution; the same key with another payload is refused. Each subgraph keeps the keys
 * of the mutations it serves, per caller, in its own schema.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_RE = /^[\x21-\x7e]{1,128}$/;

export function idempotencyTable(schema: PgSchema) {
  return schema.table(
    'idempotency_keys',
    {
      subject: text('subject').notNull(),
      key: text('key').notNull(),
      requestHash: text('request_hash').notNull(),
      response: jsonb('response').$type<FormattedExecutionResult>(),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [primaryKey({ name: 'idempotency_keys_pkey', columns: [t.subject, t.key] })],
  );
}
export type IdempotencyTable = ReturnType<typeof idempotencyTable>;

const refusal = (code: string, message: string): GraphQLResponse => ({
  http: { status: undefined, headers: new HeaderMap() },
  body: { kind: 'single', singleResult: { errors: [new GraphQLError(message, { extensions: { code } })] } },
});

export function idempotencyPlugin<C extends SubgraphContext>(table: IdempotencyTable): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const key = contextValue.idempotencyKey;
      if (!key) return;
      let claimed = false;
      return {
        async responseForOperation({ operation, request, contextValue: ctx }) {
          if (operation.operation !== 'mutation') return null;
          if (!KEY_RE.test(key)) return refusal('INVALID_INPUT', `header "${IDEMPOTENCY_HEADER}" must be 1–128 visible characters`);
          const requestHash = createHash('sha256').update(JSON.stringify([request.query, request.variables ?? {}])).digest('hex');
          const subject = ctx.access.identity.subject;
          const inserted = await ctx.db
            .insert(table)
            .values({ subject, key, requestHash, response: null, createdAt: ctx.now })
            .onConflictDoNothing()
            .returning({ key: table.key });
          if (inserted.length === 1) {
            claimed = true;
            return null;
          }
          const [seen] = await ctx.db.select().from(table).where(and(eq(table.subject, subject), eq(table.key, key)));
          if (!seen || seen.requestHash !== requestHash) {
            return refusal('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for another request');
          }
          if (!seen.response) return refusal('IDEMPOTENCY_KEY_IN_USE', 'the first request with this Idempotency-Key is still running');
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: seen.response } };
        },
        async willSendResponse({ response, contextValue: ctx }) {
          if (!claimed || response.body.kind !== 'single') return;
          const stored = JSON.parse(JSON.stringify(response.body.singleResult)) as FormattedExecutionResult;
          await ctx.db
            .update(table)
            .set({ response: stored })
            .where(and(eq(table.subject, ctx.access.identity.subject), eq(table.key, key), sql`${table.response} is null`));
        },
      };
    },
  };
}
