import { describe, expect, it } from 'vitest';
import { JIS_X_0208_SIZE } from '../lib/jis-x-0208.js';
import { differsFromRecord, importFailure, isStaleHonsekiCertificate } from '../subgraphs/driver/rules/import-validation.js';

const limits = { maxAddressLength: 60 };

describe('R-IMP-1: values the record cannot hold fail the import with a reason', () => {
  it('R-IMP-1: the character table is JIS X 0208 (6,879) plus the Windows-mapped variants and ASCII', () => {
    expect(JIS_X_0208_SIZE).toBe(6879 + 7 + 95);
  });
  it('R-IMP-1: an address over the configured maximum is ADDRESS_TOO_LONG; exactly the maximum passes', () => {
    expect(importFailure('ADDRESS', '東'.repeat(61), limits)).toBe('ADDRESS_TOO_LONG');
    expect(importFailure('ADDRESS', '東'.repeat(60), limits)).toBeNull();
    expect(importFailure('ADDRESS', '東'.repeat(61), { maxAddressLength: 80 })).toBeNull();
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
