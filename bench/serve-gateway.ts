/** Benchmark helper process: one gateway of the engine named in argv over the subgraph URLs given as JSON. */
import { startApolloGateway } from '../gateway/apollo-gateway.js';
import { startHiveGateway } from '../gateway/hive-gateway.js';
import { parseConfig } from '../lib/config.js';
import { createTokenVerifier } from '../lib/identity/tokens.js';
import { createGatewayTokenSigner } from '../lib/identity/gateway-token.js';

const [engine, urlsJson] = process.argv.slice(2);
const start = engine === 'hive' ? startHiveGateway : startApolloGateway;
const cfg = parseConfig({ NODE_ENV: 'test' });
const gateway = await start({
  urls: JSON.parse(urlsJson!),
  verify: createTokenVerifier(cfg),
  sign: await createGatewayTokenSigner(cfg),
  port: 0,
  production: false,
});
process.stdout.write(`${JSON.stringify({ ready: true, url: gateway.url, engine })}\n`);
process.on('SIGTERM', () => void gateway.stop().then(() => process.exit(0)));
