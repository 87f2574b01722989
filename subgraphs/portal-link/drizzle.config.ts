import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './subgraphs/portal-link/tables.ts',
  out: './subgraphs/portal-link/migrations',
  schemaFilter: ['portal_link'],
  casing: 'snake_case',
});
