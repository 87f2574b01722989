import { describe, expect, it } from 'vitest';
import { runtimeRole } from '../lib/audit/migrations.js';
import { ConfigError, parseConfig } from '../lib/config.js';
import { DEV_ONLY_AUDIT_LOG_KEY } from '../lib/identity/dev-keys.js';

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
  });
  it('a scrape token is 32–256 visible characters', () => {
    expect(() => parseConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => parseConfig({ METRICS_TOKEN: 'x'.repeat(31) + ' ' })).toThrow(/METRICS_TOKEN/);
    expect(parseConfig({ METRICS_TOKEN: 'x'.repeat(32) }).METRICS_TOKEN).toBe('x'.repeat(32));
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
