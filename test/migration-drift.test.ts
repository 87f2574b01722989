import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The committed migrations are what drizzle-kit makes from the tables now: a table changed without `npm run
 * db:generate` would reach no database. drizzle-kit generates into a copy of each migrations folder; it must find
 * nothing to add.
 */
const root = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);
const SCHEMAS = [
  ['lib/platform/audit', 'audit'],
  ['lib/platform/idempotency', 'idempotency'],
  ['subgraphs/driver', 'driver'],
  ['subgraphs/consent', 'consent'],
  ['subgraphs/portal-link', 'portal_link'],
] as const;

describe('migrations are committed as drizzle-kit makes them', () => {
  it.each(SCHEMAS)(
    '%s: generating from tables.ts adds no migration',
    async (dir, schema) => {
      // Inside the project: drizzle-kit takes its folders relative to where it runs.
      mkdirSync(join(root, '.tmp'), { recursive: true });
      const work = mkdtempSync(join(root, '.tmp', 'drift-'));
      const rel = (p: string) => `./${relative(root, p)}`;
      try {
        cpSync(join(root, dir, 'migrations'), join(work, 'migrations'), { recursive: true });
        const before = readdirSync(join(work, 'migrations')).sort();
        const config = join(work, 'drizzle.config.ts');
        writeFileSync(
          config,
          `export default ${JSON.stringify({ dialect: 'postgresql', schema: `./${dir}/tables.ts`, out: rel(join(work, 'migrations')), schemaFilter: [schema], casing: 'snake_case' })};\n`,
        );
        const { stdout, stderr } = await run(join(root, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', rel(config)], { cwd: root });
        // drizzle-kit reports some failures on its output and exits 0: the answer must be the one that means no drift.
        expect(`${stdout}${stderr}`, `${dir}: ${stdout}${stderr}`).toContain('No schema changes');
        const after = readdirSync(join(work, 'migrations')).sort();
        const added = after.filter((f) => !before.includes(f));
        expect(
          added,
          `${dir}: ${stdout.trim().split('\n').at(-1)}${added.map((f) => `\n${readFileSync(join(work, 'migrations', f), 'utf8')}`).join('')}`,
        ).toEqual([]);
        expect(readFileSync(join(work, 'migrations/meta/_journal.json'), 'utf8')).toBe(readFileSync(join(root, dir, 'migrations/meta/_journal.json'), 'utf8'));
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
