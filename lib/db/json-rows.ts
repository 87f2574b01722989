import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/** Column names (snake_case, as in the table) and their Postgres types: this code's constants, never input. */
export type JsonColumns = Readonly<Record<string, string>>;

/**
 * Many rows as one statement parameter: they travel as one JSON value (dates as ISO strings, absent keys as null)
 * and Postgres reads them back as a record set of the given column types. Bound one by one, a few hundred rows of
 * a dozen columns cost drizzle longer to build than Postgres to run.
 */
export function jsonRecordset(rows: readonly Record<string, unknown>[], columns: JsonColumns, alias = 'r'): SQL {
  const definition = Object.entries(columns).map(([name, type]) => `${name} ${type}`).join(', ');
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as ${sql.raw(alias)}(${sql.raw(definition)})`;
}

/** `insert into TABLE (columns) select columns from` the rows; the caller adds ON CONFLICT or RETURNING. */
export function insertJsonRows(table: PgTable, rows: readonly Record<string, unknown>[], columns: JsonColumns): SQL {
  const names = sql.raw(Object.keys(columns).join(', '));
  return sql`insert into ${table} (${names}) select ${names} from ${jsonRecordset(rows, columns)}`;
}
