/**
 * Peer for `npm run bench`: plain Hive Gateway runtime with the Rust query planner over the same supergraph and
 * subgraphs, with nothing of ours but the per-subgraph token our subgraphs require. No caller verification, limits,
 * error formatting or access checks. `tsx bench/peers/hive-gateway.ts URLS_JSON` prints `{ready, url}`.
 */
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { loadSupergraph } from '../../gateway/supergraph.js';
import { subgraphHeaderSource } from '../support/access.js';

const headersFor = await subgraphHeaderSource();
const runtime = createGatewayRuntime({
  supergraph: loadSupergraph(JSON.parse(process.argv[2]!)),
  unifiedGraphHandler,
  propagateHeaders: { fromClientToSubgraphs: ({ subgraphName }) => headersFor(subgraphName) },
});
const server = createServer(runtime);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
process.stdout.write(`${JSON.stringify({ ready: true, url, pids: [process.pid] })}\n`);
process.on('SIGTERM', () => void Promise.resolve(runtime.dispose()).then(() => process.exit(0)));
