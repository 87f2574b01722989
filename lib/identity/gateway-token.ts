import { importJWK, jwtVerify, SignJWT, type JWK, type KeyObject } from 'jose';
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
  const key = (await importJWK(jwk, 'EdDSA')) as KeyObject;
  return (subgraph, access) =>
    new SignJWT({
      role: access.identity.role,
      pref: access.identity.prefecture,
      pur: access.purpose,
      idv: access.identityVerification,
      rid: access.requestId,
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid })
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(subgraph)
      .setSubject(access.identity.subject)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_S}s`)
      .sign(key);
}

export class InvalidGatewayTokenError extends Error {
  override name = 'InvalidGatewayTokenError';
}

export type GatewayTokenVerifier = (token: string) => Promise<RequestAccess>;

export async function createGatewayTokenVerifier(
  cfg: Pick<Config, 'NODE_ENV' | 'GATEWAY_VERIFY_JWK'>,
  subgraph: string,
): Promise<GatewayTokenVerifier> {
  const jwk = keyJson(cfg.GATEWAY_VERIFY_JWK, DEV_ONLY_GATEWAY_PUBLIC_JWK, 'GATEWAY_VERIFY_JWK', cfg.NODE_ENV === 'production');
  const key = (await importJWK(jwk, 'EdDSA')) as KeyObject;
  return async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, key, { issuer: GATEWAY_ISSUER, audience: subgraph, algorithms: ['EdDSA'], maxTokenAge: `${LIFETIME_S}s`, clockTolerance: 5 }));
    } catch {
      throw new InvalidGatewayTokenError('gateway token rejected');
    }
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
