import { sql, type SQL } from 'drizzle-orm';

/**
 * A Postgres array literal (`{"a","b",NULL}`) of text values, every element quoted and its `"` and `\` escaped, so
 * any text travels unchanged; null is SQL NULL. Cast at the use site (`::uuid[]`, `::bigint[]`).
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += v === null || v === undefined ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`;
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
