import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const GENERATED = [
  'subgraphs/driver/generated/resolvers-types.ts',
  'subgraphs/consent/generated/resolvers-types.ts',
  'subgraphs/portal-link/generated/resolvers-types.ts',
  'packages/client/src/operations.ts',
];

describe('generated files are committed as the generators make them', () => {
  it('schema/supergraph.graphql and schema/api.graphql equal a fresh composition (errors and hints fail it)', () => {
    // In its own process: @apollo/composition loads graphql's CommonJS build, the test runner its ESM build.
    const run = () => execFileSync(join(root, 'node_modules/.bin/tsx'), ['scripts/compose.ts', '--check'], { cwd: root, stdio: 'pipe' });
    expect(run).not.toThrow();
  }, 60_000);

  it('schema/trusted-documents.json lists every operation as the generated documents print it', () => {
    const run = () => execFileSync(join(root, 'node_modules/.bin/tsx'), ['scripts/trusted-documents.ts', '--check'], { cwd: root, stdio: 'pipe' });
    expect(run).not.toThrow();
  }, 60_000);

  it('codegen output equals what GraphQL Code Generator makes now', () => {
    const work = mkdtempSync(join(tmpdir(), 'renkei-codegen-'));
    try {
      for (const dir of ['schema', 'subgraphs', 'lib', 'packages/client/src']) cpSync(join(root, dir), join(work, dir), { recursive: true });
      cpSync(join(root, 'codegen.ts'), join(work, 'codegen.ts'));
      for (const f of GENERATED) rmSync(join(work, f));
      execFileSync(join(root, 'node_modules/.bin/graphql-codegen'), ['--config', 'codegen.ts', '--silent'], {
        cwd: work,
        env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
        stdio: 'pipe',
      });
      for (const f of GENERATED) expect(readFileSync(join(work, f), 'utf8'), f).toBe(readFileSync(join(root, f), 'utf8'));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
