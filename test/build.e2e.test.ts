import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { headersFor, startTestGraph, type TestGraph } from './support/graph.js';
import { startScript } from '../devkit/processes.js';

const root = new URL('..', import.meta.url).pathname;
// Inside the project, where the compiled modules find node_modules as they do in dist/.
mkdirSync(join(root, '.tmp'), { recursive: true });
const out = mkdtempSync(join(root, '.tmp', 'build-'));
const trusted = JSON.parse(readFileSync(join(root, 'schema/trusted-documents.json'), 'utf8')) as Record<string, string>;
const holderCardId = Object.keys(trusted).find((k) => trusted[k]!.startsWith('query HolderCard('))!;

// The build is the same on either database; it runs once, with the embedded one.
describe.skipIf(process.env.TEST_DB !== 'pglite')('the compiled build (npm run build), as production runs it', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out', out], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    graph = await startTestGraph();
  }, 180_000);
  afterAll(async () => {
    await graph?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('migrates a new database from the copied migrations', () => {
    const dataDir = join(out, 'data');
    const run = spawnSync(process.execPath, [join(out, 'scripts/db-migrate.js')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('db:migrate: up to date');
    expect(existsSync(dataDir)).toBe(true);
  });

  it('serves the HolderCard by its trusted-document id through the compiled production gateway', async () => {
    const gw = await startScript(join(out, 'gateway/main.js'), ['--engine', 'hive', '--production', JSON.stringify(graph.subgraphUrls)]);
    try {
      const res = await fetch(gw.ready.url as string, {
        method: 'POST',
        headers: await headersFor({ role: 'NPA_ADMIN' }),
        body: JSON.stringify({ documentId: `sha256:${holderCardId}`, variables: { id: demoId(1) } }),
      });
      const body = (await res.json()) as { data?: { holder?: { name: string } }; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      expect(body.data?.holder?.name).toBe('山田 太郎');
    } finally {
      await gw.stop();
    }
  });
});
