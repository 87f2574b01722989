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

/** R-ONE-5: an import is scheduled only for an item whose value differs from the record. */
export function differsFromRecord(record: Record<(typeof ITEM_COLUMN)[RecordItem], string>, item: RecordItem, value: string): boolean {
  return record[ITEM_COLUMN[item]] !== value;
}
