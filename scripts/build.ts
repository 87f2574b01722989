/**
 * `npm run build [-- --out DIR]`: compiles the servers, workers and scripts to JavaScript in `dist/` (same tree) and
 * copies beside them the files they read at run time — the schema, the trusted documents, the migrations — so
 * production runs `node dist/…/main.js` without a TypeScript loader in every process (70–100 MB of memory each).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SUBGRAPHS } from '../schema/subgraphs.js';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = resolve(values.out ?? join(root, 'dist'));
// The output directory is emptied first: never one that holds the sources.
if (`${resolve(root)}/`.startsWith(`${out}/`)) {
  console.error(`build: --out ${out} would hold the project itself; choose a directory of its own`);
  process.exit(2);
}

rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', out], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const assets = ['schema/trusted-documents.json', 'schema/operations', 'lib/platform/audit/migrations', 'lib/platform/idempotency/migrations'];
for (const name of readdirSync(join(root, 'schema'))) if (name.endsWith('.graphql')) assets.push(`schema/${name}`);
for (const s of SUBGRAPHS) assets.push(`subgraphs/${s.name}/migrations`);
for (const path of assets) cpSync(join(root, path), join(out, path), { recursive: true });
console.log(`built ${out}`);
