import type { Config } from '../lib/platform/config.js';
import { httpSettings } from '../lib/platform/http-server.js';
import { signDevToken } from '../lib/platform/identity/tokens.js';
import type { GatewayOptions } from './apollo-gateway.js';
import { gatewayRequestLimits } from './endpoint.js';

/**
 * A gateway's options as the configuration gives them, either engine: the caller adds what is its own (the subgraphs'
 * URLs, the verifier and signer it made, the port, the mode). One place, so that a new setting reaches every gateway
 * started (gateway/main.ts, devkit/stack.ts). Types only from the engine module: loading nothing of either engine here.
 */
export const gatewayOptionsFrom = (cfg: Config, own: Pick<GatewayOptions, 'urls' | 'verify' | 'sign' | 'port' | 'production'>): GatewayOptions => ({
  ...own,
  limits: cfg,
  subgraphTimeoutMs: cfg.SUBGRAPH_TIMEOUT_MS,
  http: httpSettings(cfg),
  requests: gatewayRequestLimits(cfg),
  host: cfg.HOST,
  // The explorer opens with a development token only where the gateway trusts the development key.
  explorer: cfg.NODE_ENV !== 'production' && !cfg.JWT_JWKS_URL ? { devToken: () => explorerToken(cfg) } : {},
});

/** A SUPERVISOR of Tokyo for 8 hours, as README's own example: enough to try the HolderCard and the mutations. */
const explorerToken = (cfg: Config) =>
  signDevToken(
    { role: 'SUPERVISOR', prefecture: '13', subject: 'explorer-dev' },
    { issuer: cfg.JWT_ISSUER, audience: cfg.JWT_AUDIENCE, expiresIn: '8h', nodeEnv: cfg.NODE_ENV },
  );
