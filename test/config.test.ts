import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runtimeRole } from '../lib/platform/audit/migrations.js';
import { ConfigError, DEVELOPMENT_CORS_ORIGINS, parseConfig } from '../lib/platform/config.js';
import { DEV_ONLY_AUDIT_LOG_KEY } from '../lib/platform/identity/dev-keys.js';
import { FETCH_BAD_PORTS } from '../lib/platform/fetch-ports.js';
import { loadSupergraph } from '../gateway/supergraph.js';

/** Everything production requires, with keys of the test's own. */
function productionEnv(): Record<string, string> {
  const jwk = () => JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
  return {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://x@127.0.0.1/x',
    JWT_JWKS_URL: 'https://idp.example.jp/jwks',
    JLIS_TRUST_ANCHORS_FILE: '/dev/null',
    JLIS_FEED_PUBLIC_KEYS_FILE: '/dev/null',
    METRICS_TOKEN: 'm'.repeat(32),
    GATEWAY_SIGNING_JWK: jwk(),
    GATEWAY_VERIFY_JWK: jwk(),
    SERVICE_SIGNING_JWK: jwk(),
    SUBGRAPH_SCOPE_KEY: 's'.repeat(32),
    AUDIT_LOG_KEY: 'a'.repeat(48),
  };
}

describe('configuration is parsed once and a bad value names its variable', () => {
  it('defaults suit development', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ PORT: 4000, DATA_DIR: '.data', GATEWAY_ENGINE: 'hive', MAX_ADDRESS_LENGTH: 60, DATABASE_PREPARED_STATEMENTS: true });
    expect(parseConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).DATABASE_PREPARED_STATEMENTS).toBe(false);
  });
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ APP_NOW: '2026-04-01' }, 'APP_NOW'],
    [{ GATEWAY_ENGINE: 'other' }, 'GATEWAY_ENGINE'],
    [{ DATABASE_PREPARED_STATEMENTS: 'no' }, 'DATABASE_PREPARED_STATEMENTS'],
  ])('%j is refused naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`\\b${variable}\\b`));
  });
  it('production refuses APP_NOW, the dev key (no JWKS URL), the embedded database and an open /metrics', () => {
    const message = (() => {
      try {
        parseConfig({ NODE_ENV: 'production', APP_NOW: '2026-04-01T09:00:00+09:00' });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/APP_NOW/);
    expect(message).toMatch(/JWT_JWKS_URL/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/METRICS_TOKEN/);
    expect(message).toMatch(/JLIS_FEED_PUBLIC_KEYS_FILE: production needs the J-LIS feed's public keys/);
  });
  it('a scrape token is 32–256 visible characters', () => {
    expect(() => parseConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => parseConfig({ METRICS_TOKEN: `${'x'.repeat(31)} ` })).toThrow(/METRICS_TOKEN/);
    expect(parseConfig({ METRICS_TOKEN: 'x'.repeat(32) }).METRICS_TOKEN).toBe('x'.repeat(32));
  });

  it('security: JWT_JWKS_URL must be https in production', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x@127.0.0.1/x' };
    expect(() => parseConfig({ ...production, JWT_JWKS_URL: 'http://idp.example.jp/jwks' })).toThrow(/JWT_JWKS_URL: must be an https URL/);
    expect(() => parseConfig({ ...production, JWT_JWKS_URL: 'https://idp.example.jp/jwks' })).not.toThrow(/JWT_JWKS_URL/);
    const serviceKey = productionEnv().SERVICE_SIGNING_JWK!;
    expect(parseConfig({ JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks', SERVICE_SIGNING_JWK: serviceKey }).JWT_JWKS_URL).toBe('http://127.0.0.1:8080/jwks');
  });

  it('security: an https identity provider outside production is refused, and a JWKS URL needs the service key', () => {
    expect(() => parseConfig({ JWT_JWKS_URL: 'https://idp.example.jp/jwks', SERVICE_SIGNING_JWK: productionEnv().SERVICE_SIGNING_JWK! })).toThrow(
      /NODE_ENV: must be production/,
    );
    expect(() => parseConfig({ JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks' })).toThrow(/SERVICE_SIGNING_JWK: is needed with JWT_JWKS_URL/);
  });

  it.each([
    [{ GATEWAY_URL: 'http://127.0.0.1:6000/graphql' }, 'GATEWAY_URL'],
    [{ FAMILY_REGISTER_URL: 'http://127.0.0.1:6666' }, 'FAMILY_REGISTER_URL'],
    [{ JWT_JWKS_URL: 'https://idp.example.jp:10080/jwks' }, 'JWT_JWKS_URL'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:5060' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ PORT: '6000' }, 'PORT'],
    [{ DRIVER_PORT: '2049' }, 'DRIVER_PORT'],
    [{ PORTAL_LINK_PORT: '6697' }, 'PORTAL_LINK_PORT'],
    [{ FAMILY_REGISTER_PORT: '4190' }, 'FAMILY_REGISTER_PORT'],
  ])('security: %j, a port that fetch refuses, is refused naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(new RegExp(`${variable}: is a port that fetch refuses`));
  });

  it('security: a gateway given a subgraph URL on a port fetch refuses does not start, naming the subgraph', () => {
    const urls = { driver: 'http://127.0.0.1:4001/', consent: 'http://127.0.0.1:6000/', 'portal-link': 'http://127.0.0.1:4003/' };
    expect(() => loadSupergraph(urls)).toThrow(/subgraph consent: its URL is a port that fetch refuses/);
    expect(loadSupergraph({ ...urls, consent: 'http://127.0.0.1:4002/' })).toContain('http://127.0.0.1:4002/');
  });

  it('security: PORT is refused for a bad port only while the gateway URL is derived from it', () => {
    expect(parseConfig({ PORT: '6000', GATEWAY_URL: 'https://gateway.example.jp/graphql' }).PORT).toBe(6000);
  });

  it("security: the refused ports are exactly those Node's fetch refuses", async () => {
    const refuses = async (port: number) => {
      try {
        await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
        return false;
      } catch (e) {
        return /bad port/.test(String((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message));
      }
    };
    for (const port of FETCH_BAD_PORTS) expect(await refuses(port), String(port)).toBe(true);
    // Each listed port's neighbours that are not listed are reached as any port is (refused by no one, or answered).
    for (const port of [...FETCH_BAD_PORTS].map((p) => p + 1).filter((p) => !FETCH_BAD_PORTS.has(p))) expect(await refuses(port), String(port)).toBe(false);
  });

  it("security: CORS_ALLOWED_ORIGINS names origins only; none in production, the landing page's in development", () => {
    expect(parseConfig({}).CORS_ALLOWED_ORIGINS).toEqual(DEVELOPMENT_CORS_ORIGINS);
    expect(parseConfig({ CORS_ALLOWED_ORIGINS: ' https://counter.example.jp, http://localhost:3000 ' }).CORS_ALLOWED_ORIGINS).toEqual([
      'https://counter.example.jp',
      'http://localhost:3000',
    ]);
    expect(parseConfig(productionEnv()).CORS_ALLOWED_ORIGINS).toEqual([]);
    expect(parseConfig({ ...productionEnv(), CORS_ALLOWED_ORIGINS: 'https://counter.example.jp' }).CORS_ALLOWED_ORIGINS).toEqual([
      'https://counter.example.jp',
    ]);
    for (const bad of [
      '*',
      'https://counter.example.jp/',
      'https://counter.example.jp/graphql',
      'counter.example.jp',
      'ftp://counter.example.jp',
      'https://*.example.jp',
    ]) {
      expect(() => parseConfig({ CORS_ALLOWED_ORIGINS: bad }), bad).toThrow(/CORS_ALLOWED_ORIGINS/);
    }
  });

  it('security: the HTTP timeouts and limits have safe defaults, and the headers fit within the request', () => {
    expect(parseConfig({})).toMatchObject({
      HTTP_HEADERS_TIMEOUT_S: 10,
      HTTP_REQUEST_TIMEOUT_S: 30,
      HTTP_MAX_CONNECTIONS: 4096,
      GATEWAY_MAX_BODY_BYTES: 512 * 1024,
      GATEWAY_MAX_VARIABLES: 100,
    });
    expect(() => parseConfig({ HTTP_HEADERS_TIMEOUT_S: '40', HTTP_REQUEST_TIMEOUT_S: '30' })).toThrow(/HTTP_HEADERS_TIMEOUT_S/);
    expect(() => parseConfig({ GATEWAY_MAX_BODY_BYTES: '10' })).toThrow(/GATEWAY_MAX_BODY_BYTES/);
  });

  it('security: production needs an access-log key of its own: missing (the dev default) or the dev one is refused', () => {
    const production = { NODE_ENV: 'production' };
    expect(() => parseConfig(production)).toThrow(/AUDIT_LOG_KEY: production needs a key of its own/);
    expect(() => parseConfig({ ...production, AUDIT_LOG_KEY: DEV_ONLY_AUDIT_LOG_KEY })).toThrow(/AUDIT_LOG_KEY/);
    expect(() => parseConfig({ AUDIT_LOG_KEY: 'too short' })).toThrow(/AUDIT_LOG_KEY/);
    expect(parseConfig({}).AUDIT_LOG_KEY).toBe(DEV_ONLY_AUDIT_LOG_KEY);
    const key = 'k'.repeat(48);
    expect(() => parseConfig({ ...production, AUDIT_LOG_KEY: key })).not.toThrow(/AUDIT_LOG_KEY/);
    expect(() => parseConfig({ AUDIT_CHECKPOINT_INTERVAL_S: '0' })).toThrow(/AUDIT_CHECKPOINT_INTERVAL_S/);
  });
  it('R-IMP-1: the maxima of 住所, 氏名 and 本籍 are configured like MAX_ADDRESS_LENGTH', () => {
    expect(parseConfig({})).toMatchObject({ MAX_ADDRESS_LENGTH: 60, MAX_NAME_LENGTH: 50, MAX_HONSEKI_LENGTH: 60 });
    expect(parseConfig({ MAX_NAME_LENGTH: '30', MAX_HONSEKI_LENGTH: '80' })).toMatchObject({ MAX_NAME_LENGTH: 30, MAX_HONSEKI_LENGTH: 80 });
    expect(() => parseConfig({ MAX_NAME_LENGTH: '0' })).toThrow(/MAX_NAME_LENGTH/);
    expect(() => parseConfig({ MAX_HONSEKI_LENGTH: 'long' })).toThrow(/MAX_HONSEKI_LENGTH/);
  });
  it('the owner and runtime database roles: DATABASE_RUNTIME_ROLE must be a role name, the owner URL a URL', () => {
    expect(() => parseConfig({ DATABASE_RUNTIME_ROLE: 'x; drop table' })).toThrow(/DATABASE_RUNTIME_ROLE/);
    expect(() => parseConfig({ DATABASE_OWNER_URL: 'not a url' })).toThrow(/DATABASE_OWNER_URL/);
    const cfg = parseConfig({ DATABASE_URL: 'postgres://renkei_app@db/renkei', DATABASE_OWNER_URL: 'postgres://renkei_owner@db/renkei' });
    expect(runtimeRole(cfg)).toBe('renkei_app');
    expect(runtimeRole(parseConfig({ DATABASE_URL: 'postgres://renkei_app@db/renkei' }))).toBeNull();
    expect(runtimeRole(parseConfig({ DATABASE_URL: 'postgres://a@db/r', DATABASE_OWNER_URL: 'postgres://a@db/r' }))).toBeNull();
    expect(runtimeRole(parseConfig({ DATABASE_RUNTIME_ROLE: 'renkei_runtime' }))).toBe('renkei_runtime');
  });
});

describe("the J-LIS feed's keys (issue 15.7)", () => {
  it('security: the configured keys are trusted, the dev key only outside production; a key neither RSA of 2048 bits or more nor Ed25519 is refused', async () => {
    const { createJlisFeedKey, loadJlisFeedKeys, devJlisFeedKeyPaths } = await import('../lib/domain/certificates/jlis-feed.js');
    const { mkdtempSync, writeFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'renkei-jlis-keys-'));
    const file = join(dir, 'feed.pem');
    const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    writeFileSync(file, createJlisFeedKey().publicKeyPem + ed25519);
    expect(loadJlisFeedKeys({ NODE_ENV: 'production', JLIS_FEED_PUBLIC_KEYS_FILE: file, DATA_DIR: dir })).toHaveLength(2);
    expect(existsSync(devJlisFeedKeyPaths(dir).key)).toBe(false);
    expect(loadJlisFeedKeys({ NODE_ENV: 'development', JLIS_FEED_PUBLIC_KEYS_FILE: file, DATA_DIR: dir })).toHaveLength(3);
    expect(existsSync(devJlisFeedKeyPaths(dir).key)).toBe(true);
    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(() => loadJlisFeedKeys({ NODE_ENV: 'production', JLIS_FEED_PUBLIC_KEYS_FILE: file, DATA_DIR: dir })).toThrow(
      /RSA public key of 2048–4096 bits or an Ed25519/,
    );
    writeFileSync(file, generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(() => loadJlisFeedKeys({ NODE_ENV: 'production', JLIS_FEED_PUBLIC_KEYS_FILE: file, DATA_DIR: dir })).toThrow(/2048–4096 bits/);
    writeFileSync(file, '');
    expect(() => loadJlisFeedKeys({ NODE_ENV: 'production', JLIS_FEED_PUBLIC_KEYS_FILE: file, DATA_DIR: dir })).toThrow(/JLIS_FEED_PUBLIC_KEYS_FILE/);
  });
});
