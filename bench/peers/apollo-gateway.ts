/**
 * Peer for `npm run bench`: stock @apollo/gateway on @apollo/server's standalone server over the same supergraph and
 * subgraphs, with nothing of ours but the per-subgraph token our subgraphs require. No caller verification, limits,
 * error formatting or access checks. `tsx bench/peers/apollo-gateway.ts URLS_JSON` prints `{ready, url}`.
 */
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { loadSupergraph } from '../../gateway/supergraph.js';
import { subgraphHeaderSource } from '../support/access.js';

const headersFor = await subgraphHeaderSource();
const gateway = new ApolloGateway({
  supergraphSdl: loadSupergraph(JSON.parse(process.argv[2]!)),
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request }) {
        for (const [k, v] of Object.entries(headersFor(name))) request.http?.headers.set(k, v);
      },
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(`${JSON.stringify({ ready: true, url, pids: [process.pid] })}\n`);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
