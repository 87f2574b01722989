import type { KeyObject } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { sql } from 'drizzle-orm';
import { serveApollo } from './http-server.js';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Clock } from './clock.js';
import type { Db } from './db/database.js';
import { formatApiError } from './graphql/format-error.js';
import { guardTextArguments } from './graphql/text-arguments.js';
import { callerHeaders, header, HEADER, readGatewayAccess } from './identity/request.js';
import { IDEMPOTENCY_HEADER, idempotencyPlugin } from './idempotency/plugin.js';
import { createGatewayTokenVerifier } from './identity/gateway-token.js';
import type { Config } from './config.js';
import type { SubgraphScope } from './identity/subgraph-scope.js';
import type { TrustStore } from '../domain/certificates/verify.js';
import type { GraphClient } from './graph-client.js';
import type { RequestAccess } from './identity/roles.js';
import { createLogger } from './log.js';
import { ServiceMetrics } from './metrics.js';
import type { HttpSettings } from './http-server.js';
import { requestMetricsPlugin } from './graphql/request-metrics-plugin.js';
import type { SubgraphDefinition, SubgraphSettings } from './subgraph-definition.js';
import { AccessLogWriter, AccessRecorder } from './audit/access-records.js';
import type { AuditSigner } from './audit/signing.js';
import { readSubgraphSdl } from '../../schema/subgraphs.js';

/** What every subgraph resolver sees: who asks and why, one "now" for the whole request, and the database. */
export interface SubgraphContext {
  access: RequestAccess;
  now: Date;
  db: Db;
  /** The caller's headers, for a nested request through the graph made on the caller's behalf. */
  forward: Record<string, string>;
  deps: SubgraphDeps;
  /** The accesses to holders' data this request made, written when the response is sent (R-INQ-1). */
  audit: AccessRecorder;
  /** The client's Idempotency-Key, as the gateway passed it on. */
  idempotencyKey: string | null;
  /** Beside the key: the gateway's digest of the client's whole operation (lib/platform/idempotency/operation.ts). */
  operation: string | null;
}

export interface SubgraphDeps {
  db: Db;
  clock: Clock;
  /** Where the gateway's public key comes from; each subgraph verifies tokens addressed to itself. */
  gatewayKeys: Pick<Config, 'NODE_ENV' | 'GATEWAY_VERIFY_JWK'>;
  /** What the subgraphs vouch for to each other within a request (a holder's prefecture, a consent's holder). */
  scope: SubgraphScope;
  trust: TrustStore;
  /** The J-LIS feed's public keys (JLIS_FEED_PUBLIC_KEYS_FILE): a notification must carry a signature by one of them. */
  jlisFeedKeys: readonly KeyObject[];
  /** The gateway, for the steps of a procedure that read another subgraph's data. */
  graph: GraphClient;
  serviceToken: () => Promise<string>;
  settings: SubgraphSettings;
  http: HttpSettings;
  /** How the access log is signed: AUDIT_LOG_KEY's signer and the checkpoint interval. */
  accessLog: { signer: AuditSigner; checkpointIntervalMs: number };
}

/**
 * The largest body a subgraph reads. The gateway's own limit (GATEWAY_MAX_BODY_BYTES) is well under it, so no call
 * of the gateway's meets it; a body over it is refused with 413 and its connection closed.
 */
export const SUBGRAPH_MAX_BODY_BYTES = 1_000_000;

export interface RunningService {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * Writes the request's access records before the response leaves: an access that cannot be recorded is not
 * answered (the response becomes an error), as the record is what the My Number guidelines require.
 */
function accessRecordPlugin<C extends SubgraphContext>(log: ReturnType<typeof createLogger>, writer: AccessLogWriter): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          try {
            await contextValue.audit.flush(writer);
          } catch (e) {
            log.error('access records could not be written', { requestId: contextValue.access.requestId, kind: (e as Error).name });
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [
                  {
                    message: 'internal error; quote the request id to support',
                    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: contextValue.access.requestId },
                  },
                ],
              };
            }
          }
        },
      };
    },
  };
}

const OPERATION_DIGEST_RE = /^[0-9a-f]{64}$/;

/** Serves one subgraph over HTTP on its own port. */
export async function startSubgraph<C extends SubgraphContext>(
  definition: SubgraphDefinition<C>,
  opts: { deps: SubgraphDeps; port: number; host?: string; plugins?: ApolloServerPlugin<C>[] },
): Promise<RunningService> {
  const log = createLogger(`subgraph-${definition.name}`);
  const verifyGateway = await createGatewayTokenVerifier(opts.deps.gatewayKeys, definition.name);
  const accessLog = await new AccessLogWriter(opts.deps.db, { ...opts.deps.accessLog, log }).start();
  const metrics = new ServiceMetrics(
    `subgraph-${definition.name}`,
    opts.deps.http.metricsToken,
    definition.workCounts ? () => definition.workCounts!(opts.deps.db) : undefined,
  );
  const server = new ApolloServer<C>({
    // The generated resolver types are stricter than @apollo/subgraph's own resolver map type.
    // Every argument's text is checked and normalised here, for every field of every subgraph (lib/platform/graphql/text-arguments.ts).
    schema: guardTextArguments(buildSubgraphSchema([{ typeDefs: parse(readSubgraphSdl(definition.name)), resolvers: definition.resolvers as never }])),
    includeStacktraceInErrorResponses: false,
    // The process owner (scripts/start.ts, tests) stops every server in order; Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    // The gateway composes from the committed supergraph, never by introspecting a subgraph at run time.
    introspection: true,
    formatError: (formatted) => formatApiError(formatted, { log: (m, d) => log.error(m, d) }),
    // Inline traces would send timing detail to any caller and cost every request; this graph reports no usage.
    // Cache hints would wrap every field resolver, and nothing here is cacheable by an HTTP cache anyway.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      requestMetricsPlugin<C>(metrics, log, (c) => c.access?.requestId),
      accessRecordPlugin<C>(log, accessLog),
      idempotencyPlugin<C>(definition.name, definition.holdersInScope),
      ...(opts.plugins ?? []),
    ],
  });
  const http = await serveApollo(server, {
    port: opts.port,
    host: opts.host ?? '127.0.0.1',
    metrics,
    http: opts.deps.http,
    endpoint: { body: { maxBytes: SUBGRAPH_MAX_BODY_BYTES } },
    service: `subgraph-${definition.name}`,
    ready: async () => {
      await opts.deps.db.execute(sql`select 1`);
      return true;
    },
    context: async (req) => {
      const { access, caller } = await readGatewayAccess(req.headers, verifyGateway);
      const forward = callerHeaders(access, caller);
      const now = opts.deps.clock.now();
      const audit = new AccessRecorder(access, now, definition.name);
      const idempotencyKey = header(req.headers, IDEMPOTENCY_HEADER);
      const operation = idempotencyKey ? (OPERATION_DIGEST_RE.exec(header(req.headers, HEADER.operation) ?? '')?.[0] ?? null) : null;
      return definition.extendContext({ access, now, db: opts.deps.db, forward, deps: opts.deps, audit, idempotencyKey, operation }, opts.deps.settings);
    },
  });
  log.info('listening', { url: http.url });
  return {
    name: definition.name,
    url: http.url,
    stop: async () => {
      await http.close();
      await accessLog.stop();
    },
  };
}
