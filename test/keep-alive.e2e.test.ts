import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHiveGateway } from '../gateway/hive-gateway.js';
import { parseConfig } from '../lib/platform/config.js';
import { httpSettings } from '../lib/platform/http-server.js';
import type { RunningService } from '../lib/platform/subgraph-server.js';
import { startTestGraph, type TestGraph, testGatewayOptions } from './support/graph.js';

/** One connection that sends raw HTTP/1.1 requests in turn and notes when the server closes it. */
async function keepAliveConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  await new Promise<void>((r, j) => socket.once('connect', r).once('error', j));
  let received = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  return {
    get closed() {
      return closed;
    },
    /** `GET /healthz` on this connection; resolves with the status line, or null when the server had closed it. */
    async probe(): Promise<string | null> {
      if (closed) return null;
      received = '';
      socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
      for (let i = 0; i < 100 && !closed && !received.includes('\r\n\r\n'); i++) await new Promise((r) => setTimeout(r, 20));
      return received.split('\r\n')[0] || null;
    },
    close: () => socket.destroy(),
  };
}

const idle = (ms: number) => new Promise((r) => setTimeout(r, ms));

let graph: TestGraph;
let shortLived: RunningService;
beforeAll(async () => {
  graph = await startTestGraph();
  const cfg = parseConfig({ NODE_ENV: 'test', HTTP_KEEP_ALIVE_TIMEOUT_S: '1' });
  shortLived = await startHiveGateway({ ...(await testGatewayOptions(graph.subgraphUrls, cfg)), http: httpSettings(cfg) });
});
afterAll(async () => {
  await shortLived?.stop();
  await graph?.close();
});

describe('idle keep-alive connections outlive the pools in front (HTTP_KEEP_ALIVE_TIMEOUT_S, 65 s by default)', () => {
  // Node closes an idle connection about a second after its keep-alive timeout: at ~6 s with its own default of 5 s.
  it("a connection idle for longer than Node's own 5 s is still served, on the gateway and on every subgraph", async () => {
    const urls = [graph.gatewayUrl, graph.oracleUrl, ...Object.values(graph.subgraphUrls)];
    const connections = await Promise.all(urls.map(keepAliveConnection));
    for (const c of connections) expect(await c.probe()).toBe('HTTP/1.1 200 OK');
    await idle(7_000);
    for (const [i, c] of connections.entries()) {
      expect(c.closed, urls[i]).toBe(false);
      expect(await c.probe(), urls[i]).toBe('HTTP/1.1 200 OK');
      c.close();
    }
  });

  it('the configured timeout is the one in force: at 1 s the gateway closes the idle connection itself', async () => {
    const c = await keepAliveConnection(shortLived.url);
    expect(await c.probe()).toBe('HTTP/1.1 200 OK');
    await idle(2_500);
    expect(c.closed).toBe(true);
    c.close();
  });
});
