import type { JWK } from 'jose';

/**
 * DEVELOPMENT ONLY. The key `npm run token` signs with and the one development and test processes trust.
 * It is public by being in the repository; production refuses to start without a JWKS URL (lib/platform/config.ts) and
 * never loads this key.
 */
export const DEV_ONLY_JWT_PRIVATE_JWK: JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: '6__iv3qiYoMVjsuBbFiYSFTjegT_6N4nspgORLk7r2k',
  y: 'hsVH96lJ9fUzPFdgyXaHRB4Kd380TSw2xfOOKzvluJs',
  d: '_zfkBFYg67VXDxBrZQt7ppT1ZUlDnjpRVhjEAMz62B0',
  kid: 'renkei-dev-1',
  alg: 'ES256',
};

export const DEV_ONLY_JWT_PUBLIC_JWK: JWK = (({ d: _d, ...pub }) => pub)(DEV_ONLY_JWT_PRIVATE_JWK);

/**
 * DEVELOPMENT ONLY. The key the gateway signs its per-subgraph tokens with, and the one subgraphs trust, when
 * GATEWAY_SIGNING_JWK / GATEWAY_VERIFY_JWK are not set. Production refuses to start without those.
 */
export const DEV_ONLY_GATEWAY_PRIVATE_JWK: JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'nzrCe3PKdIoLPGmE8NqCpLmZ9o7OK1vWy1IL5QCzJXU',
  d: 'ZfaWDOe9aNoE7h7lH_d6cAtK-bdgtZ6kJYIhAKsW7Sk',
  kid: 'renkei-gateway-dev-1',
  alg: 'EdDSA',
};

export const DEV_ONLY_GATEWAY_PUBLIC_JWK: JWK = (({ d: _d, ...pub }) => pub)(DEV_ONLY_GATEWAY_PRIVATE_JWK);

/**
 * DEVELOPMENT ONLY. The key the subgraphs vouch to each other with (lib/platform/identity/subgraph-scope.ts) when
 * SUBGRAPH_SCOPE_KEY is not set. Production refuses to start without its own.
 */
export const DEV_ONLY_SUBGRAPH_SCOPE_KEY = 'renkei-dev-only-subgraph-scope-key-not-secret';

/**
 * DEVELOPMENT ONLY. The key the access log's chain heads and checkpoints are signed with (HMAC-SHA256) when
 * AUDIT_LOG_KEY is not set. Production refuses to start without a key of its own or with this one.
 */
export const DEV_ONLY_AUDIT_LOG_KEY = 'renkei-development-only-access-log-key-never-in-production';
