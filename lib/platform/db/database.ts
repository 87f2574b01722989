import { PGlite } from '@electric-sql/pglite';
import type { Logger, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Config } from '../config.js';
import { preparingStatements } from './prepared-statements.js';

/** A drizzle handle or a transaction on it: repositories take either, so handlers decide where transactions start. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: one handle type for PGlite and postgres.js, whose schema types differ
export type Db = PgDatabase<PgQueryResultHKT, any>;

/**
 * One SQL connection (an embedded PGlite or a postgres.js pool) shared by the subgraphs of one process. Each
 * subgraph still owns its own Postgres schema, tables and migrations.
 */
export interface SqlClient {
  readonly kind: 'pglite' | 'postgres';
  /** A drizzle handle whose statements are counted in `counter` (tests and benchmarks read it). */
  drizzle(counter?: QueryCounter): Db;
  migrate(db: Db, opts: { folder: string; schema: string }): Promise<void>;
  close(): Promise<void>;
}

/** The rows of a raw statement: postgres.js answers an array, PGlite an object holding one. */
export async function executeRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Counts the statements a drizzle handle sends: the batching tests compare these counts. */
export class QueryCounter implements Logger {
  count = 0;
  logQuery(): void {
    this.count++;
  }
  reset(): number {
    const n = this.count;
    this.count = 0;
    return n;
  }
}

/**
 * Each subgraph's migration journal lives in the shared `drizzle` schema under its own table, because the first
 * migration of a subgraph creates that subgraph's schema itself.
 */
const journal = (schema: string) => ({ migrationsSchema: 'drizzle', migrationsTable: `${schema}_migrations` });

export async function openPglite(dataDir?: string): Promise<SqlClient> {
  const client = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  return {
    kind: 'pglite',
    drizzle: (counter) => drizzlePglite(client, counter ? { logger: counter } : {}) as unknown as Db,
    migrate: (db, { folder, schema }) => migratePglite(db as never, { migrationsFolder: folder, ...journal(schema) }),
    close: () => client.close(),
  };
}

export async function openPostgres(url: string, opts: { max?: number; preparedStatements?: boolean } = {}): Promise<SqlClient> {
  const pool = postgres(url, {
    max: opts.max ?? 10,
    // While the server is down a request should fail in seconds, well inside the gateway's subgraph timeout, not
    // hang for the driver's default 30 s; the pool reconnects by itself once the server is back.
    connect_timeout: 5,
    onnotice: () => {},
  });
  const sql = opts.preparedStatements === false ? pool : preparingStatements(pool);
  await sql`select 1`;
  return {
    kind: 'postgres',
    drizzle: (counter) => drizzlePostgres(sql, counter ? { logger: counter } : {}) as unknown as Db,
    migrate: async (db, { folder, schema }) => {
      // Several processes may start at once on one server; the advisory lock, held by one reserved session for the
      // whole migration, makes migration a one-at-a-time step.
      const reserved = await sql.reserve();
      try {
        await reserved`select pg_advisory_lock(hashtext(${`renkei-migrate:${schema}`}))`;
        await migratePostgres(drizzlePostgres(sql), {
          migrationsFolder: folder,
          ...journal(schema),
        });
      } finally {
        await reserved`select pg_advisory_unlock(hashtext(${`renkei-migrate:${schema}`}))`.catch(() => {});
        reserved.release();
      }
      void db;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** Postgres when a URL is given, otherwise the embedded database in `dataDir` (in memory when undefined). */
export function openSqlClient(opts: { databaseUrl?: string; dataDir?: string; preparedStatements?: boolean }): Promise<SqlClient> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, { preparedStatements: opts.preparedStatements }) : openPglite(opts.dataDir);
}

/** The database the configuration names: DATABASE_URL's server, or the embedded one in DATA_DIR. */
export function openConfiguredSqlClient(cfg: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_PREPARED_STATEMENTS'>): Promise<SqlClient> {
  return openSqlClient({
    databaseUrl: cfg.DATABASE_URL,
    dataDir: cfg.DATABASE_URL ? undefined : cfg.DATA_DIR,
    preparedStatements: cfg.DATABASE_PREPARED_STATEMENTS,
  });
}

/** The connection migrations run on: DATABASE_OWNER_URL's role, which owns the schemas, else the configured one. */
export function openMigratingSqlClient(
  cfg: Pick<Config, 'DATABASE_URL' | 'DATABASE_OWNER_URL' | 'DATA_DIR' | 'DATABASE_PREPARED_STATEMENTS'>,
): Promise<SqlClient> {
  return cfg.DATABASE_OWNER_URL && cfg.DATABASE_URL
    ? openPostgres(cfg.DATABASE_OWNER_URL, { max: 1, preparedStatements: false })
    : openConfiguredSqlClient(cfg);
}
