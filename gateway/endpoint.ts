import { DEFAULT_GATEWAY_MAX_BODY_BYTES, DEFAULT_GATEWAY_MAX_VARIABLES, DEVELOPMENT_CORS_ORIGINS, type Config } from '../lib/platform/config.js';
import type { GraphQLEndpoint } from '../lib/platform/http-server.js';
import { serveExplorer, type ExplorerOptions } from './explorer.js';

/** Where the gateway serves the API: the only path it answers besides the probes and `/metrics`. */
export const GATEWAY_PATH = '/graphql';

/** What the gateway takes from a caller before any engine sees the request (GATEWAY_MAX_*, CORS_ALLOWED_ORIGINS). */
export interface GatewayRequestLimits {
  maxBodyBytes: number;
  maxVariables: number;
  corsOrigins: readonly string[];
}

export const gatewayRequestLimits = (cfg: Pick<Config, 'GATEWAY_MAX_BODY_BYTES' | 'GATEWAY_MAX_VARIABLES' | 'CORS_ALLOWED_ORIGINS'>): GatewayRequestLimits => ({
  maxBodyBytes: cfg.GATEWAY_MAX_BODY_BYTES,
  maxVariables: cfg.GATEWAY_MAX_VARIABLES,
  corsOrigins: cfg.CORS_ALLOWED_ORIGINS,
});

/**
 * The gateway's endpoint, the same on both engines: `/graphql` only, CORS for the allowed origins, the body and its
 * variables within the limits; in development a browser gets the explorer there, and `/` leads to it. A gateway started without limits of its
 * own (a test's) gets the configuration's defaults, and no CORS origin in production.
 */
export function gatewayEndpoint(opts: { requests?: GatewayRequestLimits; production: boolean; explorer?: ExplorerOptions }): GraphQLEndpoint {
  const requests = opts.requests ?? {
    maxBodyBytes: DEFAULT_GATEWAY_MAX_BODY_BYTES,
    maxVariables: DEFAULT_GATEWAY_MAX_VARIABLES,
    corsOrigins: opts.production ? [] : DEVELOPMENT_CORS_ORIGINS,
  };
  return {
    path: GATEWAY_PATH,
    body: { maxBytes: requests.maxBodyBytes, maxVariables: requests.maxVariables },
    corsOrigins: requests.corsOrigins,
    landing: !opts.production,
    ...(opts.production ? {} : { page: (req, res) => serveExplorer(req, res, opts.explorer ?? {}) }),
  };
}
