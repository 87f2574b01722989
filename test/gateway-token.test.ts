import { generateKeyPairSync } from 'node:crypto';
import { importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/config.js';
import { DEV_ONLY_GATEWAY_PUBLIC_JWK } from '../lib/identity/dev-keys.js';
import { createGatewayTokenSigner, createGatewayTokenVerifier, GATEWAY_ISSUER } from '../lib/identity/gateway-token.js';
import type { RequestAccess } from '../lib/identity/roles.js';

const cfg = parseConfig({ NODE_ENV: 'test' });
const access: RequestAccess = {
  identity: { subject: 'clerk-1', role: 'SUPERVISOR', prefecture: '13' },
  purpose: 'HOLDER_INQUIRY',
  identityVerification: 'MYNA_CARD_FACE',
  requestId: 'req-1',
};
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('gateway tokens (the only way into a subgraph)', () => {
  it('a token for a subgraph carries the access the gateway verified, and is a standard EdDSA JWT', async () => {
    const token = await (await createGatewayTokenSigner(cfg))('driver', access);
    expect(await (await createGatewayTokenVerifier(cfg, 'driver'))(token)).toEqual(access);
    const { payload, protectedHeader } = await jwtVerify(token, await importJWK(DEV_ONLY_GATEWAY_PUBLIC_JWK, 'EdDSA'), { issuer: GATEWAY_ISSUER, audience: 'driver' });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload.sub).toBe('clerk-1');
  });

  it('is refused by another subgraph, after tampering, without a signature, with alg none, or under another key', async () => {
    const token = await (await createGatewayTokenSigner(cfg))('driver', access);
    const [h, p, s] = token.split('.') as [string, string, string];
    const consent = await createGatewayTokenVerifier(cfg, 'consent');
    const driver = await createGatewayTokenVerifier(cfg, 'driver');
    await expect(consent(token)).rejects.toThrow('gateway token rejected');
    const elevated = b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'NPA_ADMIN' });
    await expect(driver(`${h}.${elevated}.${s}`)).rejects.toThrow('gateway token rejected');
    await expect(driver(`${h}.${p}.`)).rejects.toThrow('gateway token rejected');
    await expect(driver(`${h}.${p}`)).rejects.toThrow('gateway token rejected');
    await expect(driver(`${b64({ alg: 'none' })}.${p}.${s}`)).rejects.toThrow('gateway token rejected');
    const other = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    const forged = await (await createGatewayTokenSigner({ NODE_ENV: 'test', GATEWAY_SIGNING_JWK: JSON.stringify({ ...other, kid: 'x' }) }))('driver', access);
    await expect(driver(forged)).rejects.toThrow('gateway token rejected');
    await expect(driver('not a token')).rejects.toThrow('gateway token rejected');
  });

  it('lives a minute: an older token is refused', async () => {
    const realNow = Date.now;
    const token = await (await createGatewayTokenSigner(cfg))('driver', access);
    try {
      Date.now = () => realNow() + 70_000;
      await expect((await createGatewayTokenVerifier(cfg, 'driver'))(token)).rejects.toThrow('gateway token rejected');
    } finally {
      Date.now = realNow;
    }
  });
});
