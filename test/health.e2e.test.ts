import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHiveGateway } from '../gateway/hive-gateway.js';
import { startTestGraph, type TestGraph, testGatewayOptions } from './support/graph.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
});
afterAll(async () => {
  await graph?.close();
});

const status = async (base: string, path: string) => (await fetch(new URL(path, base))).status;

describe('/healthz and /readyz on every process', () => {
  it('the gateways and every subgraph are alive and ready, without a token', async () => {
    for (const base of [graph.gatewayUrl, graph.oracleUrl, ...Object.values(graph.subgraphUrls)]) {
      expect(await status(base, '/healthz'), base).toBe(200);
      expect(await status(base, '/readyz'), base).toBe(200);
    }
  });

  it('a gateway that cannot reach a subgraph is alive but not ready', async () => {
    // A port nothing listens on (one just let go): port 9, tried before, is one that fetch refuses outright, which a
    // gateway now refuses to start with at all.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const gateway = await startHiveGateway(await testGatewayOptions({ ...graph.subgraphUrls, consent: `http://127.0.0.1:${port}/graphql` }));
    try {
      expect(await status(gateway.url, '/healthz')).toBe(200);
      expect(await status(gateway.url, '/readyz')).toBe(503);
    } finally {
      await gateway.stop();
    }
  });
});
