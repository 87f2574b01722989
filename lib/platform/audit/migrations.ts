import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';

/** The access log's own migrations (schema `audit`), applied before the subgraphs'. */
export const AUDIT_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/** Grants the runtime role its rights on the access log and on each subgraph's schema; run as the owner. */
export async function grantRuntimeRole(db: Db, role: string, subgraphSchemas: readonly string[]): Promise<void> {
  await db.execute(sql`select audit.grant_runtime(${role}::name, ${`{${subgraphSchemas.join(',')}}`}::name[])`);
}

/**
 * The role serving requests, when it is not the one migrating: DATABASE_RUNTIME_ROLE, else DATABASE_URL's user when
 * DATABASE_OWNER_URL connects as another. Null when one role does both (PGlite, or a single URL).
 */
export function runtimeRole(cfg: Pick<Config, 'DATABASE_URL' | 'DATABASE_OWNER_URL' | 'DATABASE_RUNTIME_ROLE'>): string | null {
  if (cfg.DATABASE_RUNTIME_ROLE) return cfg.DATABASE_RUNTIME_ROLE;
  if (!cfg.DATABASE_URL || !cfg.DATABASE_OWNER_URL) return null;
  const runtime = decodeURIComponent(new URL(cfg.DATABASE_URL).username);
  return runtime && runtime !== decodeURIComponent(new URL(cfg.DATABASE_OWNER_URL).username) ? runtime : null;
}
