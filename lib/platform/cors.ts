import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request headers a browser front-end of this API sends (API.md: Requests), and the trace context. */
const API_HEADERS = 'authorization, content-type, x-access-purpose, x-identity-verification, x-request-id, idempotency-key, traceparent, tracestate';
/** A list of header names as a preflight asks for them (`access-control-request-headers`). */
const HEADER_NAMES = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;
const PREFLIGHT_MAX_AGE_S = '600';

/**
 * CORS for an allow-list of origins: an allowed origin is named back in `access-control-allow-origin`, any other gets
 * no CORS header at all, so a browser keeps a page of that origin from reading the answer. Never
 * `access-control-allow-credentials`: the API authenticates with bearer tokens, which a page must hold and send itself;
 * no cookie or HTTP authentication of the browser's is ever sent for it.
 *
 * Returns true when it answered the request (a preflight: 204 for an allowed origin, 403 for any other).
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  // The answer differs by origin: a cache in between must keep one per origin.
  res.setHeader('vary', 'origin');
  const admitted = origin !== undefined && allowed.includes(origin);
  if (admitted) res.setHeader('access-control-allow-origin', origin);
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  if (!admitted) {
    res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      JSON.stringify({ errors: [{ message: 'this origin may not call the API from a browser (CORS_ALLOWED_ORIGINS)', extensions: { code: 'FORBIDDEN' } }] }),
    );
    return true;
  }
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    // An allowed origin's page may send the headers it asks for (tools such as the Sandbox add their own); which of
    // them mean anything is the API's to decide, as for any client.
    'access-control-allow-headers': HEADER_NAMES.test(requested ?? '') ? requested! : API_HEADERS,
    'access-control-max-age': PREFLIGHT_MAX_AGE_S,
    'content-length': '0',
  });
  res.end();
  return true;
}
