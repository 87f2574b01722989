import { sql, type SQL } from 'drizzle-orm';

/** Characters an array literal never treats specially: such an element may go unquoted (unless it reads NULL). */
const BARE = /^[\w.:+-]+$/;
const TO_ESCAPE = /["\\]/g;

/**
 * A Postgres array literal (`{a,"b c",NULL}`) of text values: an element of letters, digits and `_.:+-` (ids,
 * hashes, numbers, timestamps) goes as it is, any other is quoted with its `"` and `\` escaped, so every text
 * travels unchanged; null is SQL NULL. Cast at the use site (`::uuid[]`, `::bigint[]`).
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) {
      out += 'NULL';
      continue;
    }
    const s = typeof v === 'string' ? v : String(v);
    if (BARE.test(s) && !(s.length === 4 && s.toUpperCase() === 'NULL')) out += s;
    else out += `"${s.replace(TO_ESCAPE, '\\$&')}"`;
  }
  return `${out}}`;
}

/** Column names (snake_case) and their Postgres types: this code's constants, never input. */
export type ArrayColumns<K extends string> = Readonly<Record<K, string>>;

/**
 * Many rows as one text parameter per column, unnested side by side into a record set of the given types. For
 * hundreds of rows Postgres reads parallel arrays in half the time it takes to read them as one JSON document
 * (500 access records: 6.7 against 14.4 ms as a prepared statement), as there is no document to build and walk.
 */
export function arrayRecordset<K extends string>(
  rows: readonly Readonly<Record<K, string | number | null>>[],
  columns: ArrayColumns<K>,
  alias: string,
  opts: { ordinality?: string } = {},
): SQL {
  const names = Object.keys(columns) as K[];
  const arrays = names.map((name) => sql`${arrayLiteral(rows.map((r) => r[name]))}::text::${sql.raw(columns[name])}[]`);
  const as = [...names, ...(opts.ordinality ? [opts.ordinality] : [])].join(', ');
  return sql`unnest(${sql.join(arrays, sql`, `)})${sql.raw(opts.ordinality ? ' with ordinality' : '')} as ${sql.raw(alias)}(${sql.raw(as)})`;
}
