/**
 * The workers as a process of their own: `tsx workers/main.ts [--honseki-every MS]`, reaching the graph at
 * GATEWAY_URL and the family register at FAMILY_REGISTER_URL with the service identity. Any number may run at once:
 * work is claimed with leases or SKIP LOCKED. SIGTERM lets the step in hand finish. Prints `{ready}` when started.
 */
import { parseArgs } from 'node:util';
import { clockFromConfig } from '../lib/platform/clock.js';
import { config } from '../lib/platform/config.js';
import { createGraphClient, sendsTrustedDocuments } from '../lib/platform/graph-client.js';
import { serviceTokenSource } from '../lib/platform/identity/service-token.js';
import { createFamilyRegisterClient } from './family-register-client.js';
import { startWorkers } from './runner.js';

const { values } = parseArgs({ options: { 'honseki-every': { type: 'string' } } });
const cfg = config();
const gatewayUrl = cfg.GATEWAY_URL ?? `http://127.0.0.1:${cfg.PORT}/graphql`;
const workers = startWorkers({
  graph: createGraphClient(() => gatewayUrl, { trustedDocuments: sendsTrustedDocuments(cfg) }),
  serviceToken: serviceTokenSource(cfg),
  registry: createFamilyRegisterClient({ baseUrl: () => cfg.FAMILY_REGISTER_URL }),
  clock: clockFromConfig(cfg.APP_NOW),
  intervals: values['honseki-every'] ? { honsekiMs: Number(values['honseki-every']) } : {},
});
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
const stop = () => void workers.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
