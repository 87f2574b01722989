import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../lib/platform/db/database.js';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { arrayLiteral, arrayRecordset, inArrayList } from '../lib/platform/db/array-rows.js';
import { freshDatabase } from './support/database.js';

// Text an array literal would misread unless quoted and escaped, and the bare kinds (ids, numbers, timestamps) that
// go unquoted — among them spellings of NULL, which must stay text.
const AWKWARD = [
  'plain',
  '',
  'NULL',
  'null',
  'NuLl',
  'NULLS',
  ' spaced ',
  'a,b',
  '{braces}',
  'say "hi"',
  'back\\slash',
  '\\"',
  '改行\nタブ\t',
  '東京都千代田区',
  '-1',
  '2026-11-29T00:00:00.000Z',
  'a.b:c+d-e_f',
  '0e8400ab-e29b-41d4-a716-446655440000',
];

describe('rows as parallel arrays read back exactly (the access log writes through them)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => db?.drop());

  it('text of any content, NULL and numbers come back as they went in, in order', async () => {
    const rows = AWKWARD.map((text, i) => ({ text, maybe: i % 3 === 0 ? null : text, n: i * 1_000_000_007 }));
    const got = await executeRows<{ text: string; maybe: string | null; n: string; position: string }>(
      db.client.drizzle(),
      sql`select r.text, r.maybe, r.n::text as n, r.position::text as position from ${arrayRecordset(rows, { text: 'text', maybe: 'text', n: 'bigint' }, 'r', { ordinality: 'position' })} order by r.position`,
    );
    expect(got.map((r) => r.text)).toEqual(AWKWARD);
    expect(got.map((r) => r.maybe)).toEqual(rows.map((r) => r.maybe));
    expect(got.map((r) => r.n)).toEqual(rows.map((r) => String(r.n)));
    expect(got.map((r) => r.position)).toEqual(rows.map((_, i) => String(i + 1)));
  });

  it('an array literal nested as an element casts back to the array it was', async () => {
    const sets = [AWKWARD, [], ['one']];
    const got = await executeRows<{ items: string[] }>(
      db.client.drizzle(),
      sql`select r.items::text[] as items from ${arrayRecordset(
        sets.map((s) => ({ items: arrayLiteral(s) })),
        { items: 'text' },
        'r',
        { ordinality: 'position' },
      )} order by r.position`,
    );
    expect(got.map((r) => r.items)).toEqual(sets);
  });

  it('an id list probes the index of a young table (no statistics yet) rather than comparing every row with every id', async () => {
    // The J-LIS ledger early in its first import: a few thousand rows, never analysed, asked for 1,000 ids a batch.
    // Handed the array itself, the planner chose a sequential scan here, comparing each row with the ids one by one.
    const ledger = pgTable('young_ledger', { id: text('id').primaryKey() });
    const drizzle = db.client.drizzle();
    await drizzle.execute(
      sql`create table young_ledger (id text primary key, kind text not null, filed_on date not null, outcome text not null, received_at timestamptz not null)`,
    );
    await drizzle.execute(
      sql`insert into young_ledger select 'J-' || lpad(g::text, 8, '0'), 'CERTIFICATE_RENEWED', date '2026-11-29', 'SCHEDULED', now() from generate_series(1, 4000) g`,
    );
    const ids = Array.from({ length: 1000 }, (_, i) => `J-${String(3500 + i).padStart(8, '0')}`);
    const plan = await executeRows<Record<string, string>>(drizzle, sql`explain select id from ${ledger} where ${inArrayList(ledger.id, ids)}`);
    const shown = plan.map((r) => Object.values(r)[0]).join('\n');
    expect(shown).toMatch(/Index/);
    expect(shown).not.toMatch(/Seq Scan on young_ledger/);
    const found = await drizzle.select().from(ledger).where(inArrayList(ledger.id, ids));
    expect(found).toHaveLength(501);
  });

  it('no rows is an empty record set', async () => {
    const got = await executeRows(db.client.drizzle(), sql`select * from ${arrayRecordset([] as { a: string }[], { a: 'text' }, 'r')}`);
    expect(got).toEqual([]);
  });
});
