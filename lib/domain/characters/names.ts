import { ALTERNATE_PAIRS } from './alternate-table.js';
import { normalForm } from './normal-form.js';

/**
 * R-CHAR-1: JPKI certificates and J-LIS information carry 代替文字 where the resident record's character is outside
 * JIS X 0208 (髙 → 高, 﨑 → 崎, 𠮷 → 吉), while the driver record may hold the original. Text is compared through the
 * generated table of characters and the representative they compare as (lib/domain/characters/alternate-table.ts, from
 * IPA's MJ縮退マップ; scripts/alternate-characters.ts says how it is made), after normalForm.
 */
const REPRESENTATIVE = new Map<string, string>();
for (const line of ALTERNATE_PAIRS) {
  const chars = [...line];
  for (let i = 0; i + 1 < chars.length; i += 2) REPRESENTATIVE.set(chars[i]!, chars[i + 1]!);
}

/**
 * Whether the table knows `c` as a character written with a 代替文字 elsewhere: a character of the resident records
 * (MJ) that the driver record holds as an external character (外字) when staff register it by hand (R-CHAR-1).
 */
export const hasAlternate = (c: string): boolean => REPRESENTATIVE.has(c);

/** `text` with every character replaced by the representative of its class: equal folds mean "the same but for 代替文字". */
export function foldText(text: string): string {
  let out = '';
  for (const c of normalForm(text)) out += REPRESENTATIVE.get(c) ?? c;
  return out;
}

/** A person's name folded as names are compared: 代替文字 aside, and spaces and their widths ignored. */
export function foldName(name: string): string {
  return foldText(name).replace(/\s+/g, '');
}

/** The same name but for 代替文字, variation selectors, width and spacing (R-CHAR-1). */
export function sameName(a: string, b: string): boolean {
  return foldName(a) === foldName(b);
}

/** The same text (an address, a 本籍) but for 代替文字, variation selectors and width. */
export function sameText(a: string, b: string): boolean {
  return foldText(a) === foldText(b);
}
