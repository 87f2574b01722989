import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './subgraphs/consent/tables.ts',
  out: './subgraphs/consent/migrations',
  schemaFilter: ['consent'],
  casing: 'snake_case',
});
