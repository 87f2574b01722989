import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import { signEdDsa, verifyEdDsa } from './compact-jws.js';
import { z } from 'zod';
import type { Config } from '../config.js';
import { DEV_ONLY_GATEWAY_PRIVATE_JWK, DEV_ONLY_GATEWAY_PUBLIC_JWK } from './dev-keys.js';
import { PURPOSES, ROLES, type RequestAccess } from './roles.js';

/**
 * The token the gateway signs for each subgraph request: audience = that subgraph, the identity the gateway
 * verified, the purpose, the identity verification and the request id, valid for a minute. Subgraphs accept nothing
 * else, so no caller reaches a subgraph except through the gateway.
 */
export const GATEWAY_ISSUER = 'renkei-gateway';
const LIFETIME_S = 60;

const Claims = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  pref: z.string().nullable(),
  pur: z.enum(PURPOSES).nullable(),
  idv: z.string().nullable(),
  rid: z.string().min(1),
});

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

export type GatewayTokenSigner = (subgraph: string, access: RequestAccess) => Promise<string>;

export async function createGatewayTokenSigner(cfg: Pick<Config, 'NODE_ENV' | 'GATEWAY_SIGNING_JWK'>): Promise<GatewayTokenSigner> {
  const jwk = keyJson(cfg.GATEWAY_SIGNING_JWK, DEV_ONLY_GATEWAY_PRIVATE_JWK, 'GATEWAY_SIGNING_JWK', cfg.NODE_ENV === 'production');
  const key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  return async (subgraph, access) => {
    const iat = Math.floor(Date.now() / 1000);
    return signEdDsa(
      { kid: jwk.kid },
      {
        role: access.identity.role, pref: access.identity.prefecture, pur: access.purpose, idv: access.identityVerification, rid: access.requestId,
        iss: GATEWAY_ISSUER, aud: subgraph, sub: access.identity.subject, iat, exp: iat + LIFETIME_S,
      },
      key,
    );
  };
}

export class InvalidGatewayTokenError extends Error {
  override name = 'InvalidGatewayTokenError';
}

export type GatewayTokenVerifier = (token: string) => Promise<RequestAccess>;

const CLOCK_TOLERANCE_S = 5;

export async function createGatewayTokenVerifier(
  cfg: Pick<Config, 'NODE_ENV' | 'GATEWAY_VERIFY_JWK'>,
  subgraph: string,
): Promise<GatewayTokenVerifier> {
  const jwk = keyJson(cfg.GATEWAY_VERIFY_JWK, DEV_ONLY_GATEWAY_PUBLIC_JWK, 'GATEWAY_VERIFY_JWK', cfg.NODE_ENV === 'production');
  const key = createPublicKey({ key: (({ d: _d, ...pub }) => pub)(jwk) as JsonWebKey, format: 'jwk' });
  return async (token) => {
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
    return {
      identity: { subject: p.sub, role: c.data.role, prefecture: c.data.pref },
      purpose: c.data.pur,
      identityVerification: c.data.idv,
      requestId: c.data.rid,
    };
  };
}
