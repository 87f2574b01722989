import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { schemaPath } from '../schema/subgraphs.js';
import { admitGraphQLRequest, healthRoute, listen } from '../lib/platform/http-server.js';
import { subgraphsReady } from './readiness.js';
import { createGatewayRuntime, useUpstreamRetry, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { formatApiError, requestErrorCode } from '../lib/platform/graphql/format-error.js';
import { HEADER, readRequestAccess } from '../lib/platform/identity/request.js';
import { createLogger, type Logger } from '../lib/platform/log.js';
import type { RunningService } from '../lib/platform/subgraph-server.js';
import type { GatewayOptions } from './apollo-gateway.js';
import { GATEWAY_PATH, gatewayEndpoint } from './endpoint.js';
import { limitPlugins } from './limits.js';
import { metricsPlugin } from './metrics-plugin.js';
import { pseudonymResolver } from './holder-scope.js';
import { subgraphIdentityPlugin } from './subgraph-identity.js';
import { subgraphTimeoutPlugin } from './subgraph-timeout.js';
import { metricsRoute, ServiceMetrics } from '../lib/platform/metrics.js';
import { loadSupergraph } from './supergraph.js';

const HTTP_STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  INTERNAL_SERVER_ERROR: 500,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  PERSISTED_QUERY_ONLY: 400,
  PERSISTED_QUERY_ID_REQUIRED: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
};

/**
 * How a production gateway refuses a document it does not run: the runtime's own errors carry codes of another
 * vocabulary (or none the formatter knows, which made them a 500 "internal error"); these say what to send instead.
 */
const TRUSTED_DOCUMENT_ERRORS = {
  persistedQueryOnly: {
    message:
      'this gateway runs trusted documents only: send extensions.persistedQuery.sha256Hash (or documentId "sha256:<hash>") of a document of the integrator kit (packages/client, docs/integrators.md) instead of its text',
    extensions: { code: 'PERSISTED_QUERY_ONLY' },
  },
  keyNotFound: {
    message:
      'no document named: send extensions.persistedQuery.sha256Hash (or documentId "sha256:<hash>") of a document of the integrator kit (packages/client, docs/integrators.md)',
    extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' },
  },
  notFound: { message: 'no trusted document has this id', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
};

/** Every error leaves through the same formatter as on the other engine: a code, a message, nothing internal. */
function formatErrorsPlugin(log: Logger): GatewayPlugin {
  const format = (r: ExecutionResult, requestId: string | undefined): ExecutionResult => {
    if (!r.errors?.length) return r;
    const errors = r.errors.map((e) => {
      // The runtime may hand errors from graphql's other module build, so they are read by shape, not by class.
      const shaped = e as { toJSON?: () => GraphQLFormattedError; message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> };
      const json =
        typeof shaped.toJSON === 'function' ? shaped.toJSON() : { message: String(shaped.message), path: shaped.path, extensions: shaped.extensions };
      const requestCode = requestErrorCode(json);
      const plain = requestCode ? { ...json, extensions: { ...json.extensions, code: requestCode } } : json;
      const f = formatApiError(plain, {
        requestId,
        log: (m, d) => log.error(m, d),
      });
      // The runtime answers 500 when data is null unless an error states its HTTP status: a refused or malformed
      // request is the caller's, so it is a 200 with errors as on the other engine (401 stays 401).
      const code = f.extensions?.code;
      // A request graphql-js could not run at all (coercion, validation) is a 400, as the other engine answers it.
      // When there is data, the errors are the missing parts of an answer that stands: a 200 with errors.
      const status = requestCode ? 400 : r.data != null && code !== 'UNAUTHENTICATED' ? 200 : (HTTP_STATUS_BY_CODE[String(code)] ?? 200);
      return new GraphQLError(f.message, { path: f.path, extensions: { ...f.extensions, http: { status } } });
    });
    return { ...r, errors };
  };
  return {
    onResultProcess({ result, setResult, request }) {
      const requestId = request.headers.get(HEADER.requestId) ?? undefined;
      if (Array.isArray(result)) setResult(result.map((r) => format(r, requestId)));
      else if (result && !(Symbol.asyncIterator in result)) setResult(format(result as ExecutionResult, requestId));
    },
  };
}

/** Production answers no introspection: the schema is given to integrators as schema/api.graphql instead. */
const noIntrospection: GatewayPlugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(NoSchemaIntrospectionCustomRule);
  },
};

/**
 * The gateway on Hive Gateway's runtime with the Rust query planner (the engine `npm run bench` measured faster):
 * verifies the caller before anything is parsed, plans over the committed supergraph, forwards identity and purpose.
 */
export async function startHiveGateway(opts: GatewayOptions): Promise<RunningService> {
  // Some of the runtime's AbortSignals are shared by the subgraph calls in flight and may get a listener from each;
  // a few cards in flight pass Node's default of 10 listeners per signal, which would print a leak warning that is
  // not one.
  setMaxListeners(64);
  const log = createLogger('gateway');
  const metrics = new ServiceMetrics('gateway', opts.http?.metricsToken);
  const trusted = JSON.parse(readFileSync(schemaPath('trusted-documents.json'), 'utf8')) as Record<string, string>;
  const signalListeners = terminationListeners();
  const runtime = createGatewayRuntime({
    supergraph: loadSupergraph(opts.urls),
    unifiedGraphHandler,
    landingPage: false,
    graphiql: false,
    graphqlEndpoint: GATEWAY_PATH,
    // CORS is answered before the runtime (lib/platform/cors.ts), for the allowed origins only; the runtime's own would name
    // back any origin, with credentials.
    cors: false,
    logging: false,
    maskedErrors: false,
    batching: false,
    // Production runs the operations of schema/operations only, named by the SHA-256 of their text.
    ...(opts.production
      ? {
          persistedDocuments: {
            getPersistedOperation: (key: string) => trusted[key.replace(/^sha256:/, '')] ?? null,
            allowArbitraryDocuments: false,
            customErrors: TRUSTED_DOCUMENT_ERRORS,
          },
        }
      : {}),
    // Identical subgraph queries in flight would share one call, and every sharer gets a structuredClone of the
    // answer. Ours never match (the headers are part of the match, and each request carries its own request id),
    // so the clone was pure cost: some 30 ms of a 500-holder answer.
    transportEntries: { '*': { options: { deduplicateInflightRequests: false } } },
    plugins: () => [
      // The timeout first, so that the retry wraps it and every attempt is timed on its own.
      subgraphTimeoutPlugin(opts.subgraphTimeoutMs ?? 10_000),
      // A failed subgraph query is tried once more; a mutation never is (it might have run).
      useUpstreamRetry(({ executionRequest }) =>
        executionRequest.operationType === 'mutation' ? undefined : { maxRetries: 1, retryDelay: 50, retryDelayFactor: 1 },
      ),
      subgraphIdentityPlugin(opts.sign, pseudonymResolver({ url: opts.urls['portal-link'], sign: opts.sign, timeoutMs: opts.subgraphTimeoutMs ?? 10_000 })),
      metricsPlugin(metrics, log),
      ...(limitPlugins(opts.limits, opts.production) as GatewayPlugin[]),
      formatErrorsPlugin(log),
      ...(opts.production ? [noIntrospection] : []),
    ],
  });

  // The runtime disposes itself on SIGTERM (hard-wired in @graphql-hive/gateway-runtime), aborting the requests in
  // flight; the process owner (gateway/main.ts, the tests) stops it in order instead, after they have been answered.
  dropAddedTerminationListeners(signalListeners);

  const endpoint = gatewayEndpoint(opts);
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    if (await healthRoute(req, res, () => subgraphsReady(opts.urls))) return;
    if (await metricsRoute(req, res, metrics)) return;
    const admitted = await admitGraphQLRequest(req, res, endpoint);
    if (!admitted) return;
    try {
      const access = await readRequestAccess(req.headers, opts.verify);
      req.headers[HEADER.requestId] = access.requestId;
      req.headers[HEADER.verifiedAccess] = JSON.stringify(access);
    } catch (e) {
      const err = e instanceof GraphQLError ? e : new GraphQLError('internal error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      const status = (err.extensions?.http as { status?: number } | undefined)?.status ?? 400;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [formatApiError(err.toJSON())] }));
      return;
    }
    // The body was read here, within the limits: the runtime takes it as given (@whatwg-node/server serves a
    // request's `body` property from memory) and never reads the socket itself.
    if (admitted.body) (req as IncomingMessage & { body?: unknown }).body = admitted.body;
    return runtime(req, res);
  };
  const http = await listen(handler, { port: opts.port, host: opts.host ?? '127.0.0.1', path: GATEWAY_PATH, service: 'gateway', http: opts.http });
  log.info('listening', { url: http.url, engine: 'hive' });
  return {
    name: 'gateway',
    url: http.url,
    stop: async () => {
      await http.close();
      await runtime.dispose();
    },
  };
}

const TERMINATION_EVENTS = ['SIGTERM', 'SIGINT', 'exit'] as const;
type Listener = (...args: unknown[]) => void;
type Listeners = Map<string, Listener[]>;

const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals) as Listener[];

function terminationListeners(): Listeners {
  return new Map(TERMINATION_EVENTS.map((e) => [e, listenersOf(e)]));
}

/** Removes the termination listeners registered since `before` was taken. */
function dropAddedTerminationListeners(before: Listeners): void {
  for (const event of TERMINATION_EVENTS) {
    for (const listener of listenersOf(event)) if (!before.get(event)?.includes(listener)) process.removeListener(event, listener);
  }
}
