/** `npm run db:migrate`: applies the access log's, the Idempotency-Key registry's and every subgraph's migrations to DATABASE_URL (or DATA_DIR). */
import { config } from '../lib/config.js';
import { openConfiguredSqlClient } from '../lib/db/database.js';
import { migrateAll } from '../lib/stack.js';

const cfg = config();
const client = await openConfiguredSqlClient(cfg);
try {
  await migrateAll(client);
  console.log('db:migrate: up to date');
} finally {
  await client.close();
}
