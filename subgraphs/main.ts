/**
 * One subgraph as a process of its own: `tsx subgraphs/main.ts --name driver|consent|portal-link [--port N]`, on the
 * Postgres server of DATABASE_URL (the embedded database serves one process only). Migrations are a step of their
 * own (`npm run db:migrate`); this process only serves. Prints one JSON line `{ready, url}` when listening.
 */
import { parseArgs } from 'node:util';
import { clockFromConfig } from '../lib/platform/clock.js';
import { loadTrustStore } from '../lib/domain/certificates/trust-config.js';
import { loadJlisFeedKeys } from '../lib/domain/certificates/jlis-feed.js';
import { config } from '../lib/platform/config.js';
import { openPostgres } from '../lib/platform/db/database.js';
import { createGraphClient, sendsTrustedDocuments } from '../lib/platform/graph-client.js';
import { subgraphDeps } from '../lib/platform/subgraph-deps.js';
import { startSubgraph } from '../lib/platform/subgraph-server.js';
import { SUBGRAPH_DEFINITIONS } from './index.js';
import { initTracing, shutdownTracing } from '../lib/platform/tracing.js';

const { values } = parseArgs({ options: { name: { type: 'string' }, port: { type: 'string' } } });
const definition = SUBGRAPH_DEFINITIONS.find((d) => d.name === values.name);
const cfg = config();
if (!definition || !cfg.DATABASE_URL) {
  console.error('usage: DATABASE_URL=postgres://… tsx subgraphs/main.ts --name driver|consent|portal-link [--port N]');
  process.exit(2);
}
await initTracing(cfg.OTEL_EXPORTER_OTLP_ENDPOINT, `renkei-${definition.name}`);
const client = await openPostgres(cfg.DATABASE_URL, { preparedStatements: cfg.DATABASE_PREPARED_STATEMENTS });
const gatewayUrl = cfg.GATEWAY_URL ?? `http://127.0.0.1:${cfg.PORT}/graphql`;
const service = await startSubgraph(definition as never, {
  deps: subgraphDeps(cfg, {
    db: client.drizzle(),
    clock: clockFromConfig(cfg.APP_NOW),
    trust: await loadTrustStore(cfg),
    jlisFeedKeys: loadJlisFeedKeys(cfg),
    graph: createGraphClient(() => gatewayUrl, { trustedDocuments: sendsTrustedDocuments(cfg) }),
  }),
  port: Number(values.port ?? 0),
  host: cfg.HOST,
});
process.stdout.write(`${JSON.stringify({ ready: true, name: definition.name, url: service.url })}\n`);
const stop = async () => {
  await service.stop();
  await client.close();
  await shutdownTracing();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
