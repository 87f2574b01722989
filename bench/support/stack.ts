import { openPostgres } from '../../lib/platform/db/database.js';
import { SUBGRAPHS } from '../../schema/subgraphs.js';
import { prepareBenchData, type BenchDatabase } from '../../devkit/data.js';
import { freePort, startNode } from '../../devkit/processes.js';

export interface BenchSubgraphs {
  urls: Record<string, string>;
  /** Process id serving each subgraph (the same one for all three on the embedded database). */
  pids: Record<string, number>;
  database: 'postgres' | 'pglite';
  /** The benchmark's own database on Postgres (its backends' CPU is read through it); undefined when embedded. */
  databaseUrl?: string;
  /** SQL statements each subgraph sent since the last call. */
  statements(): Promise<Record<string, number>>;
  gatewayPort: number;
  gatewayUrl: string;
}

interface SubgraphsReady {
  ready: true;
  urls: Record<string, string>;
  control: string;
}

/**
 * The subgraphs for a benchmark run, each in a process of its own on Postgres (migrated and seeded from here first),
 * all three in one process on the embedded database, which one process alone can open. The gateway's port is fixed
 * beforehand because the subgraphs call back through it for nested steps (J-LIS ingest).
 */
export async function startBenchSubgraphs(db: BenchDatabase, bulk: number): Promise<BenchSubgraphs> {
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  const env = { GATEWAY_URL: gatewayUrl, ...(db.url ? { DATABASE_URL: db.url } : { BENCH_DATA_DIR: db.dataDir! }) };
  const started: { pid: number; ready: SubgraphsReady }[] = [];
  if (db.kind === 'postgres') {
    const client = await openPostgres(db.url!);
    await prepareBenchData(client, bulk);
    await client.close();
    for (const s of SUBGRAPHS) {
      const p = await startNode<SubgraphsReady>('bench/serve-subgraphs.ts', ['--names', s.name], env);
      started.push({ pid: p.child.pid!, ready: p.ready });
    }
  } else {
    const p = await startNode<SubgraphsReady>('bench/serve-subgraphs.ts', ['--prepare', '--bulk', String(bulk)], env);
    started.push({ pid: p.child.pid!, ready: p.ready });
  }
  const urls: Record<string, string> = {};
  const pids: Record<string, number> = {};
  for (const s of started) {
    for (const [name, url] of Object.entries(s.ready.urls)) {
      urls[name] = url;
      pids[name] = s.pid;
    }
  }
  return {
    urls,
    pids,
    database: db.kind,
    databaseUrl: db.url,
    gatewayPort,
    gatewayUrl,
    statements: async () => {
      const counts = await Promise.all(started.map(async (s) => (await fetch(s.ready.control, { method: 'POST' })).json() as Promise<Record<string, number>>));
      return Object.assign({}, ...counts);
    },
  };
}

export interface GatewayReady {
  ready: true;
  url: string;
  pids: number[];
}

/** Our gateway as `npm start`'s production shape runs it: its own process(es), every protection on. */
export function startOurGateway(subgraphs: BenchSubgraphs, opts: { port?: number; workers?: number } = {}) {
  return startNode<GatewayReady>('gateway/main.ts', ['--engine', 'hive', '--port', String(opts.port ?? 0), JSON.stringify(subgraphs.urls)], {
    GATEWAY_WORKERS: String(opts.workers ?? 1),
  });
}
