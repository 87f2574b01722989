import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/platform/audit/tables.ts',
  out: './lib/platform/audit/migrations',
  schemaFilter: ['audit'],
  casing: 'snake_case',
});
