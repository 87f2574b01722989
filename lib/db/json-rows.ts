import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

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

/**
 * `column = any(values)` with the values as one JSON parameter, cast to the column's own type. drizzle's `inArray`
 * binds each value on its own and takes some 2 ms to build a statement of 500 ids, longer than Postgres runs it.
 * As `= any(array(…))` rather than `in (select …)`: the planner then probes the column's index for the few values
 * a request carries, where the join it plans for a subquery read every row of a 100,000-holder table whose
 * statistics were not yet gathered (HolderCard 55 → 32 ms).
 */
export function inJsonList(column: PgColumn, values: readonly string[]): SQL {
  return sql`${column} = any(array(select value::${sql.raw(column.getSQLType())} from jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)))`;
}
