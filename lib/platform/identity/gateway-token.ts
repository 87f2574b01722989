import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import { signEdDsa, verifyEdDsa } from './compact-jws.js';
import { z } from 'zod';
import type { Config } from '../config.js';
import { ExpiringCache } from '../expiring-cache.js';
import { DEV_ONLY_GATEWAY_PRIVATE_JWK, DEV_ONLY_GATEWAY_PUBLIC_JWK } from './dev-keys.js';
import { PURPOSES, ROLES, type RequestAccess } from './roles.js';

/**
 * The token the gateway gives a subgraph with every request: audience = that subgraph, the identity the gateway
 * verified, the purpose and the identity verification, valid for a minute. Subgraphs accept nothing else, so no
 * caller reaches a subgraph except through the gateway. The request id travels beside it in `x-request-id`: the
 * client may choose it at the gateway, so inside the token it vouched for nothing, and without it one token serves
 * every request of one caller to one subgraph for half its minute.
 */
export const GATEWAY_ISSUER = 'renkei-gateway';
const LIFETIME_S = 60;
/** How long a signed token is handed out again: a subgraph then still has at least half its lifetime to accept it. */
const REUSE_S = LIFETIME_S / 2;
/** Distinct callers × subgraphs × purposes kept signed or verified at once (a few hundred bytes each). */
const TOKENS_KEPT = 10_000;

/** Holders one Myna Portal request may name (the gateway refuses a request naming more pseudonyms). */
export const MAX_SCOPED_HOLDERS = 100;

const Claims = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  pref: z.string().nullable(),
  pur: z.enum(PURPOSES).nullable(),
  idv: z.string().nullable(),
  /** MYNA_PORTAL: the holders of the pseudonyms the request names (RequestAccess.holderScope). */
  hs: z.array(z.string()).max(MAX_SCOPED_HOLDERS).optional(),
});

/** The gateway asking a subgraph for itself, not for a caller (which holders a Myna Portal request's pseudonyms name). */
export const GATEWAY_OWN_ACCESS: GatewayAccess = {
  identity: { subject: GATEWAY_ISSUER, role: 'GATEWAY', prefecture: null },
  purpose: null,
  identityVerification: null,
};

function keyJson(raw: string | undefined, fallback: JWK, name: string, production: boolean): JWK {
  if (raw) {
    try {
      return JSON.parse(raw) as JWK;
    } catch {
      throw new Error(`${name} is not a JSON Web Key`);
    }
  }
  if (production) throw new Error(`${name} is required in production`);
  return fallback;
}

/** What a subgraph learns from a gateway token; the request id comes from its own header. */
export type GatewayAccess = Omit<RequestAccess, 'requestId'>;

export type GatewayTokenSigner = (subgraph: string, access: GatewayAccess) => Promise<string>;

/**
 * Signs a token per subgraph and caller and hands the same one out again for REUSE_S: an Ed25519 signature per
 * subgraph call was the largest single cost of a HolderCard in the gateway (three a card, ~0.2 ms each under load).
 */
export async function createGatewayTokenSigner(cfg: Pick<Config, 'NODE_ENV' | 'GATEWAY_SIGNING_JWK'>): Promise<GatewayTokenSigner> {
  const jwk = keyJson(cfg.GATEWAY_SIGNING_JWK, DEV_ONLY_GATEWAY_PRIVATE_JWK, 'GATEWAY_SIGNING_JWK', cfg.NODE_ENV === 'production');
  const key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  const signed = new ExpiringCache<string>(TOKENS_KEPT);
  return async (subgraph, access) => {
    const { identity, purpose, identityVerification, holderScope } = access;
    const claims = {
      role: identity.role,
      pref: identity.prefecture,
      pur: purpose,
      idv: identityVerification,
      iss: GATEWAY_ISSUER,
      aud: subgraph,
      sub: identity.subject,
      ...(identity.role === 'MYNA_PORTAL' ? { hs: [...new Set(holderScope ?? [])].sort() } : {}),
    };
    const cacheKey = JSON.stringify(claims);
    const now = Date.now();
    const known = signed.get(cacheKey, now);
    if (known) return known;
    const iat = Math.floor(now / 1000);
    const token = signEdDsa({ kid: jwk.kid }, { ...claims, iat, exp: iat + LIFETIME_S }, key);
    signed.set(cacheKey, token, (iat + REUSE_S) * 1000);
    return token;
  };
}

export class InvalidGatewayTokenError extends Error {
  override name = 'InvalidGatewayTokenError';
}

export type GatewayTokenVerifier = (token: string) => Promise<GatewayAccess>;

const CLOCK_TOLERANCE_S = 5;

export async function createGatewayTokenVerifier(cfg: Pick<Config, 'NODE_ENV' | 'GATEWAY_VERIFY_JWK'>, subgraph: string): Promise<GatewayTokenVerifier> {
  const jwk = keyJson(cfg.GATEWAY_VERIFY_JWK, DEV_ONLY_GATEWAY_PUBLIC_JWK, 'GATEWAY_VERIFY_JWK', cfg.NODE_ENV === 'production');
  const key = createPublicKey({ key: (({ d: _d, ...pub }) => pub)(jwk) as JsonWebKey, format: 'jwk' });
  // A token is reused by the gateway for half a minute, so each is checked once and then known until it would no
  // longer pass: the same moments as the checks below, in milliseconds.
  const verified = new ExpiringCache<GatewayAccess>(TOKENS_KEPT);
  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    const payload = verifyEdDsa(token, key);
    if (!payload) throw new InvalidGatewayTokenError('gateway token rejected');
    const now = Math.floor(Date.now() / 1000);
    const { iss, aud, iat, exp } = payload as { iss?: unknown; aud?: unknown; iat?: unknown; exp?: unknown };
    const valid =
      iss === GATEWAY_ISSUER &&
      aud === subgraph &&
      typeof iat === 'number' &&
      typeof exp === 'number' &&
      iat <= now + CLOCK_TOLERANCE_S &&
      now - iat <= LIFETIME_S + CLOCK_TOLERANCE_S &&
      now < exp + CLOCK_TOLERANCE_S;
    if (!valid) throw new InvalidGatewayTokenError('gateway token rejected');
    const c = Claims.safeParse(payload);
    if (!c.success) throw new InvalidGatewayTokenError('gateway token claims malformed');
    const p = payload as { sub: string };
    const access: GatewayAccess = {
      identity: { subject: p.sub, role: c.data.role, prefecture: c.data.pref },
      purpose: c.data.pur,
      identityVerification: c.data.idv,
      // A Myna Portal token without the claim reaches no holder.
      ...(c.data.role === 'MYNA_PORTAL' ? { holderScope: c.data.hs ?? [] } : {}),
    };
    verified.set(token, access, Math.min((iat + LIFETIME_S + CLOCK_TOLERANCE_S + 1) * 1000, (exp + CLOCK_TOLERANCE_S) * 1000));
    return access;
  };
}
