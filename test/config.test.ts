import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../lib/config.js';

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
});
