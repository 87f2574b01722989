import type { Config } from '../config.js';
import { signDevToken } from './tokens.js';

/**
 * The bearer token of Renkei's own service identity, for workers and cross-subgraph steps that act on no caller's
 * behalf. Re-signed before it expires; development signs with the dev key, production is configured in the
 * security work (issue: locked subgraphs) and refuses until then.
 */
export function serviceTokenSource(cfg: Pick<Config, 'NODE_ENV' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>): () => Promise<string> {
  let cached: { token: string; until: number } | null = null;
  return async () => {
    if (cached && Date.now() < cached.until) return cached.token;
    if (cfg.NODE_ENV === 'production') throw new Error('the service identity has no production key configured');
    const token = await signDevToken(
      { role: 'SERVICE', subject: 'renkei-service' },
      { issuer: cfg.JWT_ISSUER, audience: cfg.JWT_AUDIENCE, expiresIn: '10m', nodeEnv: cfg.NODE_ENV },
    );
    cached = { token, until: Date.now() + 8 * 60_000 };
    return token;
  };
}
