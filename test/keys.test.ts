import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/config.js';
import { DEV_ONLY_GATEWAY_PRIVATE_JWK, DEV_ONLY_JWT_PRIVATE_JWK } from '../lib/identity/dev-keys.js';
import { serviceTokenSource } from '../lib/identity/service-token.js';
import { createTokenVerifier } from '../lib/identity/tokens.js';
import { signDevToken } from '../lib/identity/tokens.js';

/** A stand-in identity provider serving its JWKS over HTTP, as production configures with JWT_JWKS_URL. */
let jwksUrl: string;
let idpKey: CryptoKey;
let stop: () => void;
beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  idpKey = pair.privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256' };
  const server = createServer((_req, res) => res.end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  stop = () => server.close();
});
afterAll(() => stop?.());

const idpToken = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'idp-1' }).setSubject('someone').setIssuer('renkei-dev').setAudience('renkei').setIssuedAt().setExpirationTime('5m').sign(idpKey);

async function serviceKey() {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  return JSON.stringify({ ...(await exportJWK(pair.privateKey)), kid: 'renkei-service-prod', alg: 'EdDSA' });
}

describe('secrets and keys come from config; production refuses the dev keys', () => {
  it('production refuses to start with a committed development key', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x@127.0.0.1/x', JWT_JWKS_URL: 'http://127.0.0.1/jwks', JLIS_TRUST_ANCHORS_FILE: '/dev/null' };
    expect(() => parseConfig({ ...base, GATEWAY_SIGNING_JWK: JSON.stringify(DEV_ONLY_GATEWAY_PRIVATE_JWK), GATEWAY_VERIFY_JWK: JSON.stringify(DEV_ONLY_GATEWAY_PRIVATE_JWK), SERVICE_SIGNING_JWK: JSON.stringify(DEV_ONLY_JWT_PRIVATE_JWK) })).toThrow(
      /GATEWAY_SIGNING_JWK: is a development key[\s\S]*SERVICE_SIGNING_JWK: is a development key/,
    );
    expect(() => parseConfig(base)).toThrow(/GATEWAY_SIGNING_JWK[\s\S]*SERVICE_SIGNING_JWK/);
  });

  it('in production callers are verified against the JWKS, the service role only with the service key, the dev key never', async () => {
    const SERVICE_SIGNING_JWK = await serviceKey();
    const cfg = { NODE_ENV: 'production' as const, JWT_ISSUER: 'renkei-dev', JWT_AUDIENCE: 'renkei', JWT_JWKS_URL: jwksUrl, SERVICE_SIGNING_JWK };
    const verify = createTokenVerifier(cfg);
    await expect(verify(await idpToken({ role: 'COUNTER_STAFF', prefecture: '13' }))).resolves.toMatchObject({ role: 'COUNTER_STAFF' });
    await expect(verify(await idpToken({ role: 'SERVICE' }))).rejects.toThrow();
    const service = await serviceTokenSource(cfg)();
    await expect(verify(service)).resolves.toMatchObject({ role: 'SERVICE', subject: 'renkei-service' });
    await expect(verify(await signDevToken({ role: 'NPA_ADMIN' }, { nodeEnv: 'test' }))).rejects.toThrow();
  });
});
