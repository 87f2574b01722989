import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createDevCa } from '../lib/domain/certificates/dev-ca.js';
import { createJlisFeedKey } from '../lib/domain/certificates/jlis-feed.js';
import { localTlsCertificate } from './local-tls.js';

const ISSUER = 'renkei-bench-idp';
const AUDIENCE = 'renkei';

/**
 * What a deployment gives every process, made up for one benchmark run so that the graph runs as deployed
 * (NODE_ENV=production: trusted documents only, keys of its own, the libraries' production paths — graphql-js, for
 * one, leaves out its development checks): an identity provider whose JWKS is served here over HTTPS (production
 * refuses a JWKS URL in the clear) with a certificate the run's processes trust (NODE_EXTRA_CA_CERTS), the gateway's
 * key pair, the workers' service key, the subgraphs' shared scope key, the access log's signing key, the `/metrics`
 * scrape token, J-LIS trust anchors (a CA of the run's own; no certificate in the benchmarks is signed by J-LIS), the
 * J-LIS feed's key (its public half trusted, the private one signing the benchmark's J-LIS file), and the
 * tokens the benchmark's clerk, the J-LIS feed and Myna Portal present. `env` goes into every process.
 */
const ed25519Pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

/**
 * The J-LIS feed's key for one run, as files in `dir`: the processes trust its public half
 * (JLIS_FEED_PUBLIC_KEYS_FILE); the benchmark signs its J-LIS file with the private one (BENCH_JLIS_FEED_KEY_FILE).
 */
export function jlisFeedKeyFiles(dir: string): { JLIS_FEED_PUBLIC_KEYS_FILE: string; BENCH_JLIS_FEED_KEY_FILE: string } {
  // BENCH_JLIS_KEY=ed25519 measures the feed signed with Ed25519 instead of J-LIS's RSA.
  const feedKey = process.env.BENCH_JLIS_KEY === 'ed25519' ? ed25519Pair() : createJlisFeedKey();
  const files = { JLIS_FEED_PUBLIC_KEYS_FILE: join(dir, 'jlis-feed-public.pem'), BENCH_JLIS_FEED_KEY_FILE: join(dir, 'jlis-feed-key.pem') };
  writeFileSync(files.JLIS_FEED_PUBLIC_KEYS_FILE, feedKey.publicKeyPem);
  writeFileSync(files.BENCH_JLIS_FEED_KEY_FILE, feedKey.privateKeyPem, { mode: 0o600 });
  return files;
}

export async function productionSettings(dir: string): Promise<{ env: Record<string, string>; close: () => void }> {
  const idp = await generateKeyPair('ES256', { extractable: true });
  const idpPublic = { ...(await exportJWK(idp.publicKey)), kid: 'bench-idp-1', alg: 'ES256', use: 'sig' };
  const tls = await localTlsCertificate();
  const trusted = join(dir, 'idp-tls.pem');
  writeFileSync(trusted, tls.certPem);
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [idpPublic] })),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const token = (claims: { role: string; prefecture?: string }, subject: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: idpPublic.kid })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(idp.privateKey);

  const eddsa = async (kid: string) => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    return { private: { ...(await exportJWK(pair.privateKey)), kid, alg: 'EdDSA' }, public: { ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA' } };
  };
  const gateway = await eddsa('bench-gateway-1');
  const service = await eddsa('bench-service-1');
  const anchors = join(dir, 'jlis-trust-anchors.pem');
  writeFileSync(anchors, (await createDevCa()).certPem);

  return {
    env: {
      NODE_ENV: 'production',
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_JWKS_URL: `https://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
      NODE_EXTRA_CA_CERTS: trusted,
      GATEWAY_SIGNING_JWK: JSON.stringify(gateway.private),
      GATEWAY_VERIFY_JWK: JSON.stringify(gateway.public),
      SERVICE_SIGNING_JWK: JSON.stringify(service.private),
      JLIS_TRUST_ANCHORS_FILE: anchors,
      ...jlisFeedKeyFiles(dir),
      METRICS_TOKEN: randomBytes(32).toString('base64url'),
      SUBGRAPH_SCOPE_KEY: randomBytes(32).toString('base64url'),
      AUDIT_LOG_KEY: randomBytes(32).toString('base64url'),
      BENCH_CLIENT_TOKEN: await token({ role: 'SUPERVISOR', prefecture: '13' }, 'bench-clerk'),
      JLIS_FEED_TOKEN: await token({ role: 'JLIS_FEED' }, 'jlis-import'),
      MYNA_PORTAL_TOKEN: await token({ role: 'MYNA_PORTAL' }, 'myna-portal'),
    },
    close: () => server.close(),
  };
}
