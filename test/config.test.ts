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
  it('production refuses APP_NOW, the dev key (no JWKS URL) and the embedded database', () => {
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
  });
});
