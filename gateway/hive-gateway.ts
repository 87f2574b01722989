import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { GraphQLError } from 'graphql';
import { HEADER, readRequestAccess } from '../lib/identity/request.js';
import { createLogger } from '../lib/log.js';
import type { RunningService } from '../lib/subgraph-server.js';
import type { GatewayOptions } from './apollo-gateway.js';
import { FORWARDED_HEADERS } from './forwarded-headers.js';
import { loadSupergraph } from './supergraph.js';

/**
 * The same gateway on Hive Gateway's runtime with the Rust query planner: the engine measured against
 * @apollo/gateway in bench/ and kept answer-for-answer identical by the end-to-end tests.
 */
export async function startHiveGateway(opts: GatewayOptions): Promise<RunningService> {
  const log = createLogger('gateway');
  const runtime = createGatewayRuntime({
    supergraph: loadSupergraph(opts.urls),
    unifiedGraphHandler,
    landingPage: false,
    graphqlEndpoint: '/',
    logging: false,
    maskedErrors: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => {
        const out: Record<string, string> = {};
        for (const name of [...FORWARDED_HEADERS, HEADER.requestId]) {
          const v = request.headers.get(name);
          if (v) out[name] = v;
        }
        return out;
      },
    },
  });

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const access = await readRequestAccess(req.headers, opts.verify);
      req.headers[HEADER.requestId] = access.requestId;
    } catch (e) {
      const err = e as GraphQLError;
      const status = (err.extensions?.http as { status?: number } | undefined)?.status ?? 400;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: err.message, extensions: { code: err.extensions?.code } }] }));
      return;
    }
    return runtime(req, res);
  };
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}/`;
  log.info('listening', { url, engine: 'hive' });
  return {
    name: 'gateway',
    url,
    stop: async () => {
      await runtime.dispose();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
