import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { applyCors } from './cors.js';
import { metricsRoute, type ServiceMetrics } from './metrics.js';
import { answerRefusal, readGraphQLBody, type BodyLimits } from './request-body.js';
import { traceRequest } from './tracing.js';
import { DEFAULT_HTTP_KEEP_ALIVE_S, type Config } from './config.js';

/** Node's own: what a process started without settings (a test's) keeps. */
const NODE_HEADERS_TIMEOUT_MS = 60_000;
const NODE_REQUEST_TIMEOUT_MS = 300_000;
/**
 * How often Node looks for requests past their headers or request timeout (its default, 30 s, would let a timed-out
 * client stay up to 30 s longer); walking the list of connections once a second costs next to nothing.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** How a process serves HTTP, from its configuration (`httpSettings`). */
export interface HttpSettings {
  /**
   * How long an idle keep-alive connection stays open: longer than the idle timeout of whatever pools connections to
   * this process (a load balancer in front, the gateway's pool to a subgraph), so that the pooling side closes first.
   * Node's own 5 s is shorter than any balancer's: the balancer then sends a request into a socket this side is
   * closing, which its caller sees as a 502 (and the gateway as a failed call, never sent again for a mutation).
   */
  keepAliveTimeoutMs: number;
  /**
   * How long a request's headers, and the whole request, may take to arrive from its first byte; a client that
   * trickles them (slow loris) is answered 408 and cut off, instead of holding its socket for minutes.
   */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Connections held open at once; a connection past it is closed as soon as it is accepted. */
  maxConnections: number;
  /** METRICS_TOKEN: `/metrics` answers only a scrape presenting it. */
  metricsToken?: string;
}

export const httpSettings = (
  cfg: Pick<Config, 'HTTP_KEEP_ALIVE_TIMEOUT_S' | 'HTTP_HEADERS_TIMEOUT_S' | 'HTTP_REQUEST_TIMEOUT_S' | 'HTTP_MAX_CONNECTIONS' | 'METRICS_TOKEN'>,
): HttpSettings => ({
  keepAliveTimeoutMs: cfg.HTTP_KEEP_ALIVE_TIMEOUT_S * 1000,
  headersTimeoutMs: cfg.HTTP_HEADERS_TIMEOUT_S * 1000,
  requestTimeoutMs: cfg.HTTP_REQUEST_TIMEOUT_S * 1000,
  maxConnections: cfg.HTTP_MAX_CONNECTIONS,
  metricsToken: cfg.METRICS_TOKEN,
});

/** Where and how a process serves GraphQL over HTTP. */
export interface GraphQLEndpoint {
  /** The one path GraphQL is served at (the gateway's `/graphql`): any other is 404, before authentication. */
  path?: string;
  body: BodyLimits;
  /** Browser origins allowed to call it (CORS_ALLOWED_ORIGINS); no CORS header is ever sent without. */
  corsOrigins?: readonly string[];
  /** Development: `/` sends a browser on to the landing page at `path`. */
  landing?: boolean;
  /** Development: answers a browser's page load at `path` (the explorer); false for a GraphQL request. */
  page?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?')[0]!;

/** A request carries a body that was not read: answering it, the connection is closed rather than left to drain. */
const hasBody = (req: IncomingMessage) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/**
 * What every GraphQL request meets before an engine sees it, on either gateway engine and on the subgraphs: the path
 * (404 for any other), CORS, and the body read within its limits (lib/platform/request-body.ts). Returns the body (undefined
 * for a GET), or null when it answered the request itself.
 */
export async function admitGraphQLRequest(
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: GraphQLEndpoint,
): Promise<{ body: Record<string, unknown> | undefined } | null> {
  const path = pathOf(req);
  if (endpoint.path !== undefined && path !== endpoint.path) {
    if (endpoint.landing && path === '/' && req.method === 'GET') {
      res.writeHead(302, { location: endpoint.path, 'cache-control': 'no-store' });
      res.end();
      return null;
    }
    answerRefusal(req, res, { status: 404, code: 'NOT_FOUND', message: `nothing is served at this path; the API is at ${endpoint.path}`, close: hasBody(req) });
    return null;
  }
  if (endpoint.page && (await endpoint.page(req, res))) return null;
  if (endpoint.corsOrigins && applyCors(req, res, endpoint.corsOrigins)) return null;
  const read = await readGraphQLBody(req, endpoint.body);
  if (read.ok) return { body: read.body };
  if ('refusal' in read) answerRefusal(req, res, read.refusal);
  else res.destroy();
  return null;
}

export interface HttpService {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** `/healthz`: the process answers. `/readyz`: it can serve (its database, or for the gateway every subgraph). */
export async function healthRoute(req: IncomingMessage, res: ServerResponse, ready: () => Promise<boolean>): Promise<boolean> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) return false;
  const ok = path === '/healthz' || (await ready().catch(() => false));
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
  return true;
}

/** Listens, and on close stops taking connections, lets in-flight requests finish, then drops idle keep-alives. */
/**
 * The connection limit, kept from being filled by connections that only sit idle between rare requests (one client
 * can hold thousands and wait out the keep-alive timeout): near the limit, and when a connection was dropped at it,
 * the idle keep-alive connections are closed, so that a caller with a request gets a place. A client whose idle
 * connection is closed opens another when it has something to send.
 */
function reclaimIdleConnections(server: Server, maxConnections: number): void {
  server.maxConnections = maxConnections;
  const threshold = Math.max(1, maxConnections - Math.max(1, Math.floor(maxConnections / 16)));
  let open = 0;
  server.on('connection', (socket) => {
    open++;
    socket.once('close', () => open--);
    if (open >= threshold) server.closeIdleConnections();
  });
  server.on('drop', () => server.closeIdleConnections());
}

export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  opts: { port: number; host: string; path?: string; service: string; http?: HttpSettings },
): Promise<HttpService> {
  const { port, host, path = '/' } = opts;
  const server = createServer(
    {
      headersTimeout: opts.http?.headersTimeoutMs ?? NODE_HEADERS_TIMEOUT_MS,
      requestTimeout: opts.http?.requestTimeoutMs ?? NODE_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    (req, res) => {
      const probe = /^\/(healthz|readyz|metrics)(\?|$)/.test(req.url ?? '');
      (probe ? handler(req, res) : traceRequest(opts.service, req, res, () => handler(req, res))).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      });
    },
  );
  // Node times a keep-alive connection's next request headers on their own timer (headersTimeout runs from the
  // request's first byte, not from the idle start), so a short headers timeout does not shorten the idle one.
  server.keepAliveTimeout = opts.http?.keepAliveTimeoutMs ?? DEFAULT_HTTP_KEEP_ALIVE_S * 1000;
  if (opts.http) reclaimIdleConnections(server, opts.http.maxConnections);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}${path}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  };
}

/**
 * Serves an ApolloServer over node:http with the health routes beside it: the request admitted at the edge
 * (`admitGraphQLRequest`: path, CORS, the body within its limits), then handed to Apollo as its own HTTP integration
 * does.
 */
export async function serveApollo<C extends BaseContext>(
  apollo: ApolloServer<C>,
  opts: {
    port: number;
    host: string;
    service: string;
    endpoint: GraphQLEndpoint;
    context: (req: IncomingMessage) => Promise<C>;
    ready: () => Promise<boolean>;
    metrics?: ServiceMetrics;
    http?: HttpSettings;
  },
): Promise<HttpService> {
  await apollo.start();
  const http = await listen(
    async (req, res) => {
      if (await healthRoute(req, res, opts.ready)) return;
      if (await metricsRoute(req, res, opts.metrics)) return;
      const admitted = await admitGraphQLRequest(req, res, opts.endpoint);
      if (!admitted) return;
      const { body } = admitted;
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: new URL(req.url ?? '/', 'http://x').search, body },
        context: () => opts.context(req),
      });
      for (const [key, value] of response.headers) {
        // The edge's own `vary: origin` (CORS) stays beside whatever Apollo varies by.
        const before = key === 'vary' ? res.getHeader('vary') : undefined;
        res.setHeader(key, before ? `${String(before)}, ${value}` : value);
      }
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    },
    { ...opts, path: opts.endpoint.path },
  );
  return {
    ...http,
    close: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}
