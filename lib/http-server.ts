import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { metricsRoute, type ServiceMetrics } from './metrics.js';
import { traceRequest } from './tracing.js';
import { DEFAULT_HTTP_KEEP_ALIVE_S, type Config } from './config.js';

const MAX_BODY_BYTES = 1_000_000;

/** How a process serves HTTP, from its configuration (`httpSettings`). */
export interface HttpSettings {
  /**
   * How long an idle keep-alive connection stays open: longer than the idle timeout of whatever pools connections to
   * this process (a load balancer in front, the gateway's pool to a subgraph), so that the pooling side closes first.
   * Node's own 5 s is shorter than any balancer's: the balancer then sends a request into a socket this side is
   * closing, which its caller sees as a 502 (and the gateway as a failed call, never sent again for a mutation).
   */
  keepAliveTimeoutMs: number;
  /** METRICS_TOKEN: `/metrics` answers only a scrape presenting it. */
  metricsToken?: string;
}

export const httpSettings = (cfg: Pick<Config, 'HTTP_KEEP_ALIVE_TIMEOUT_S' | 'METRICS_TOKEN'>): HttpSettings => ({
  keepAliveTimeoutMs: cfg.HTTP_KEEP_ALIVE_TIMEOUT_S * 1000,
  metricsToken: cfg.METRICS_TOKEN,
});

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

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Listens, and on close stops taking connections, lets in-flight requests finish, then drops idle keep-alives. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  opts: { port: number; host: string; path?: string; service: string; http?: HttpSettings },
): Promise<HttpService> {
  const { port, host, path = '/' } = opts;
  const server = createServer((req, res) => {
    const probe = /^\/(healthz|readyz|metrics)(\?|$)/.test(req.url ?? '');
    (probe ? handler(req, res) : traceRequest(opts.service, req, res, () => handler(req, res))).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });
  // Node answers a keep-alive connection's next request headers on their own timer (headersTimeout runs from the
  // request's first byte, not from the idle start), so only the idle timeout needs raising.
  server.keepAliveTimeout = opts.http?.keepAliveTimeoutMs ?? DEFAULT_HTTP_KEEP_ALIVE_S * 1000;
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
 * Serves an ApolloServer over node:http with the health routes beside it: the JSON body read with a size limit, the
 * request handed to Apollo as its own HTTP integration does.
 */
export async function serveApollo<C extends BaseContext>(
  apollo: ApolloServer<C>,
  opts: { port: number; host: string; service: string; context: (req: IncomingMessage) => Promise<C>; ready: () => Promise<boolean>; metrics?: ServiceMetrics; http?: HttpSettings },
): Promise<HttpService> {
  await apollo.start();
  const http = await listen(async (req, res) => {
    if (await healthRoute(req, res, opts.ready)) return;
    if (await metricsRoute(req, res, opts.metrics)) return;
    const raw = req.method === 'POST' ? await readBody(req) : '';
    if (raw === null) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'the request body is too large', extensions: { code: 'BAD_REQUEST' } }] }));
      return;
    }
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'the request body is not JSON', extensions: { code: 'BAD_REQUEST' } }] }));
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: new URL(req.url ?? '/', 'http://x').search, body },
      context: () => opts.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }, opts);
  return {
    ...http,
    close: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}
