import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { and, eq, sql } from 'drizzle-orm';
import { GraphQLError, type FormattedExecutionResult } from 'graphql';
import type { SubgraphContext } from '../subgraph-server.js';
import type { HoldersInScope } from './holders-in-scope.js';
import { idempotentRequests as registry } from './tables.js';

/**
 * Idempotency-Key for mutations: a client that retries a mutation with the same key gets the answer of the first
 * attempt instead of a second execution. A key is one request across the whole graph (lib/platform/idempotency/tables.ts):
 * - it is answered again only to the same caller (subject, role, prefecture), with the same purpose and identity
 *   verification, for the same operation (document, operation name, variables), in the same subgraph; anything else
 *   with that key, in any subgraph, is IDEMPOTENCY_KEY_REUSED;
 * - the answer is given again only while the holders it concerns are still in the caller's scope, and each such
 *   replay is recorded in the access log as a READ of them (ALLOWED, or DENIED and refused).
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_RE = /^[\x21-\x7e]{1,128}$/;
/** The J-LIS feed's answers are notification outcomes, never a holder's data: its replays concern no holder. */
const ANSWERS_WITHOUT_HOLDER_DATA = new Set(['JLIS_FEED']);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const refusal = (code: string, message: string): GraphQLResponse => ({
  http: { status: undefined, headers: new HeaderMap() },
  body: { kind: 'single', singleResult: { errors: [new GraphQLError(message, { extensions: { code } })] } },
});

type Claim =
  | { kind: 'claimed' }
  | { kind: 'reused' }
  | { kind: 'running' }
  | { kind: 'stored'; response: FormattedExecutionResult; holders: { id: string; fields: string[] }[] };

export function idempotencyPlugin<C extends SubgraphContext>(service: string, holdersInScope: HoldersInScope): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const key = contextValue.idempotencyKey;
      if (!key) return;
      let claimed = false;
      return {
        async responseForOperation({ operation, request, contextValue: ctx }) {
          if (operation.operation !== 'mutation') return null;
          if (!KEY_RE.test(key)) return refusal('INVALID_INPUT', `header "${IDEMPOTENCY_HEADER}" must be 1–128 visible characters`);
          const { identity, purpose, identityVerification } = ctx.access;
          const requestHash = sha256(JSON.stringify([request.query, request.variables ?? {}]));
          // Without the gateway's digest of the client operation, this subgraph's own part stands for it.
          const clientOperation = ctx.operation ?? `${service}:${requestHash}`;
          const operationHash = sha256(JSON.stringify([identity.role, identity.prefecture, purpose, identityVerification, clientOperation]));
          const claim = await ctx.db.transaction(async (tx): Promise<Claim> => {
            // One decision at a time per caller and key, whichever subgraphs the key reaches at once.
            await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${identity.subject}\n${key}`}, 0))`);
            const seen = await tx
              .select()
              .from(registry)
              .where(and(eq(registry.subject, identity.subject), eq(registry.key, key)));
            if (seen.some((r) => r.operation !== operationHash)) return { kind: 'reused' };
            const mine = seen.find((r) => r.service === service);
            if (mine) {
              if (mine.requestHash !== requestHash) return { kind: 'reused' };
              return mine.response ? { kind: 'stored', response: mine.response, holders: mine.holders ?? [] } : { kind: 'running' };
            }
            await tx
              .insert(registry)
              .values({ subject: identity.subject, key, service, operation: operationHash, requestHash, response: null, holders: null, createdAt: ctx.now });
            return { kind: 'claimed' };
          });
          if (claim.kind === 'claimed') {
            claimed = true;
            return null;
          }
          if (claim.kind === 'reused') return refusal('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for another request');
          if (claim.kind === 'running') return refusal('IDEMPOTENCY_KEY_IN_USE', 'the first request with this Idempotency-Key is still running');
          // The same authorization as the first answer's: every holder it concerns still in the caller's scope.
          const inScope = await holdersInScope(
            ctx,
            claim.holders.map((h) => h.id),
          );
          for (const h of claim.holders) ctx.audit.note(h.id, 'READ', inScope.has(h.id) ? 'ALLOWED' : 'DENIED', h.fields);
          if (claim.holders.some((h) => !inScope.has(h.id))) {
            return refusal('FORBIDDEN', "the answer stored under this Idempotency-Key concerns a holder outside the caller's scope");
          }
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: claim.response } };
        },
        async willSendResponse({ response, contextValue: ctx }) {
          if (!claimed || response.body.kind !== 'single') return;
          const stored = JSON.parse(JSON.stringify(response.body.singleResult)) as FormattedExecutionResult;
          const holders = ANSWERS_WITHOUT_HOLDER_DATA.has(ctx.access.identity.role) ? [] : ctx.audit.allowedHolders();
          await ctx.db
            .update(registry)
            .set({ response: stored, holders })
            .where(
              and(eq(registry.subject, ctx.access.identity.subject), eq(registry.key, key), eq(registry.service, service), sql`${registry.response} is null`),
            );
        },
      };
    },
  };
}
