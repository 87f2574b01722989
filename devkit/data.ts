import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { SqlClient } from '../lib/platform/db/database.js';
import { migrateAll, seedDemo } from './stack.js';
import { SUBGRAPHS } from '../schema/subgraphs.js';
import { insertBulkHolders } from '../seeds/bulk-holders.js';

/** Demo holders, then `bulk` holders with M1, M2 and an ADDRESS consent each (the J-LIS and batch benchmarks). */
export async function prepareBenchData(client: SqlClient, bulk: number): Promise<void> {
  await migrateAll(client);
  await seedDemo(client);
  const db = client.drizzle();
  if (bulk > 0) await insertBulkHolders({ dbs: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, db])) as never }, bulk);
  // A database in service has its statistics; without them the first benchmark would measure the planner's guesses
  // about freshly loaded tables and autovacuum catching up beside it.
  await client.drizzle().execute(sql`vacuum analyze`);
}

export interface BenchDatabase {
  kind: 'postgres' | 'pglite';
  /** For Postgres: a database of its own on the DATABASE_URL server, dropped by `drop`. */
  url?: string;
  /** For PGlite: the directory the one subgraph process opens. */
  dataDir?: string;
  drop(): Promise<void>;
}

/** A new, empty database for one benchmark run, so every run starts from the same state. */
export async function benchDatabase(serverUrl: string | undefined): Promise<BenchDatabase> {
  if (!serverUrl) return { kind: 'pglite', dataDir: mkdtempSync(join(tmpdir(), 'renkei-bench-')), drop: async () => {} };
  const name = `renkei_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
