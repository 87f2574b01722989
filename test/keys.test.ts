import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/platform/config.js';
import { DEV_ONLY_GATEWAY_PRIVATE_JWK, DEV_ONLY_JWT_PRIVATE_JWK } from '../lib/platform/identity/dev-keys.js';
import { serviceTokenSource } from '../lib/platform/identity/service-token.js';
import { CLOCK_TOLERANCE_S, createTokenVerifier, InvalidTokenError } from '../lib/platform/identity/tokens.js';
import { signDevToken } from '../lib/platform/identity/tokens.js';

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

const idpToken = (claims: Record<string, unknown>, expiresAt: number | string | null = '5m') => {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
    .setSubject('someone')
    .setIssuer('renkei-dev')
    .setAudience('renkei')
    .setIssuedAt();
  return (expiresAt === null ? jwt : jwt.setExpirationTime(expiresAt)).sign(idpKey);
};

async function serviceKey() {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  return JSON.stringify({ ...(await exportJWK(pair.privateKey)), kid: 'renkei-service-prod', alg: 'EdDSA' });
}

describe('secrets and keys come from config; production refuses the dev keys', () => {
  it('production refuses to start with a committed development key', () => {
    const base = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      JWT_JWKS_URL: 'https://idp.example.jp/jwks',
      JLIS_TRUST_ANCHORS_FILE: '/dev/null',
    };
    expect(() =>
      parseConfig({
        ...base,
        GATEWAY_SIGNING_JWK: JSON.stringify(DEV_ONLY_GATEWAY_PRIVATE_JWK),
        GATEWAY_VERIFY_JWK: JSON.stringify(DEV_ONLY_GATEWAY_PRIVATE_JWK),
        SERVICE_SIGNING_JWK: JSON.stringify(DEV_ONLY_JWT_PRIVATE_JWK),
      }),
    ).toThrow(/GATEWAY_SIGNING_JWK: is a development key[\s\S]*SERVICE_SIGNING_JWK: is a development key/);
    expect(() => parseConfig(base)).toThrow(/GATEWAY_SIGNING_JWK[\s\S]*SERVICE_SIGNING_JWK/);
  });

  it('security: the dev key is refused in any encoding of it, for every configured key (RFC 7638 thumbprints)', () => {
    const base = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      JWT_JWKS_URL: 'https://idp.example.jp/jwks',
      JLIS_TRUST_ANCHORS_FILE: '/dev/null',
      METRICS_TOKEN: 'm'.repeat(32),
    };
    const gateway = DEV_ONLY_GATEWAY_PRIVATE_JWK as Record<string, string>;
    const jwt = DEV_ONLY_JWT_PRIVATE_JWK as Record<string, string>;
    const padded = (b64url: string) => b64url + '='.repeat((4 - (b64url.length % 4)) % 4);
    const standard = (b64url: string) => padded(b64url.replace(/-/g, '+').replace(/_/g, '/'));
    const { d: _d, kid: _k, alg: _a, ...gatewayPublic } = gateway;
    const encodings = [
      ['padded x', { ...gateway, x: padded(gateway.x!) }],
      ['standard base64 x', { ...gateway, x: standard(gateway.x!) }],
      ['the public half only, no kid', gatewayPublic],
      ['the JWT dev key with padded coordinates', { ...jwt, x: padded(jwt.x!), y: padded(jwt.y!) }],
    ] as const;
    for (const [what, key] of encodings) {
      for (const name of ['GATEWAY_SIGNING_JWK', 'GATEWAY_VERIFY_JWK', 'SERVICE_SIGNING_JWK']) {
        let message = '';
        try {
          parseConfig({ ...base, GATEWAY_SIGNING_JWK: '{}', GATEWAY_VERIFY_JWK: '{}', SERVICE_SIGNING_JWK: '{}', [name]: JSON.stringify(key) });
        } catch (e) {
          message = (e as Error).message;
        }
        expect(message, `${what} as ${name}`).toMatch(new RegExp(`${name}: is a development key`));
      }
    }
  });

  it('security: a configured key that is not a usable JWK is refused naming its variable', () => {
    expect(() => parseConfig({ GATEWAY_SIGNING_JWK: '{"kty":"OKP","crv":"Ed25519","x":"short"}' })).toThrow(/GATEWAY_SIGNING_JWK: is not a JWK/);
    expect(() => parseConfig({ SERVICE_SIGNING_JWK: 'not json' })).toThrow(/SERVICE_SIGNING_JWK: is not a JWK/);
  });

  it('security: a token without exp is refused, and an expired one past a few seconds of clock skew', async () => {
    const verify = createTokenVerifier({ NODE_ENV: 'production', JWT_ISSUER: 'renkei-dev', JWT_AUDIENCE: 'renkei', JWT_JWKS_URL: jwksUrl });
    const now = Math.floor(Date.now() / 1000);
    await expect(verify(await idpToken({ role: 'NPA_ADMIN' }, null))).rejects.toThrow(InvalidTokenError);
    await expect(verify(await idpToken({ role: 'NPA_ADMIN' }, now - 15))).rejects.toThrow(InvalidTokenError);
    // Within the tolerance for clocks kept by NTP, and no further.
    expect(CLOCK_TOLERANCE_S).toBeLessThanOrEqual(5);
    await expect(verify(await idpToken({ role: 'NPA_ADMIN' }, now - 1))).resolves.toMatchObject({ role: 'NPA_ADMIN' });
    await expect(verify(await idpToken({ role: 'NPA_ADMIN' }, now - CLOCK_TOLERANCE_S - 2))).rejects.toThrow(InvalidTokenError);
  });

  it('security: a token that runs longer than JWT_MAX_LIFETIME_S (a day by default) is refused', async () => {
    const verify = createTokenVerifier({ NODE_ENV: 'production', JWT_ISSUER: 'renkei-dev', JWT_AUDIENCE: 'renkei', JWT_JWKS_URL: jwksUrl });
    const now = Math.floor(Date.now() / 1000);
    await expect(verify(await idpToken({ role: 'NPA_ADMIN' }, now + 100 * 365 * 86_400))).rejects.toThrow(InvalidTokenError);
    await expect(verify(await idpToken({ role: 'NPA_ADMIN' }, now + 86_400 + 60))).rejects.toThrow(InvalidTokenError);
    await expect(verify(await idpToken({ role: 'NPA_ADMIN' }, now + 12 * 3600))).resolves.toMatchObject({ role: 'NPA_ADMIN' });
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
