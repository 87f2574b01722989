/**
 * `npm run bench [-- holder-card gateway-alone batch multi-core jlis-ingest soak]`: the benchmarks of the graph, every piece
 * in a process of its own, on Postgres when DATABASE_URL is set (a fresh database created on that server and dropped after),
 * the embedded database otherwise. Each benchmark prints a Markdown table and one JSON line for comparing runs.
 * Every process runs compiled (`npm run build` first, as production runs it); BENCH_TSX=1 runs the TypeScript instead.
 * On Postgres every process runs as deployed, NODE_ENV=production with keys made for the run
 * (devkit/production.ts); the embedded database, which production refuses, runs under NODE_ENV=test.
 * BENCH_BULK_HOLDERS (bulk holders seeded; default 500, the J-LIS line count with jlis-ingest, 100,000 with soak),
 * BENCH_DURATION (seconds per engine, default 10), BENCH_WARMUP (seconds of load per engine before measuring, default 10), BENCH_CONNECTIONS (default 10), BENCH_JLIS_LINES (default
 * 100,000 on Postgres, 10,000 embedded), BENCH_CPU_PROF=DIR (V8 CPU profiles of every process), BENCH_PRODUCTION=0
 * (NODE_ENV=test on Postgres too, to compare with runs made that way).
 * `soak` (bench/soak.ts) runs only when named: BENCH_SOAK_SECONDS (default 600) of mixed load on Postgres only, then
 * checks that nothing was lost; it exits non-zero when a check fails. BENCH_SOAK_HOLDERS (300), BENCH_SOAK_RPS (the
 * rate instead of 70 % of the measured maximum), BENCH_SOAK_SEED (1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setMaxListeners } from 'node:events';
import { batchBench } from './batch.js';
import { gatewayAloneBench } from './gateway-alone.js';
import { CARD_HOLDERS, holderCardBench } from './holder-card.js';
import { jlisIngestBench } from './jlis-ingest.js';
import { multiCoreBench } from './multi-core.js';
import { SOAK_BULK_HOLDERS, soakBench } from './soak.js';
import { trustSoakCa } from './soak/certificates.js';
import { benchDatabase } from '../devkit/data.js';
import { jlisFeedKeyFiles, productionSettings } from '../devkit/production.js';
import { stopAll } from '../devkit/processes.js';
import { machine } from './support/report.js';
import { startBenchSubgraphs, startOurGateway } from './support/stack.js';

const ALL = ['holder-card', 'gateway-alone', 'batch', 'multi-core', 'jlis-ingest'] as const;
/** Run only when named: minutes long, and a pass or fail rather than a figure to compare. */
const NAMED_ONLY = ['soak'] as const;
const known: readonly string[] = [...ALL, ...NAMED_ONLY];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = chosen.filter((c) => !known.includes(c));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${known.join(', ')}`);
  process.exit(2);
}
const run = new Set<string>(chosen.length > 0 ? chosen : ALL);
const seconds = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const serverUrl = process.env.DATABASE_URL;
const jlisLines = Number(process.env.BENCH_JLIS_LINES ?? (serverUrl ? 100_000 : 10_000));
if (run.has('soak') && !serverUrl) {
  // Its checks read the subgraphs' tables while they run, which the embedded database allows its one process only.
  console.error('the soak runs on Postgres only: DATABASE_URL=postgres://… npm run bench -- soak');
  process.exit(2);
}
setMaxListeners(connections * 8);

async function main() {
  if (process.env.BENCH_TSX !== '1' && spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) {
    throw new Error('npm run build failed');
  }
  const db = await benchDatabase(serverUrl);
  const keysDir = mkdtempSync(join(tmpdir(), 'renkei-bench-'));
  const production = db.kind === 'postgres' && process.env.BENCH_PRODUCTION !== '0' ? await productionSettings(keysDir) : null;
  // Every process started from here inherits the run's environment.
  Object.assign(process.env, production?.env ?? { NODE_ENV: 'test', ...jlisFeedKeyFiles(keysDir) });
  try {
    const bulk = Number(
      process.env.BENCH_BULK_HOLDERS ?? Math.max(CARD_HOLDERS, run.has('jlis-ingest') ? jlisLines : 0, run.has('soak') ? SOAK_BULK_HOLDERS : 0),
    );
    console.log(
      `Renkei benchmarks — ${machine()}, database ${db.kind}, NODE_ENV=${process.env.NODE_ENV}${bulk ? `, ${bulk.toLocaleString('en-US')} bulk holders` : ''}`,
    );
    // Before any process starts: the soak's CA joins the trust anchors they read.
    const soakCa = run.has('soak') ? await trustSoakCa(keysDir) : null;
    const subgraphs = await startBenchSubgraphs(db, bulk);
    const ours = await startOurGateway(subgraphs, { port: subgraphs.gatewayPort });
    if (run.has('holder-card')) await holderCardBench(subgraphs, { connections, seconds }, ours.ready);
    if (run.has('gateway-alone')) await gatewayAloneBench(subgraphs, { seconds });
    if (run.has('batch')) await batchBench(subgraphs, ours.ready, seconds);
    if (run.has('multi-core')) await multiCoreBench(subgraphs, { connections, seconds });
    // Last: it changes the data the others read.
    if (run.has('jlis-ingest')) await jlisIngestBench(subgraphs, { holders: bulk, lines: jlisLines, databaseUrl: db.url });
    // Last of all: it runs for minutes on holders of its own.
    if (soakCa) {
      const soak = { seconds: Number(process.env.BENCH_SOAK_SECONDS ?? 600), holders: Number(process.env.BENCH_SOAK_HOLDERS ?? 300) };
      if (!(await soakBench(subgraphs, ours.ready, { ...soak, connections, ca: soakCa }))) process.exitCode = 1;
    }
  } finally {
    await stopAll();
    await db.drop();
    production?.close();
    rmSync(keysDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
