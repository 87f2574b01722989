/**
 * The gateway as a process of its own: `tsx gateway/main.ts [--engine hive|apollo] [--production] URLS_JSON`, where
 * URLS_JSON maps subgraph names to their URLs. Prints one JSON line `{ready, url, engine}` when listening. Used by the
 * benchmarks and by the tests that must run the gateway exactly as Node runs it.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../lib/config.js';
import { createGatewayTokenSigner } from '../lib/identity/gateway-token.js';
import { createTokenVerifier } from '../lib/identity/tokens.js';
import { startApolloGateway } from './apollo-gateway.js';
import { startHiveGateway } from './hive-gateway.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { engine: { type: 'string', default: 'hive' }, production: { type: 'boolean', default: false }, port: { type: 'string', default: '0' } },
});
const cfg = parseConfig({ ...process.env, NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'test' });
const start = values.engine === 'apollo' ? startApolloGateway : startHiveGateway;
const gateway = await start({
  urls: JSON.parse(positionals[0]!),
  verify: createTokenVerifier(cfg),
  sign: await createGatewayTokenSigner(cfg),
  limits: cfg,
  port: Number(values.port),
  production: values.production || cfg.NODE_ENV === 'production',
});
process.stdout.write(`${JSON.stringify({ ready: true, url: gateway.url, engine: values.engine })}\n`);
process.on('SIGTERM', () => void gateway.stop().then(() => process.exit(0)));
