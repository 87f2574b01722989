import { hasAlternate, sameName, sameText } from '../../../lib/domain/characters/names.js';
import { normalForm } from '../../../lib/domain/characters/normal-form.js';
import { EARLIEST_DATE, isDateInRange, type IsoDate } from '../../../lib/platform/japan-date.js';
import { firstUnrepresentable } from '../../../lib/domain/jis-x-0208.js';

export type RecordItem = 'HONSEKI' | 'ADDRESS' | 'NAME' | 'BIRTH_DATE';

/** Why an import cannot be written into the record (R-IMP-1); staff resolve it by hand (R-IMP-2). */
export type ImportFailure = 'ADDRESS_TOO_LONG' | 'NAME_TOO_LONG' | 'HONSEKI_TOO_LONG' | 'CHARACTER_NOT_IN_JIS_X_0208' | 'INVALID_BIRTH_DATE' | 'EMPTY_VALUE';

/** What the record can hold of each text item, in characters (MAX_*_LENGTH), and the day a birth date may not pass. */
export interface RecordLimits {
  maxAddressLength: number;
  maxNameLength: number;
  maxHonsekiLength: number;
  today: IsoDate;
}

const TOO_LONG = { ADDRESS: 'ADDRESS_TOO_LONG', NAME: 'NAME_TOO_LONG', HONSEKI: 'HONSEKI_TOO_LONG' } as const;
const maxLength = (item: Exclude<RecordItem, 'BIRTH_DATE'>, limits: RecordLimits) =>
  item === 'ADDRESS' ? limits.maxAddressLength : item === 'NAME' ? limits.maxNameLength : limits.maxHonsekiLength;

/** Characters as the record counts them: code points of the NFC form, so が is one whether it came composed or not. */
const length = (value: string) => [...value.normalize('NFC')].length;

/**
 * How a value reaches the record: an import, written by the system from J-LIS or the family register, holds JIS X
 * 0208 only; an entry staff make by hand (registerHolder, registerRecordChange) may also register an external
 * character (外字) for a resident-record character the 代替文字 table knows — 髙 in 髙橋 — as the record of a person
 * may hold the original (R-CHAR-1), and as a failed import is resolved (R-IMP-2).
 */
export type EntryKind = 'IMPORT' | 'BY_HAND';

/**
 * What staff may register beyond JIS X 0208: a character the table knows, a compatibility form of a held character
 * (神 U+FA19), and the variation selector that picks a glyph of the character before it.
 */
function registrableByHand(c: string): boolean {
  const n = normalForm(c);
  return n === '' || hasAlternate(n) || (COMPATIBILITY_IDEOGRAPH.test(c) && firstUnrepresentable(n) === null);
}
const COMPATIBILITY_IDEOGRAPH = /^[\uF900-\uFAFF\u{2F800}-\u{2FA1F}]$/u;

/** R-IMP-1: a value the record can hold, or the reason it cannot. */
export function importFailure(item: RecordItem, value: string, limits: RecordLimits, entry: EntryKind = 'IMPORT'): ImportFailure | null {
  const v = value.normalize('NFC');
  if (v.trim().length === 0) return 'EMPTY_VALUE';
  if (item === 'BIRTH_DATE') return isDateInRange(v) && v <= limits.today ? null : 'INVALID_BIRTH_DATE';
  if (length(v) > maxLength(item, limits)) return TOO_LONG[item];
  if (unheldCharacter(v, entry) !== null) return 'CHARACTER_NOT_IN_JIS_X_0208';
  return null;
}

const unheldCharacter = (v: string, entry: EntryKind) => firstUnrepresentable(v, entry === 'BY_HAND' ? registrableByHand : undefined);

/** The items as the notice names them (本籍等). */
export const ITEM_LABEL: Record<RecordItem, string> = { HONSEKI: '本籍', ADDRESS: '住所', NAME: '氏名', BIRTH_DATE: '生年月日' };

/** A character as the counter reads it: itself and its code point, since a combining mark or a selector shows nothing alone. */
const shown = (c: string) => `「${c}」（U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}）`;

/**
 * R-IMP-1, R-CHAR-2: the failure as the counter reads it, in the notice's terms: which item, and for a length the
 * length at fault and what the record holds; for a character its position and the character itself, so the clerk
 * knows what to register by hand (R-IMP-2). The message goes to the clerk only: it is stored with the import and
 * answered in 取込状況検索 or the userError, and never logged (the character is part of a name or an address).
 */
export function importFailureMessage(failure: ImportFailure, item: RecordItem, value: string, limits: RecordLimits, entry: EntryKind = 'IMPORT'): string {
  const label = ITEM_LABEL[item];
  const v = value.normalize('NFC');
  switch (failure) {
    case 'ADDRESS_TOO_LONG':
    case 'NAME_TOO_LONG':
    case 'HONSEKI_TOO_LONG':
      return `${label}が運転者管理システムに記録できる長さ（最大${maxLength(item as Exclude<RecordItem, 'BIRTH_DATE'>, limits)}文字）を超えています（${length(v)}文字）。`;
    case 'CHARACTER_NOT_IN_JIS_X_0208': {
      const c = unheldCharacter(v, entry) ?? '';
      const at = [...v].indexOf(c) + 1;
      return entry === 'IMPORT'
        ? `${label}の${at}文字目${shown(c)}はJIS X 0208にない文字のため、運転者管理システムに記録できません。`
        : `${label}の${at}文字目${shown(c)}はJIS X 0208になく、外字として登録できる文字でもないため、運転者管理システムに記録できません。`;
    }
    case 'INVALID_BIRTH_DATE':
      return `${label}が${EARLIEST_DATE}から本日までの正しい日付ではありません。`;
    case 'EMPTY_VALUE':
      return `${label}が空です。`;
  }
}

/**
 * Every item of a record entered by hand (`registerHolder`, `registerRecordChange`), checked as an import is
 * (R-IMP-1) but for the external characters staff may register; each problem with its Japanese message.
 */
export function recordValueProblems(
  values: Partial<Record<RecordItem, string>>,
  limits: RecordLimits,
): { item: RecordItem; failure: ImportFailure; message: string }[] {
  return (Object.entries(values) as [RecordItem, string][]).flatMap(([item, value]) => {
    const failure = importFailure(item, value, limits, 'BY_HAND');
    return failure ? [{ item, failure, message: importFailureMessage(failure, item, value, limits, 'BY_HAND') }] : [];
  });
}

/** The column of the record each item writes. */
export const ITEM_COLUMN = { HONSEKI: 'honseki', ADDRESS: 'address', NAME: 'name', BIRTH_DATE: 'birthDate' } as const;

/** A hand resolution of a failed import (R-IMP-2): the value staff wrote, and the imported value it replaced. */
export interface Resolution {
  item: string;
  value: string;
  replaced: string;
}

/** How two values of an item are the same (R-CHAR-1): names and text but for 代替文字 and width, a date exactly. */
function sameValue(item: RecordItem): (a: string, b: string) => boolean {
  if (item === 'BIRTH_DATE') return (a, b) => a === b;
  return item === 'NAME' ? sameName : sameText;
}

/**
 * R-ONE-5, R-CHAR-1: an import is scheduled only for an item whose value differs from the record by more than
 * 代替文字 (J-LIS writes 高 where the record may hold 髙), and not when it is the value a hand resolution replaced
 * while the record still holds what staff wrote then (the long address resolved with a shorter one is not failed
 * again at the next renewal that carries it).
 */
export function differsFromRecord(
  record: Record<(typeof ITEM_COLUMN)[RecordItem], string>,
  item: RecordItem,
  value: string,
  resolutions: readonly Resolution[] = [],
): boolean {
  const same = sameValue(item);
  const current = record[ITEM_COLUMN[item]];
  if (same(current, value)) return false;
  return !resolutions.some((r) => r.item === item && same(r.value, current) && same(r.replaced, value));
}

/**
 * R-HON-2: a 戸籍電子証明書 issued before the one whose 本籍 the record took is stale and never overwrites it. Dates
 * are all a certificate tells; one issued the same day is not older.
 */
export function isStaleHonsekiCertificate(issuedOn: string | null | undefined, latestApplied: string | null | undefined): boolean {
  return !!issuedOn && !!latestApplied && issuedOn < latestApplied;
}
