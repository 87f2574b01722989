import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { serveApollo, type HttpSettings } from '../lib/platform/http-server.js';
import { subgraphsReady } from './readiness.js';
import { formatApiError } from '../lib/platform/graphql/format-error.js';
import { header, HEADER, readRequestAccess, subgraphHeaders } from '../lib/platform/identity/request.js';
import type { GatewayTokenSigner } from '../lib/platform/identity/gateway-token.js';
import type { RequestAccess } from '../lib/platform/identity/roles.js';
import type { TokenVerifier } from '../lib/platform/identity/tokens.js';
import { createLogger } from '../lib/platform/log.js';
import { ServiceMetrics } from '../lib/platform/metrics.js';
import { requestMetricsPlugin } from '../lib/platform/graphql/request-metrics-plugin.js';
import { traceHeaders } from '../lib/platform/tracing.js';
import type { RunningService } from '../lib/platform/subgraph-server.js';
import type { ExplorerOptions } from './explorer.js';
import { gatewayEndpoint, type GatewayRequestLimits } from './endpoint.js';
import { holderIdsApolloPlugin, limitRules, type Limits } from './limits.js';
import { loadSupergraph, type SubgraphUrls } from './supergraph.js';
import { accessWithHolderScope, pseudonymResolver, type PseudonymResolver } from './holder-scope.js';
import { operationDigest } from '../lib/platform/idempotency/operation.js';

interface GatewayContext {
  access: RequestAccess;
  caller: string | null;
  idempotencyKey: string | null;
  /** The client operation's digest, for a mutation sent with an idempotency key (lib/platform/idempotency). */
  operation: string | null;
  /** The request's trace context, passed on to every subgraph call. */
  trace: Record<string, string>;
}

/**
 * Once the operation is known: a Myna Portal request's pseudonyms become the holder scope signed into its subgraph
 * tokens (holder-scope.ts), and a keyed mutation gets the digest its subgraph calls carry beside the key.
 */
function requestScopePlugin(resolvePseudonyms: PseudonymResolver): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operationName, operation, request }) {
          if (!contextValue.access) return;
          contextValue.access = await accessWithHolderScope(contextValue.access, document, request.variables, resolvePseudonyms);
          if (contextValue.idempotencyKey && operation?.operation === 'mutation') {
            contextValue.operation = operationDigest(document, operationName, request.variables);
          }
        },
      };
    },
  };
}

class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    opts: { url: string },
    private readonly subgraph: string,
    private readonly sign: GatewayTokenSigner,
  ) {
    super(opts);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    if (!context.access) return;
    const token = await this.sign(this.subgraph, context.access);
    // The fetch's own operation, as the planner printed it, tells a mutation's call from the entity fetches of the
    // same plan (its document node is handed over only when the planner is asked to keep it).
    const mutation = /^\s*mutation\b/.test(request.query ?? '');
    const writing = mutation ? { authorization: context.caller, idempotencyKey: context.idempotencyKey, operation: context.operation } : null;
    const headers: Record<string, string> = { ...subgraphHeaders(token, context.access.requestId, writing), ...context.trace };
    for (const [name, value] of Object.entries(headers)) {
      request.http?.headers.set(name, value);
    }
  }

  /**
   * A subgraph answers a request it rejects as a whole (a variable of the wrong shape, no valid token) with a 4xx
   * and a GraphQL error body; pass that error on as the subgraph stated it instead of a bare HTTP status.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = (await this.parseBody(response)) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | string;
    const first = typeof body === 'object' ? body.errors?.[0] : undefined;
    if (response.status < 500 && typeof first?.message === 'string' && typeof first.extensions?.code === 'string') {
      return new GraphQLError(first.message, { extensions: { code: first.extensions.code } });
    }
    return new GraphQLError(`subgraph answered ${response.status}`, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  }
}

export interface GatewayOptions {
  urls: SubgraphUrls;
  verify: TokenVerifier;
  sign: GatewayTokenSigner;
  limits: Limits;
  port: number;
  host?: string;
  production: boolean;
  subgraphTimeoutMs?: number;
  /** Keep-alive, timeouts and the `/metrics` token (`httpSettings`); Node's own and an open `/metrics` without. */
  http?: HttpSettings;
  /** Body, variables and CORS (`gatewayRequestLimits`); the configuration's defaults without. */
  requests?: GatewayRequestLimits;
  /** Development: what the explorer at `/graphql` opens with (gateway/explorer.ts). */
  explorer?: ExplorerOptions;
}

/**
 * The gateway on @apollo/gateway: verifies the caller, plans over the committed supergraph, forwards the identity.
 * The tests' oracle for the serving engine, and `GATEWAY_ENGINE=apollo`.
 */
export async function startApolloGateway(opts: GatewayOptions): Promise<RunningService> {
  const log = createLogger('gateway');
  const metrics = new ServiceMetrics('gateway', opts.http?.metricsToken);
  const gateway = new ApolloGateway({
    supergraphSdl: loadSupergraph(opts.urls),
    buildService: ({ name, url }) => new IdentityForwardingDataSource({ url: url! }, name, opts.sign),
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    // The process owner (scripts/start.ts, tests) stops every server in order; Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    introspection: !opts.production,
    validationRules: limitRules(opts.limits) as never,
    formatError: (formatted) => formatApiError(formatted, { log: (m, d) => log.error(m, d) }),
    plugins: [
      requestMetricsPlugin<GatewayContext>(metrics, log, (c) => c.access?.requestId),
      requestScopePlugin(pseudonymResolver({ url: opts.urls['portal-link'], sign: opts.sign, timeoutMs: opts.subgraphTimeoutMs ?? 10_000 })),
      holderIdsApolloPlugin<GatewayContext>(opts.limits),
      // A browser's page load is answered before Apollo, by the explorer both engines serve (gateway/explorer.ts).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  const http = await serveApollo(server, {
    port: opts.port,
    host: opts.host ?? '127.0.0.1',
    ready: () => subgraphsReady(opts.urls),
    metrics,
    http: opts.http,
    endpoint: gatewayEndpoint(opts),
    service: 'gateway',
    context: async (req) => {
      const access = await readRequestAccess(req.headers, opts.verify);
      return {
        access,
        caller: header(req.headers, HEADER.authorization),
        idempotencyKey: header(req.headers, HEADER.idempotencyKey),
        operation: null,
        trace: traceHeaders(req.headers),
      };
    },
  });
  log.info('listening', { url: http.url, engine: 'apollo' });
  return { name: 'gateway', url: http.url, stop: () => http.close() };
}
