/**
 * The form text is compared in before 代替文字 are looked up (R-CHAR-1): without variation selectors (an IVS names a
 * glyph of the same character, 葛󠄀 is 葛) and in NFKC (full-width letters and digits, compatibility ideographs such
 * as 神 U+FA19, and the ideographic space become their ordinary forms).
 */
const VARIATION_SELECTOR = /[\uFE00-\uFE0F]|\uDB40[\uDD00-\uDDEF]/g;

export function normalForm(text: string): string {
  return text.replace(VARIATION_SELECTOR, '').normalize('NFKC');
}
