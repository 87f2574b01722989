import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openPglite, openPostgres, type SqlClient } from '../../lib/platform/db/database.js';

export const testDbKind = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/**
 * A fresh, empty database for one test file: an in-memory PGlite, or a new database on the TEST_DATABASE_URL server
 * that is dropped again by `drop`.
 */
export async function freshDatabase(opts: { preparedStatements?: boolean } = {}): Promise<{ client: SqlClient; url?: string; drop(): Promise<void> }> {
  if (testDbKind === 'pglite') {
    const client = await openPglite();
    return { client, drop: () => client.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `renkei_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = await openPostgres(url.toString(), { max: 5, ...opts });
  return {
    client,
    url: url.toString(),
    drop: async () => {
      await client.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
