import { importJWK, SignJWT, type JWK } from 'jose';
import type { Config } from '../config.js';
import { signDevToken } from './tokens.js';

/**
 * The bearer token of Renkei's own service identity, for workers and cross-subgraph steps that act on no caller's
 * behalf. Re-signed before it expires; signed with SERVICE_SIGNING_JWK (required in production), else the dev key.
 */
export function serviceTokenSource(cfg: Pick<Config, 'NODE_ENV' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'SERVICE_SIGNING_JWK'>): () => Promise<string> {
  let cached: { token: string; until: number } | null = null;
  return async () => {
    if (cached && Date.now() < cached.until) return cached.token;
    const claims = { role: 'SERVICE' as const, subject: 'renkei-service' };
    const opts = { issuer: cfg.JWT_ISSUER, audience: cfg.JWT_AUDIENCE, expiresIn: '10m', nodeEnv: cfg.NODE_ENV };
    let token: string;
    if (cfg.SERVICE_SIGNING_JWK) {
      const jwk = JSON.parse(cfg.SERVICE_SIGNING_JWK) as JWK;
      const alg = jwk.alg ?? (jwk.kty === 'OKP' ? 'EdDSA' : 'ES256');
      token = await new SignJWT({ role: claims.role })
        .setProtectedHeader({ alg, kid: jwk.kid })
        .setSubject(claims.subject)
        .setIssuer(opts.issuer)
        .setAudience(opts.audience)
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn)
        .sign(await importJWK(jwk, alg));
    } else if (cfg.NODE_ENV === 'production') {
      throw new Error('SERVICE_SIGNING_JWK is required in production');
    } else {
      token = await signDevToken(claims, opts);
    }
    cached = { token, until: Date.now() + 8 * 60_000 };
    return token;
  };
}
