import { sameName, sameText } from '../../../lib/characters/names.js';
import { isValidIsoDate } from '../../../lib/japan-date.js';
import { firstUnrepresentable } from '../../../lib/jis-x-0208.js';

export type RecordItem = 'HONSEKI' | 'ADDRESS' | 'NAME' | 'BIRTH_DATE';

/** Why an import cannot be written into the record (R-IMP-1); staff resolve it by hand (R-IMP-2). */
export type ImportFailure = 'ADDRESS_TOO_LONG' | 'CHARACTER_NOT_IN_JIS_X_0208' | 'INVALID_BIRTH_DATE' | 'EMPTY_VALUE';

/** R-IMP-1: a value the record can hold, or the reason it cannot. */
export function importFailure(item: RecordItem, value: string, limits: { maxAddressLength: number }): ImportFailure | null {
  if (value.trim().length === 0) return 'EMPTY_VALUE';
  if (item === 'BIRTH_DATE') return isValidIsoDate(value) ? null : 'INVALID_BIRTH_DATE';
  if (item === 'ADDRESS' && [...value].length > limits.maxAddressLength) return 'ADDRESS_TOO_LONG';
  if (firstUnrepresentable(value) !== null) return 'CHARACTER_NOT_IN_JIS_X_0208';
  return null;
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
