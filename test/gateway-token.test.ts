import { generateKeyPairSync } from 'node:crypto';
import { importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/platform/config.js';
import { DEV_ONLY_GATEWAY_PUBLIC_JWK } from '../lib/platform/identity/dev-keys.js';
import { createGatewayTokenSigner, createGatewayTokenVerifier, GATEWAY_ISSUER, type GatewayAccess } from '../lib/platform/identity/gateway-token.js';
import { readGatewayAccess } from '../lib/platform/identity/request.js';
import { createTokenVerifier, signDevToken } from '../lib/platform/identity/tokens.js';

const cfg = parseConfig({ NODE_ENV: 'test' });
const access: GatewayAccess = {
  identity: { subject: 'clerk-1', role: 'SUPERVISOR', prefecture: '13' },
  purpose: 'HOLDER_INQUIRY',
  identityVerification: 'MYNA_CARD_FACE',
};

/** Runs `body` with Date.now moved by `ms`. */
async function later<T>(ms: number, body: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  Date.now = () => realNow() + ms;
  try {
    return await body();
  } finally {
    Date.now = realNow;
  }
}
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('gateway tokens (the only way into a subgraph)', () => {
  it('a token for a subgraph carries the access the gateway verified, and is a standard EdDSA JWT', async () => {
    const token = await (await createGatewayTokenSigner(cfg))('driver', access);
    expect(await (await createGatewayTokenVerifier(cfg, 'driver'))(token)).toEqual(access);
    const { payload, protectedHeader } = await jwtVerify(token, await importJWK(DEV_ONLY_GATEWAY_PUBLIC_JWK, 'EdDSA'), {
      issuer: GATEWAY_ISSUER,
      audience: 'driver',
    });
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

  it('lives a minute: an older token is refused, also by a subgraph that accepted it before', async () => {
    const token = await (await createGatewayTokenSigner(cfg))('driver', access);
    await later(70_000, async () => expect((await createGatewayTokenVerifier(cfg, 'driver'))(token)).rejects.toThrow('gateway token rejected'));
    const driver = await createGatewayTokenVerifier(cfg, 'driver');
    await expect(driver(token)).resolves.toEqual(access);
    await later(59_000, async () => expect(await driver(token)).toEqual(access));
    await later(67_000, async () => expect(driver(token)).rejects.toThrow('gateway token rejected'));
  });

  it('is signed once per caller, subgraph, purpose and verification and handed out again for half its minute', async () => {
    const sign = await createGatewayTokenSigner(cfg);
    const first = await sign('driver', access);
    // Ten seconds on (a token signed then would differ in its iat), the same caller gets the same token.
    expect(await later(10_000, () => sign('driver', { ...access, identity: { ...access.identity } }))).toBe(first);
    for (const other of [
      sign('consent', access),
      sign('driver', { ...access, identity: { ...access.identity, subject: 'clerk-2' } }),
      sign('driver', { ...access, identity: { ...access.identity, prefecture: '14' } }),
      sign('driver', { ...access, purpose: 'AUDIT' }),
      sign('driver', { ...access, identityVerification: null }),
    ]) {
      expect(await other).not.toBe(first);
    }
    // Past half the minute a new one, which a subgraph accepts for a whole minute from then.
    const renewed = await later(31_000, () => sign('driver', access));
    expect(renewed).not.toBe(first);
    await later(31_000 + 55_000, async () => expect(await (await createGatewayTokenVerifier(cfg, 'driver'))(renewed)).toEqual(access));
  });

  it('carries no request id: each request has its own from its header, a malformed one replaced', async () => {
    const token = await (await createGatewayTokenSigner(cfg))('driver', access);
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).not.toHaveProperty('rid');
    const verify = await createGatewayTokenVerifier(cfg, 'driver');
    const read = (requestId?: string) =>
      readGatewayAccess({ authorization: `Bearer ${token}`, ...(requestId === undefined ? {} : { 'x-request-id': requestId }) }, verify);
    expect((await read('req-1')).access).toEqual({ ...access, requestId: 'req-1' });
    expect((await read('req-2')).access.requestId).toBe('req-2');
    for (const bad of [undefined, 'has spaces', 'x'.repeat(65), '{"json":1}']) {
      expect((await read(bad)).access.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('security (issue 15.1): a Myna Portal token carries the holder scope the gateway signed; without the claim it reaches nobody; others carry none', async () => {
    const sign = await createGatewayTokenSigner(cfg);
    const verify = await createGatewayTokenVerifier(cfg, 'driver');
    const portal: GatewayAccess = {
      identity: { subject: 'myna-portal', role: 'MYNA_PORTAL', prefecture: null },
      purpose: 'SYSTEM',
      identityVerification: null,
    };
    const holders = ['11111111-1111-4111-8111-000000000012', '11111111-1111-4111-8111-000000000001'];
    const scoped = await sign('driver', { ...portal, holderScope: holders });
    expect((await verify(scoped)).holderScope).toEqual([...holders].sort());
    expect(await sign('driver', { ...portal, holderScope: [holders[0]!] })).not.toBe(scoped);
    expect((await verify(await sign('driver', portal))).holderScope).toEqual([]);
    // A scope is signed for Myna Portal only: another role's token carries none, whatever the access says.
    const staff = await sign('driver', { ...access, holderScope: holders });
    expect(JSON.parse(Buffer.from(staff.split('.')[1]!, 'base64url').toString())).not.toHaveProperty('hs');
    expect(await verify(staff)).toEqual(access);
  });

  it("security: no caller's token may carry the gateway's own role", async () => {
    const verify = createTokenVerifier(cfg);
    await expect(verify(await signDevToken({ role: 'GATEWAY' }))).rejects.toThrow();
    await expect(verify(await signDevToken({ role: 'MYNA_PORTAL' }))).resolves.toMatchObject({ role: 'MYNA_PORTAL' });
  });
});
