/**
 * `npm start`: the whole graph on this machine — three subgraphs, the gateway on :4000, the embedded database under
 * DATA_DIR unless DATABASE_URL names a Postgres server, and the demo holders seeded once.
 */
import { mkdirSync } from 'node:fs';
import { clockFromConfig } from '../lib/platform/clock.js';
import { config, ConfigError } from '../lib/platform/config.js';
import { openConfiguredSqlClient, openMigratingSqlClient } from '../lib/platform/db/database.js';
import { runtimeRole } from '../lib/platform/audit/migrations.js';
import { createLogger } from '../lib/platform/log.js';
import { migrateAll, seedDemo, startStack } from '../devkit/stack.js';
import { demoId } from '../seeds/demo-holders.js';
import { createGraphClient, sendsTrustedDocuments } from '../lib/platform/graph-client.js';
import { serviceTokenSource } from '../lib/platform/identity/service-token.js';
import { startFamilyRegisterSimulator } from '../simulators/family-register.js';
import { createFamilyRegisterClient } from '../workers/family-register-client.js';
import { startWorkers } from '../workers/runner.js';
import { initTracing, shutdownTracing } from '../lib/platform/tracing.js';

const log = createLogger('start');

async function main() {
  const cfg = config();
  await initTracing(cfg.OTEL_EXPORTER_OTLP_ENDPOINT, 'renkei');
  if (!cfg.DATABASE_URL) mkdirSync(cfg.DATA_DIR, { recursive: true });
  const client = await openConfiguredSqlClient(cfg);
  if (cfg.DATABASE_OWNER_URL && cfg.DATABASE_URL) {
    // Migrations as the owner; the graph then serves as the runtime role, which owns nothing.
    const owner = await openMigratingSqlClient(cfg);
    await migrateAll(owner, { runtimeRole: runtimeRole(cfg) }).finally(() => owner.close());
  } else {
    await migrateAll(client);
  }
  if (cfg.NODE_ENV !== 'production') await seedDemo(client);
  const clock = clockFromConfig(cfg.APP_NOW);
  const stack = await startStack({
    client,
    clock,
    config: cfg,
    ports: { gateway: cfg.PORT, driver: cfg.DRIVER_PORT, consent: cfg.CONSENT_PORT, 'portal-link': cfg.PORTAL_LINK_PORT },
  });
  // The family register system is outside this graph; development runs its simulator (API.md) in its place.
  const simulator = cfg.NODE_ENV === 'production' ? null : await startFamilyRegisterSimulator({ port: cfg.FAMILY_REGISTER_PORT, host: cfg.HOST, clock });
  const registryUrl = simulator?.url ?? cfg.FAMILY_REGISTER_URL;
  const workers = startWorkers({
    graph: createGraphClient(() => stack.gatewayUrl, { trustedDocuments: sendsTrustedDocuments(cfg) }),
    serviceToken: serviceTokenSource(cfg),
    registry: createFamilyRegisterClient({ baseUrl: () => registryUrl }),
    clock,
  });
  const database = cfg.DATABASE_URL ? 'postgres' : `embedded (${cfg.DATA_DIR})`;
  log.info('graph ready', { gateway: stack.gatewayUrl, subgraphs: stack.subgraphUrls, familyRegister: registryUrl, database, appNow: cfg.APP_NOW ?? null });
  if (process.stdout.isTTY || cfg.NODE_ENV === 'development') {
    process.stdout.write(
      `\nRenkei gateway: ${stack.gatewayUrl}  (database: ${database})\n` +
        `Try: TOKEN=$(npm run --silent token -- --role SUPERVISOR --prefecture 13)\n` +
        `     HolderCard for demo holder ${demoId(1)} — see README.\n\n`,
    );
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await workers.stop();
    await stack.stop();
    await simulator?.stop();
    await client.close();
    await shutdownTracing();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  if (e instanceof ConfigError) {
    console.error(e.message);
  } else {
    log.error('start failed', { error: (e as Error).message });
  }
  process.exit(1);
});
