import { describe, expect, it } from 'vitest';
import { JIS_X_0208_SIZE } from '../lib/jis-x-0208.js';
import { importFailure } from '../subgraphs/driver/rules/import-validation.js';

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
});
