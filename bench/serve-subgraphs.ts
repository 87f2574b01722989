/**
 * Benchmark helper process: `tsx bench/serve-subgraphs.ts [--names driver,consent] [--prepare] [--bulk N]` serves the
 * named subgraphs on DATABASE_URL (or the embedded database in BENCH_DATA_DIR, which only one process can open, so
 * there all three share this process). `--prepare` migrates and seeds first. A control route reports how many SQL
 * statements each subgraph has sent. Prints one JSON line `{ready, urls, control, database}` when listening.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { loadTrustStore } from '../lib/domain/certificates/trust-config.js';
import { loadJlisFeedKeys } from '../lib/domain/certificates/jlis-feed.js';
import { clockFromConfig } from '../lib/platform/clock.js';
import { parseConfig } from '../lib/platform/config.js';
import { openSqlClient, QueryCounter } from '../lib/platform/db/database.js';
import { createGraphClient, sendsTrustedDocuments } from '../lib/platform/graph-client.js';
import { subgraphDeps } from '../lib/platform/subgraph-deps.js';
import { startSubgraph, type RunningService } from '../lib/platform/subgraph-server.js';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs/index.js';
import { prepareBenchData } from '../devkit/data.js';

const { values } = parseArgs({
  options: {
    names: { type: 'string', default: SUBGRAPH_DEFINITIONS.map((d) => d.name).join(',') },
    prepare: { type: 'boolean', default: false },
    bulk: { type: 'string', default: '0' },
  },
});
const cfg = parseConfig({ NODE_ENV: 'test', ...process.env });
const client = await openSqlClient({
  databaseUrl: cfg.DATABASE_URL,
  dataDir: cfg.DATABASE_URL ? undefined : process.env.BENCH_DATA_DIR,
  preparedStatements: cfg.DATABASE_PREPARED_STATEMENTS,
});
if (values.prepare) await prepareBenchData(client, Number(values.bulk));

const gatewayUrl = cfg.GATEWAY_URL ?? '';
const trust = await loadTrustStore(cfg);
const jlisFeedKeys = loadJlisFeedKeys(cfg);
const counters: Record<string, QueryCounter> = {};
const urls: Record<string, string> = {};
const running: RunningService[] = [];
for (const name of values.names!.split(',').filter(Boolean)) {
  const definition = SUBGRAPH_DEFINITIONS.find((d) => d.name === name);
  if (!definition) throw new Error(`no subgraph named ${name}`);
  counters[name] = new QueryCounter();
  const db = client.drizzle(counters[name]);
  const deps = subgraphDeps(cfg, {
    db,
    clock: clockFromConfig(cfg.APP_NOW),
    trust,
    jlisFeedKeys,
    graph: createGraphClient(() => gatewayUrl, { trustedDocuments: sendsTrustedDocuments(cfg) }),
  });
  const service = await startSubgraph(definition as never, { deps, port: 0 });
  running.push(service);
  urls[name] = service.url;
}

const control = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(Object.fromEntries(Object.entries(counters).map(([k, c]) => [k, req.method === 'POST' ? c.reset() : c.count]))));
});
await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
const controlUrl = `http://127.0.0.1:${(control.address() as { port: number }).port}/`;
process.stdout.write(`${JSON.stringify({ ready: true, urls, control: controlUrl, database: client.kind })}\n`);
process.on('SIGTERM', () => {
  control.close();
  void Promise.all(running.map((s) => s.stop()))
    .then(() => client.close())
    .then(() => process.exit(0));
});
