/**
 * The gateway as a process of its own: `tsx gateway/main.ts [--engine hive|apollo] [--production] [--port N] URLS_JSON`,
 * where URLS_JSON maps subgraph names to their URLs. With GATEWAY_WORKERS=N it forks N workers sharing the port
 * (node:cluster), replacing one that dies. Prints one JSON line `{ready, url, engine, pids}` when every worker listens.
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { parseConfig } from '../lib/platform/config.js';
import { createGatewayTokenSigner } from '../lib/platform/identity/gateway-token.js';
import { createTokenVerifier } from '../lib/platform/identity/tokens.js';
import { createLogger } from '../lib/platform/log.js';
import { initTracing, shutdownTracing } from '../lib/platform/tracing.js';
import { gatewayOptionsFrom } from './options.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { engine: { type: 'string', default: 'hive' }, production: { type: 'boolean', default: false }, port: { type: 'string', default: '0' } },
});
const cfg = parseConfig({ ...process.env, NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'test' });
const log = createLogger('gateway');
await initTracing(cfg.OTEL_EXPORTER_OTLP_ENDPOINT, 'renkei-gateway');

async function serve(): Promise<{ url: string; stop(): Promise<void> }> {
  // Only the engine that serves is loaded: the other's modules would cost some 40 MB of every worker's memory.
  const start = values.engine === 'apollo' ? (await import('./apollo-gateway.js')).startApolloGateway : (await import('./hive-gateway.js')).startHiveGateway;
  return start(
    gatewayOptionsFrom(cfg, {
      urls: JSON.parse(positionals[0]!),
      verify: createTokenVerifier(cfg),
      sign: await createGatewayTokenSigner(cfg),
      port: Number(values.port),
      production: values.production || cfg.NODE_ENV === 'production',
    }),
  );
}

const announce = (url: string, pids: number[]) =>
  process.stdout.write(`${JSON.stringify({ ready: true, url, engine: values.engine, workers: pids.length, pids })}\n`);

if (cfg.GATEWAY_WORKERS > 1 && cluster.isPrimary) {
  // Workers listening on port 0 share the one port the primary picks.
  let stopping = false;
  const ready = new Map<number, string>();
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (m: { ready?: boolean; url?: string }) => {
      if (!m.ready || !m.url) return;
      const first = ready.size < cfg.GATEWAY_WORKERS;
      ready.set(worker.id, m.url);
      if (first && ready.size === cfg.GATEWAY_WORKERS)
        announce(
          m.url,
          [...ready.keys()].map((id) => cluster.workers![id]!.process.pid!),
        );
    });
  };
  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.warn('gateway worker exited; starting another', { code, signal });
    fork();
  });
  for (let i = 0; i < cfg.GATEWAY_WORKERS; i++) fork();
  process.on('SIGTERM', () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  });
} else {
  const gateway = await serve();
  if (cluster.isWorker) process.send!({ ready: true, url: gateway.url });
  else announce(gateway.url, [process.pid]);
  // In-flight requests finish; new connections are refused from the moment the signal arrives.
  process.on(
    'SIGTERM',
    () =>
      void gateway
        .stop()
        .then(shutdownTracing)
        .then(() => process.exit(0)),
  );
}
