import { defineConfig } from 'vitest/config';

/**
 * The suite runs on the embedded database always, and a second time on a real Postgres server when
 * TEST_DATABASE_URL is set (each test file gets a fresh database there).
 */
const postgres = process.env.TEST_DATABASE_URL;
const common = { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, env: { NODE_ENV: 'test' } };
/**
 * Most of a test file's time was loading the graph's modules (a fresh module graph per file), one file at a time:
 * files share their worker's modules instead (each still starts its own graph on its own database), and two workers
 * run at once, which the end-to-end files, waiting on sockets half the time, fill.
 */
const workers = { maxWorkers: Number(process.env.TEST_WORKERS ?? 2), isolate: false };

export default defineConfig({
  // Node gives every package graphql's CommonJS build; the test runner must give our code the same one, or errors
  // and schema objects cross between two copies of graphql and lose their identity ("from another module or realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    ...workers,
    projects: [
      { extends: true as const, test: { ...common, name: 'pglite', env: { ...common.env, TEST_DB: 'pglite' } } },
      ...(postgres ? [{ extends: true as const, test: { ...common, name: 'postgres', env: { ...common.env, TEST_DB: 'postgres' } } }] : []),
    ],
  },
});
