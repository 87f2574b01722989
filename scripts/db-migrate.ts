/**
 * `npm run db:migrate`: applies the access log's, the Idempotency-Key registry's and every subgraph's migrations as
 * the owner role (DATABASE_OWNER_URL, else DATABASE_URL, else DATA_DIR), then grants the runtime role what serving
 * needs.
 */
import { config } from '../lib/platform/config.js';
import { runtimeRole } from '../lib/platform/audit/migrations.js';
import { openMigratingSqlClient } from '../lib/platform/db/database.js';
import { migrateAll } from '../devkit/stack.js';

const cfg = config();
const client = await openMigratingSqlClient(cfg);
try {
  const role = runtimeRole(cfg);
  await migrateAll(client, { runtimeRole: role });
  console.log(role ? `db:migrate: up to date; runtime role ${role} granted its rights` : 'db:migrate: up to date');
} finally {
  await client.close();
}
