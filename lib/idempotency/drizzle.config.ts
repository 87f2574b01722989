import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/idempotency/tables.ts',
  out: './lib/idempotency/migrations',
  schemaFilter: ['idempotency'],
  casing: 'snake_case',
});
