import { eq, inArray, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows, type Db } from '../lib/platform/db/database.js';
import { MAX_PREPARED_PARAMETERS } from '../lib/platform/db/prepared-statements.js';
import { freshDatabase, testDbKind } from './support/database.js';

const things = pgTable('things', { id: integer('id').primaryKey(), label: text('label').notNull() });
const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * The statements on `things` this connection holds prepared (postgres.js prepares its own type look-ups too); read
 * inside a transaction, so on the connection that ran them.
 */
const preparedOnThisConnection = async (tx: Db) =>
  (await executeRows<{ statement: string }>(tx, sql`select statement from pg_prepared_statements where statement like '%"things"%'`)).map((r) => r.statement);

async function runStatements(db: Db) {
  return db.transaction(async (tx) => {
    await tx.insert(things).values({ id: 1, label: 'one' }).onConflictDoNothing();
    const one = await tx.select().from(things).where(eq(things.id, 1));
    const many = await tx
      .select()
      .from(things)
      .where(inArray(things.id, ids(MAX_PREPARED_PARAMETERS + 1)));
    const nested = await tx.transaction(async (sp) => sp.select().from(things).where(eq(things.label, 'one')));
    return { one, many, nested, prepared: await preparedOnThisConnection(tx) };
  });
}

// postgres.js only: PGlite has no connections to keep statements on.
describe.skipIf(testDbKind !== 'postgres')('prepared statements on Postgres', () => {
  let on: Awaited<ReturnType<typeof freshDatabase>>;
  let off: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    on = await freshDatabase();
    off = await freshDatabase({ preparedStatements: false });
    for (const d of [on, off]) await d.client.drizzle().execute(sql`create table things (id integer primary key, label text not null)`);
  });
  afterAll(async () => {
    await on?.drop();
    await off?.drop();
  });

  it('prepares drizzle statements with parameters, in transactions and savepoints too, and answers as before', async () => {
    const r = await runStatements(on.client.drizzle());
    expect(r.one).toEqual([{ id: 1, label: 'one' }]);
    expect(r.many).toEqual([{ id: 1, label: 'one' }]);
    expect(r.nested).toEqual([{ id: 1, label: 'one' }]);
    expect(r.prepared.some((s) => s.startsWith('insert into "things"'))).toBe(true);
    expect(r.prepared.some((s) => /where "things"\."id" = \$1$/.test(s))).toBe(true);
    // The statement inside the savepoint went through the savepoint's own handle.
    expect(r.prepared.some((s) => /where "things"\."label" = \$1$/.test(s))).toBe(true);
  });

  it('leaves a statement with more parameters than the bound unprepared, so lists bound value by value do not pile up', async () => {
    const r = await runStatements(on.client.drizzle());
    expect(r.prepared.some((s) => s.includes(`$${MAX_PREPARED_PARAMETERS + 1}`))).toBe(false);
  });

  it('prepares nothing with DATABASE_PREPARED_STATEMENTS=false (for poolers that cannot keep them)', async () => {
    const r = await runStatements(off.client.drizzle());
    expect(r.one).toEqual([{ id: 1, label: 'one' }]);
    expect(r.prepared).toEqual([]);
  });
});
