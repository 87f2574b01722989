import { readFileSync } from 'node:fs';
import { buildSchema, isInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { hasForbiddenCharacter, VERBATIM_FIELDS } from '../lib/platform/graphql/text-arguments.js';
import { isDateTimeInRange } from '../lib/platform/graphql/scalars.js';
import { parseJlisLine } from '../workers/jlis-file.js';

describe('security: which characters a text may hold (15.6)', () => {
  it.each([
    ['NUL', '\u0000'],
    ['TAB', '\t'],
    ['LF', '\n'],
    ['CR', '\r'],
    ['ESC', '\u001b'],
    ['DEL', '\u007f'],
    ['NEL', '\u0085'],
    ['CSI', '\u009b'],
    ['LRE', '\u202a'],
    ['RLO', '\u202e'],
    ['LRI', '\u2066'],
    ['PDI', '\u2069'],
    ['lone high surrogate', '\ud83d'],
    ['lone low surrogate', '\ude00'],
  ])('security: %s is refused in a name', (_what, c) => {
    expect(hasForbiddenCharacter(`山田${c}太郎`)).toBe(true);
    expect(hasForbiddenCharacter(`${c}`)).toBe(true);
  });
  it('security: Japanese text, full-width spaces, emoji in pairs and the bidi marks that are not overrides pass', () => {
    for (const v of ['山田 太郎', '東京都千代田区霞が関２－１－２', 'ＹＡＭＡＤＡ　太郎', '😀', '𠮷田', 'a\u200eb'])
      expect(hasForbiddenCharacter(v), v).toBe(false);
  });
  it('security: in a PEM, a signed document or a signature, line breaks and tabs pass and the rest is refused', () => {
    expect(hasForbiddenCharacter('-----BEGIN CERTIFICATE-----\r\nAAAA\n\t-----END CERTIFICATE-----\n', true)).toBe(false);
    for (const c of ['\u0000', '\u000b', '\u007f', '\u0085', '\u202e', '\ud800']) expect(hasForbiddenCharacter(`AAAA${c}`, true)).toBe(true);
  });
  it('security: every field taken verbatim exists in the composed graph', () => {
    const schema = buildSchema(readFileSync(new URL('../schema/api.graphql', import.meta.url), 'utf8'));
    for (const coordinate of VERBATIM_FIELDS) {
      const [type, field] = coordinate.split('.') as [string, string];
      const t = schema.getType(type);
      expect(isInputObjectType(t) && t.getFields()[field], coordinate).toBeTruthy();
    }
  });
});

describe('security: the J-LIS file line check refuses what the graph would (15.6)', () => {
  const line = (over: Record<string, unknown>) =>
    JSON.stringify({
      notificationId: 'J-1',
      kind: 'CERTIFICATE_RENEWED',
      previousSerial: 'AA',
      serial: 'BB',
      notBefore: '2026-03-30T00:00:00+09:00',
      notAfter: '2031-03-30T00:00:00+09:00',
      name: '山田 太郎',
      birthDate: '1980-01-02',
      filedOn: '2026-03-30',
      // The line check takes the signature's form only; the consent subgraph verifies it.
      signature: `${'A'.repeat(86)}==`,
      ...over,
    });
  it.each([
    [{ birthDate: '0000-01-01' }, 'birthDate'],
    [{ filedOn: '2200-01-01' }, 'filedOn'],
    [{ notBefore: '0000-01-01T00:00:00Z' }, 'notBefore'],
    [{ notAfter: '2026-03-30 10:00' }, 'notAfter'],
    [{ name: '山田\u0000太郎' }, 'name'],
    [{ address: '東京都\u202e港区' }, 'address'],
  ])('security: %j is a bad line naming %s, never its value', (over, field) => {
    const r = parseJlisLine(line(over), 7);
    expect(r).toMatchObject({ ok: false, line: 7 });
    const problem = (r as { problem: string }).problem;
    expect(problem.startsWith(`${field}: `)).toBe(true);
    for (const v of Object.values(over)) expect(problem).not.toContain(v);
  });
  it('security: a line within the range passes', () => {
    expect(parseJlisLine(line({}), 1)).toMatchObject({ ok: true });
    expect(isDateTimeInRange('1900-01-01T00:00:00+09:00')).toBe(true);
    expect(isDateTimeInRange('1899-12-31T23:59:59+09:00')).toBe(false);
    expect(isDateTimeInRange('2199-12-31T23:59:59+09:00')).toBe(true);
    expect(isDateTimeInRange('2199-12-31T15:00:00Z')).toBe(false);
  });
});
