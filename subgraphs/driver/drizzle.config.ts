import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './subgraphs/driver/tables.ts',
  out: './subgraphs/driver/migrations',
  schemaFilter: ['driver'],
  casing: 'snake_case',
});
