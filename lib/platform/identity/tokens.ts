import { createLocalJWKSet, createRemoteJWKSet, importJWK, jwtVerify, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Config } from '../config.js';
import { ExpiringCache } from '../expiring-cache.js';
import { DEV_ONLY_JWT_PRIVATE_JWK, DEV_ONLY_JWT_PUBLIC_JWK } from './dev-keys.js';
import { CALLER_ROLES, isPrefectureCode, PREFECTURE_SCOPED_ROLES, type Identity } from './roles.js';

const ClaimsSchema = z.object({
  sub: z.string().min(1).max(128),
  role: z.enum(CALLER_ROLES),
  prefecture: z.string().refine(isPrefectureCode).optional(),
});

function protectedKid(token: string): string | undefined {
  try {
    return (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { kid?: string }).kid;
  } catch {
    return undefined;
  }
}

const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Seconds a token's `exp` (and `nbf`, `iat`) may be off: the difference between clocks kept by NTP, not a grace period.
 * A token is a bearer credential; one that was allowed to live on past its expiry would be one a thief can use too.
 */
export const CLOCK_TOLERANCE_S = 5;

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export type TokenVerifier = (token: string) => Promise<Identity>;

/** Verifies bearer JWTs: the JWKS URL in production, the committed dev key otherwise. */
export function createTokenVerifier(
  cfg: Pick<Config, 'NODE_ENV' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_JWKS_URL'> & { SERVICE_SIGNING_JWK?: string; JWT_MAX_LIFETIME_S?: number },
): TokenVerifier {
  const callers: JWTVerifyGetKey = cfg.JWT_JWKS_URL
    ? createRemoteJWKSet(new URL(cfg.JWT_JWKS_URL))
    : cfg.NODE_ENV === 'production'
      ? () => {
          throw new InvalidTokenError('no JWKS configured');
        }
      : createLocalJWKSet({ keys: [DEV_ONLY_JWT_PUBLIC_JWK] });
  // Renkei's own service key is trusted beside the identity provider's keys, for the SERVICE role only.
  const servicePublic = cfg.SERVICE_SIGNING_JWK ? (({ d: _d, ...pub }) => pub)(JSON.parse(cfg.SERVICE_SIGNING_JWK) as JWK) : null;
  const service = servicePublic ? createLocalJWKSet({ keys: [{ ...servicePublic, kid: servicePublic.kid ?? 'renkei-service' }] }) : null;
  const keys: JWTVerifyGetKey = async (header, token) => {
    if (service && header.kid === (servicePublic!.kid ?? 'renkei-service')) return service(header, token);
    return callers(header, token);
  };

  // A token verified once is taken again from memory until it expires: a clerk's front-end sends the same token
  // with every request, and checking its signature again each time was a large part of the gateway's work.
  const verified = new ExpiringCache<Identity>(VERIFIED_TOKENS_KEPT);

  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: cfg.JWT_ISSUER,
        audience: cfg.JWT_AUDIENCE,
        algorithms: ['ES256', 'RS256', 'EdDSA'],
        // A token without an expiry would be valid for ever (and kept in `verified` without one).
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch {
      throw new InvalidTokenError('token rejected');
    }
    const exp = (payload as { exp?: unknown }).exp;
    if (typeof exp === 'number' && exp * 1000 - Date.now() > (cfg.JWT_MAX_LIFETIME_S ?? 86_400) * 1000) {
      throw new InvalidTokenError('token runs longer than JWT_MAX_LIFETIME_S');
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw new InvalidTokenError('token claims are not a Renkei identity');
    const { sub, role, prefecture } = claims.data;
    if (role === 'SERVICE' && cfg.NODE_ENV === 'production' && !(servicePublic && protectedKid(token) === (servicePublic.kid ?? 'renkei-service'))) {
      throw new InvalidTokenError('the service role is accepted only with the service key');
    }
    if (PREFECTURE_SCOPED_ROLES.includes(role) && !prefecture) {
      throw new InvalidTokenError(`role ${role} needs a prefecture claim`);
    }
    const identity: Identity = { subject: sub, role, prefecture: prefecture ?? null };
    if (typeof exp === 'number') verified.set(token, identity, exp * 1000);
    return identity;
  };
}

/** Signs a development token with the dev key. Refuses in production. */
export async function signDevToken(
  identity: { role: Identity['role']; prefecture?: string | null; subject?: string },
  opts: { issuer?: string; audience?: string; expiresIn?: string; nodeEnv?: string } = {},
): Promise<string> {
  if ((opts.nodeEnv ?? process.env.NODE_ENV) === 'production') throw new Error('dev tokens are not issued in production');
  const key = await importJWK(DEV_ONLY_JWT_PRIVATE_JWK, 'ES256');
  const claims: Record<string, unknown> = { role: identity.role };
  if (identity.prefecture) claims.prefecture = identity.prefecture;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: DEV_ONLY_JWT_PRIVATE_JWK.kid })
    .setSubject(identity.subject ?? `${identity.role.toLowerCase()}-dev`)
    .setIssuer(opts.issuer ?? 'renkei-dev')
    .setAudience(opts.audience ?? 'renkei')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '12h')
    .sign(key);
}
