/**
 * The characters the driver record can hold: JIS X 0208 (rows 1–8 and 16–84, 6,879 characters) and the JIS X 0201
 * Roman set (printable ASCII). Built from the WHATWG EUC-JP decoder's JIS X 0208 table, plus the standard code
 * points for the seven characters that table maps to their Windows forms (〜 − ‖ ¢ £ ¬ —), since both appear in
 * real data.
 */
const chars = new Set<string>();
const decoder = new TextDecoder('euc-jp');
for (let row = 1; row <= 84; row++) {
  if (row > 8 && row < 16) continue;
  for (let cell = 1; cell <= 94; cell++) {
    const c = decoder.decode(Uint8Array.of(0xa0 + row, 0xa0 + cell));
    if (c !== '\ufffd') chars.add(c);
  }
}
for (const c of ['\u301c', '\u2212', '\u2016', '\u00a2', '\u00a3', '\u00ac', '\u2014']) chars.add(c);
for (let code = 0x20; code <= 0x7e; code++) chars.add(String.fromCharCode(code));

export const JIS_X_0208_SIZE = chars.size;

/**
 * The first character of `value` the record cannot hold, or null when it holds them all. `alsoHeld` widens the set
 * for entries made by hand, which may register external characters (外字).
 */
export function firstUnrepresentable(value: string, alsoHeld?: (c: string) => boolean): string | null {
  for (const c of value) if (!chars.has(c) && !alsoHeld?.(c)) return c;
  return null;
}
