import { describe, expect, it } from 'vitest';
import { JIS_X_0208_SIZE } from '../lib/domain/jis-x-0208.js';
import {
  differsFromRecord,
  importFailure,
  importFailureMessage,
  isStaleHonsekiCertificate,
  recordValueProblems,
} from '../subgraphs/driver/rules/import-validation.js';

const limits = { maxAddressLength: 60, maxNameLength: 50, maxHonsekiLength: 60, today: '2026-04-01' };

describe('R-IMP-1: values the record cannot hold fail the import with a reason', () => {
  it('R-IMP-1: the character table is JIS X 0208 (6,879) plus the Windows-mapped variants and ASCII', () => {
    expect(JIS_X_0208_SIZE).toBe(6879 + 7 + 95);
  });
  it('R-IMP-1: an address over the configured maximum is ADDRESS_TOO_LONG; exactly the maximum passes', () => {
    expect(importFailure('ADDRESS', '東'.repeat(61), limits)).toBe('ADDRESS_TOO_LONG');
    expect(importFailure('ADDRESS', '東'.repeat(60), limits)).toBeNull();
    expect(importFailure('ADDRESS', '東'.repeat(61), { ...limits, maxAddressLength: 80 })).toBeNull();
  });
  it.each([
    ['NAME', '髙橋 一郎'],
    ['ADDRESS', '東京都千代田区①番地'],
    ['NAME', '𠮷田 太郎'],
    ['ADDRESS', 'ﾄｳｷｮｳ'],
  ])('R-IMP-1: %s "%s" holds a character outside JIS X 0208', (item, value) => {
    expect(importFailure(item as 'NAME', value, limits)).toBe('CHARACTER_NOT_IN_JIS_X_0208');
  });
  it.each([
    ['NAME', '高橋 一郎'],
    ['ADDRESS', '東京都千代田区霞が関２－１－２'],
    ['ADDRESS', '大阪府大阪市北区中之島1丁目3-20'],
    ['HONSEKI', '東京都千代田区千代田1番'],
  ])('R-IMP-1: %s "%s" can be held', (item, value) => {
    expect(importFailure(item as 'NAME', value, limits)).toBeNull();
  });
  it('R-IMP-1: a birth date must be a calendar date', () => {
    expect(importFailure('BIRTH_DATE', '1980-02-30', limits)).toBe('INVALID_BIRTH_DATE');
    expect(importFailure('BIRTH_DATE', '1980-02-29', limits)).toBeNull();
  });
  it('R-IMP-1: a birth date before 1900 or after today is INVALID_BIRTH_DATE, year 0000 included', () => {
    for (const d of ['0000-01-01', '1899-12-31', '2026-04-02', '2199-12-31']) expect(importFailure('BIRTH_DATE', d, limits), d).toBe('INVALID_BIRTH_DATE');
    for (const d of ['1900-01-01', '2026-04-01']) expect(importFailure('BIRTH_DATE', d, limits), d).toBeNull();
  });
});

describe('R-IMP-1: 氏名 and 本籍 have maxima too (16.11)', () => {
  it.each([
    ['NAME', 50, 'NAME_TOO_LONG', '氏名'],
    ['HONSEKI', 60, 'HONSEKI_TOO_LONG', '本籍'],
    ['ADDRESS', 60, 'ADDRESS_TOO_LONG', '住所'],
  ] as const)('R-IMP-1: %s of %i characters is held, one more is %s with a message naming both lengths', (item, max, code, label) => {
    expect(importFailure(item, '東'.repeat(max), limits)).toBeNull();
    expect(importFailure(item, '東'.repeat(max + 1), limits)).toBe(code);
    const message = importFailureMessage(code, item, '東'.repeat(max + 1), limits);
    expect(message).toBe(`${label}が運転者管理システムに記録できる長さ（最大${max}文字）を超えています（${max + 1}文字）。`);
    expect(message).not.toContain('東東');
  });
  it('R-IMP-1: the maxima are the configured ones', () => {
    expect(importFailure('NAME', '東'.repeat(51), { ...limits, maxNameLength: 80 })).toBeNull();
    expect(importFailure('HONSEKI', '東'.repeat(21), { ...limits, maxHonsekiLength: 20 })).toBe('HONSEKI_TOO_LONG');
  });
  it('R-CHAR-1: characters are counted in NFC: 50 decomposed が (100 code points) are 50', () => {
    const decomposed = 'か\u3099'.repeat(50);
    expect([...decomposed]).toHaveLength(100);
    expect(importFailure('NAME', decomposed, limits)).toBeNull();
    expect(importFailure('NAME', `${decomposed}か`, limits)).toBe('NAME_TOO_LONG');
    expect(differsFromRecord({ name: 'が', address: '', honseki: '', birthDate: '' }, 'NAME', 'か\u3099')).toBe(false);
  });
  it('R-CHAR-1: staff may register an external character the 代替文字 table knows, an import may not', () => {
    for (const name of ['髙橋 一郎', '山﨑 花子', '𠮷田 学', '渡邉 悟', '葛\u{E0100}飾 一郎', '\uFA19田 一郎']) {
      expect(recordValueProblems({ NAME: name }, limits), name).toEqual([]);
    }
    expect(importFailure('NAME', '髙橋 一郎', limits)).toBe('CHARACTER_NOT_IN_JIS_X_0208');
    for (const name of ['①橋 一郎', '山田 😀', 'ﾔﾏﾀﾞ 一郎'])
      expect(recordValueProblems({ NAME: name }, limits)[0]?.failure, name).toBe('CHARACTER_NOT_IN_JIS_X_0208');
  });
  it('R-CHAR-2: every failure has a Japanese message naming the item and the character or length at fault, never the whole value', () => {
    expect(importFailureMessage('CHARACTER_NOT_IN_JIS_X_0208', 'NAME', '髙橋 一郎', limits)).toBe(
      '氏名の1文字目「髙」（U+9AD9）はJIS X 0208にない文字のため、運転者管理システムに記録できません。',
    );
    expect(recordValueProblems({ NAME: '①橋 一郎', ADDRESS: ' ', BIRTH_DATE: '0000-01-01', HONSEKI: '東京都千代田区千代田1番' }, limits)).toEqual([
      {
        item: 'NAME',
        failure: 'CHARACTER_NOT_IN_JIS_X_0208',
        message: '氏名の1文字目「①」（U+2460）はJIS X 0208になく、外字として登録できる文字でもないため、運転者管理システムに記録できません。',
      },
      { item: 'ADDRESS', failure: 'EMPTY_VALUE', message: '住所が空です。' },
      { item: 'BIRTH_DATE', failure: 'INVALID_BIRTH_DATE', message: '生年月日が1900-01-01から本日までの正しい日付ではありません。' },
    ]);
  });
});

describe('R-CHAR-1: what counts as a change of the record', () => {
  const record = { name: '髙橋 一郎', address: '東京都千代田区霞が関2-1-2', birthDate: '1970-01-01', honseki: '東京都千代田区千代田1番' };
  it('R-CHAR-1: a value that differs only by 代替文字, width or a name’s spacing is no change', () => {
    expect(differsFromRecord(record, 'NAME', '高橋　一郎')).toBe(false);
    expect(differsFromRecord(record, 'ADDRESS', '東京都千代田区霞が関２－１－２')).toBe(false);
    expect(differsFromRecord(record, 'NAME', '高橋 二郎')).toBe(true);
    expect(differsFromRecord(record, 'BIRTH_DATE', '1970-01-02')).toBe(true);
  });
  it('R-IMP-2: the value a hand resolution replaced is no change while the record holds what staff wrote', () => {
    const long = '東'.repeat(61);
    const resolutions = [{ item: 'ADDRESS', value: '東京都千代田区霞が関2-1-2', replaced: long }];
    expect(differsFromRecord(record, 'ADDRESS', long, resolutions)).toBe(false);
    expect(differsFromRecord(record, 'ADDRESS', long)).toBe(true);
    expect(differsFromRecord({ ...record, address: '東京都港区芝公園4-2-8' }, 'ADDRESS', long, resolutions)).toBe(true);
    expect(differsFromRecord(record, 'NAME', long, resolutions)).toBe(true);
  });
  it('R-HON-2: a 戸籍電子証明書 issued before the last applied one is stale; the same day or later is not', () => {
    expect(isStaleHonsekiCertificate('2026-03-10', '2026-03-20')).toBe(true);
    expect(isStaleHonsekiCertificate('2026-03-20', '2026-03-20')).toBe(false);
    expect(isStaleHonsekiCertificate('2026-03-21', '2026-03-20')).toBe(false);
    expect(isStaleHonsekiCertificate('2026-03-10', null)).toBe(false);
  });
});
