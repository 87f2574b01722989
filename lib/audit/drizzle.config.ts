import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/audit/tables.ts',
  out: './lib/audit/migrations',
  schemaFilter: ['audit'],
  casing: 'snake_case',
});
