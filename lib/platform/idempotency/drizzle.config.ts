import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/platform/idempotency/tables.ts',
  out: './lib/platform/idempotency/migrations',
  schemaFilter: ['idempotency'],
  casing: 'snake_case',
});
