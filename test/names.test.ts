import { describe, expect, it } from 'vitest';
import { ALTERNATE_SOURCE } from '../lib/domain/characters/alternate-table.js';
import { foldName, sameName, sameText } from '../lib/domain/characters/names.js';
import { sameSubject, subjectDigest } from '../lib/domain/certificates/subject-digest.js';
import { firstUnrepresentable } from '../lib/domain/jis-x-0208.js';

describe('R-CHAR-1: a character and its 代替文字 compare equal, from the MJ縮退マップ table', () => {
  it('R-CHAR-1: the table names its source, version and licence', () => {
    expect(ALTERNATE_SOURCE).toEqual({
      package: '@mandel59/mojidata@1.8.1',
      mjCharacterList: 'Ver.006.02',
      mjGlyphVersion: expect.any(String),
      mjShrinkMap: 'Ver.1.2.0',
      licence: 'CC BY-SA 2.1 JP',
    });
  });

  it.each([
    ['髙橋 一郎', '高橋 一郎'],
    ['山﨑 次郎', '山崎 次郎'],
    ['𠮷田 花子', '吉田 花子'],
    ['德永 三郎', '徳永 三郎'],
    ['栁田 四郎', '柳田 四郎'],
    ['濵田 五郎', '浜田 五郎'],
    ['渡邉 美咲', '渡辺 美咲'],
    ['渡邊 美咲', '渡辺 美咲'],
    ['渡邉 美咲', '渡邊 美咲'],
    ['國分 六郎', '国分 六郎'],
    ['齋藤 七郎', '斎藤 七郎'],
  ])('R-CHAR-1: %s and %s name the same person', (original, alternate) => {
    expect(sameName(original, alternate)).toBe(true);
    expect(sameName(alternate, original)).toBe(true);
  });

  it('R-CHAR-1: the 代替文字 the certificate carries is a JIS X 0208 character, the original need not be', () => {
    for (const [original, alternate] of [
      ['髙', '高'],
      ['﨑', '崎'],
      ['𠮷', '吉'],
      ['德', '徳'],
      ['栁', '柳'],
      ['濵', '浜'],
    ]) {
      expect(firstUnrepresentable(original!), original).toBe(original);
      expect(firstUnrepresentable(alternate!), alternate).toBeNull();
      expect(foldName(original!)).toBe(foldName(alternate!));
    }
  });

  it('R-CHAR-1: an ideographic variation sequence is its base character (葛󠄀 U+845B U+E0100, 邉󠄓 U+9089 U+E0113)', () => {
    expect(sameName('葛\u{E0100}西 一郎', '葛西 一郎')).toBe(true);
    expect(sameName('渡邉\u{E0113} 花子', '渡辺 花子')).toBe(true);
    expect(sameName('辻\uFE00 花子', '辻 花子')).toBe(true);
  });

  it('R-CHAR-1: a compatibility ideograph is its unified character (神 U+FA19, 﨑 U+FA11, 塚 U+FA10)', () => {
    expect(sameName('\uFA19田 一郎', '神田 一郎')).toBe(true);
    expect(sameName('山\uFA11 一郎', '山崎 一郎')).toBe(true);
    expect(sameName('大\uFA10 一郎', '大塚 一郎')).toBe(true);
  });

  it('R-CHAR-1: spacing and width do not matter in a name, the characters do', () => {
    expect(sameName('山田　太郎', '山田 太郎')).toBe(true);
    expect(sameName('山田太郎', 'ﾔﾏﾀﾞ太郎')).toBe(false);
    expect(sameName('山田 太郎', '山田 花子')).toBe(false);
  });

  it('R-CHAR-1: distinct characters stay distinct (no chain of variants joins two 正字)', () => {
    for (const [a, b] of [
      ['乃', '及'],
      ['弓', '乃'],
      ['斎', '斉'],
      ['龍', '竜'],
      ['高', '髪'],
      ['崎', '埼'],
      ['辺', '迎'],
      ['吉', '告'],
    ]) {
      expect(sameName(a!, b!), `${a} ${b}`).toBe(false);
    }
  });

  it('R-CHAR-1: addresses and 本籍 compare the same way, without ignoring their spaces', () => {
    expect(sameText('東京都千代田区霞が関２－１－２', '東京都千代田区霞が関2-1-2')).toBe(true);
    expect(sameText('大阪府髙槻市桃園町2番1号', '大阪府高槻市桃園町2番1号')).toBe(true);
    expect(sameText('東京都港区芝公園4-2-8', '東京都港区芝公園4-2-9')).toBe(false);
  });

  it('R-CHAR-1: sameSubject and the stored subject digest fold names alike; the birth date must be equal', () => {
    expect(sameSubject({ name: '高橋 一郎', birthDate: '1970-01-01' }, { name: '髙橋 一郎', birthDate: '1970-01-01' })).toBe(true);
    expect(sameSubject({ name: '高橋 一郎', birthDate: '1970-01-02' }, { name: '髙橋 一郎', birthDate: '1970-01-01' })).toBe(false);
    expect(sameSubject({ name: null, birthDate: '1970-01-01' }, { name: '髙橋 一郎', birthDate: '1970-01-01' })).toBe(false);
    expect(subjectDigest('高橋 一郎', '1970-01-01')).toBe(subjectDigest('髙橋　一郎', '1970-01-01'));
    expect(subjectDigest('高橋 一郎', '1970-01-01')).not.toBe(subjectDigest('高橋 二郎', '1970-01-01'));
  });
});
