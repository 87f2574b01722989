import { startApolloGateway } from '../gateway/apollo-gateway.js';
import { gatewayOptionsFrom } from '../gateway/options.js';
import { startHiveGateway } from '../gateway/hive-gateway.js';
import type { SubgraphUrls } from '../gateway/supergraph.js';
import { seedConsent } from '../subgraphs/consent/seed.js';
import { seedDriver } from '../subgraphs/driver/seed.js';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs/index.js';
import { seedPortalLink } from '../subgraphs/portal-link/seed.js';
import type { Clock } from '../lib/platform/clock.js';
import type { Config } from '../lib/platform/config.js';
import { QueryCounter, type Db, type SqlClient } from '../lib/platform/db/database.js';
import { createTokenVerifier } from '../lib/platform/identity/tokens.js';
import { AUDIT_MIGRATIONS, grantRuntimeRole } from '../lib/platform/audit/migrations.js';
import { IDEMPOTENCY_MIGRATIONS } from '../lib/platform/idempotency/migrations.js';
import { createGatewayTokenSigner } from '../lib/platform/identity/gateway-token.js';
import { subgraphDeps } from '../lib/platform/subgraph-deps.js';
import { createGraphClient, sendsTrustedDocuments } from '../lib/platform/graph-client.js';
import type { KeyObject } from 'node:crypto';
import { loadTrustStore } from '../lib/domain/certificates/trust-config.js';
import { loadJlisFeedKeys } from '../lib/domain/certificates/jlis-feed.js';
import type { TrustStore } from '../lib/domain/certificates/verify.js';
import { startSubgraph, type RunningService } from '../lib/platform/subgraph-server.js';

export interface Stack {
  gatewayUrl: string;
  subgraphUrls: SubgraphUrls;
  /** Statements each subgraph sent, for the batching tests and benchmarks. */
  counters: Record<keyof SubgraphUrls, QueryCounter>;
  dbs: Record<keyof SubgraphUrls, Db>;
  /** Stops one subgraph (reliability tests); `restartSubgraph` brings it back on the same port. */
  stopSubgraph(name: keyof SubgraphUrls): Promise<void>;
  restartSubgraph(name: keyof SubgraphUrls): Promise<void>;
  /** Starts one more gateway of the given engine over the same subgraphs (oracle tests, benchmarks). */
  addGateway(engine: 'apollo' | 'hive', opts?: { production?: boolean }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Applies the shared stores' migrations (access log, Idempotency-Keys), then every subgraph's, each into its own
 * schema, as the owner role; then, when a runtime role is named, grants it what serving needs and no more
 * (lib/platform/audit/migrations/0004_runtime_grants.sql).
 */
export async function migrateAll(client: SqlClient, opts: { runtimeRole?: string | null } = {}): Promise<void> {
  await client.migrate(client.drizzle(), { folder: AUDIT_MIGRATIONS, schema: 'audit' });
  await client.migrate(client.drizzle(), { folder: IDEMPOTENCY_MIGRATIONS, schema: 'idempotency' });
  for (const d of SUBGRAPH_DEFINITIONS) await client.migrate(client.drizzle(), { folder: d.migrationsFolder, schema: d.dbSchema });
  // The Idempotency-Key registry is read, claimed and completed by every subgraph, as their own tables are.
  if (opts.runtimeRole) await grantRuntimeRole(client.drizzle(), opts.runtimeRole, ['idempotency', ...SUBGRAPH_DEFINITIONS.map((d) => d.dbSchema)]);
}

/** Seeds the demo holders in every subgraph; each seeder writes only its own subgraph's tables. */
export async function seedDemo(client: SqlClient): Promise<void> {
  const db = client.drizzle();
  await seedDriver(db);
  await seedConsent(db);
  await seedPortalLink(db);
}

/**
 * The whole graph in one process: three subgraphs and a gateway, each on its own port, talking real HTTP. Ports 0
 * pick free ports (tests); `npm start` passes the configured ones.
 */
export async function startStack(opts: {
  client: SqlClient;
  clock: Clock;
  config: Config;
  ports?: { gateway: number; driver: number; consent: number; 'portal-link': number };
  withGateway?: boolean;
  /** Overrides GATEWAY_ENGINE; the oracle tests start one of each. */
  engine?: 'apollo' | 'hive';
  /** Overrides the configured J-LIS trust anchors (tests use a CA of their own). */
  trust?: TrustStore;
  /** Overrides the configured J-LIS feed keys (tests sign with a key of their own). */
  jlisFeedKeys?: readonly KeyObject[];
}): Promise<Stack> {
  const { client, clock, config } = opts;
  const verify = createTokenVerifier(config);
  const sign = await createGatewayTokenSigner(config);
  const trust = opts.trust ?? (await loadTrustStore(config));
  const jlisFeedKeys = opts.jlisFeedKeys ?? loadJlisFeedKeys(config);
  // Subgraphs start before the gateway; the URL is read when a nested request is made.
  let gatewayUrl = config.GATEWAY_URL ?? '';
  const graph = createGraphClient(() => gatewayUrl, { trustedDocuments: sendsTrustedDocuments(config) });
  const ports = opts.ports ?? { gateway: 0, driver: 0, consent: 0, 'portal-link': 0 };
  const counters = {} as Stack['counters'];
  const dbs = {} as Stack['dbs'];
  const urls = {} as SubgraphUrls;
  const running: RunningService[] = [];
  try {
    const bySubgraph = {} as Record<keyof SubgraphUrls, RunningService>;
    const serve = async (d: (typeof SUBGRAPH_DEFINITIONS)[number], port: number) => {
      const service = await startSubgraph(d as never, {
        deps: subgraphDeps(config, { db: dbs[d.name], clock, trust, jlisFeedKeys, graph }),
        port,
        host: config.HOST,
      });
      bySubgraph[d.name] = service;
      return service;
    };
    for (const d of SUBGRAPH_DEFINITIONS) {
      counters[d.name] = new QueryCounter();
      dbs[d.name] = client.drizzle(counters[d.name]);
      const service = await serve(d, ports[d.name]);
      urls[d.name] = service.url;
    }
    // Subgraphs are stopped last, whichever instance of them is running then.
    running.push({ name: 'subgraphs', url: '', stop: async () => void (await Promise.all(Object.values(bySubgraph).map((s) => s.stop()))) });
    const gatewayOptions = (port: number, production: boolean) => gatewayOptionsFrom(config, { urls, verify, sign, port, production });
    if (opts.withGateway !== false) {
      const startGateway = (opts.engine ?? config.GATEWAY_ENGINE) === 'hive' ? startHiveGateway : startApolloGateway;
      const gateway = await startGateway(gatewayOptions(ports.gateway, config.NODE_ENV === 'production'));
      running.push(gateway);
      gatewayUrl = config.GATEWAY_URL ?? gateway.url;
    }
    const addGateway = async (engine: 'apollo' | 'hive', extra: { production?: boolean } = {}) => {
      const start = engine === 'hive' ? startHiveGateway : startApolloGateway;
      const production = extra.production ?? config.NODE_ENV === 'production';
      const g = await start(gatewayOptions(0, production));
      running.push(g);
      return g.url;
    };
    const stopSubgraph = (name: keyof SubgraphUrls) => bySubgraph[name].stop();
    const restartSubgraph = async (name: keyof SubgraphUrls) => {
      await serve(SUBGRAPH_DEFINITIONS.find((d) => d.name === name)!, Number(new URL(urls[name]).port));
    };
    return {
      stopSubgraph,
      restartSubgraph,
      gatewayUrl: gatewayUrl,
      addGateway,
      subgraphUrls: urls,
      counters,
      dbs,
      stop: async () => {
        for (const s of [...running].reverse()) await s.stop();
      },
    };
  } catch (e) {
    for (const s of running.reverse()) await s.stop().catch(() => {});
    throw e;
  }
}
