import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from './support/graph.js';

/**
 * Every process of the graph with short HTTP timeouts and a small connection limit, so that what a slow client can
 * hold shows within seconds: 1 s for a request's headers, 2 s for the whole request.
 */
const HEADERS_TIMEOUT_S = 1;
const REQUEST_TIMEOUT_S = 2;
const MAX_CONNECTIONS = 8;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({
    seed: false,
    env: {
      HTTP_HEADERS_TIMEOUT_S: String(HEADERS_TIMEOUT_S),
      HTTP_REQUEST_TIMEOUT_S: String(REQUEST_TIMEOUT_S),
      HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
    },
  });
});
afterAll(async () => {
  await graph?.close();
});

const SERVICES = ['hive', 'apollo', 'driver'] as const;
const services = (): Record<(typeof SERVICES)[number], string> => ({ hive: graph.gatewayUrl, apollo: graph.oracleUrl, driver: graph.subgraphUrls.driver });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw connection: what the server sent, and when it closed the connection. */
async function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  await new Promise<void>((r, j) => socket.once('connect', r).once('error', j));
  const state = { received: '', closedAt: null as number | null };
  socket.on('data', (d: Buffer) => (state.received += d.toString('latin1')));
  socket.on('close', () => (state.closedAt = Date.now()));
  socket.on('error', () => {});
  return { socket, state, host: hostname };
}

/** Writes `text` a few bytes at a time, every `everyMs`, for as long as the connection is open (or the text lasts). */
async function trickle(c: Awaited<ReturnType<typeof rawConnection>>, text: string, everyMs: number) {
  for (let i = 0; i < text.length && c.state.closedAt === null; i += 2) {
    c.socket.write(text.slice(i, i + 2));
    await sleep(everyMs);
  }
}

async function closedWithin(c: Awaited<ReturnType<typeof rawConnection>>, ms: number): Promise<boolean> {
  for (let waited = 0; c.state.closedAt === null && waited < ms; waited += 50) await sleep(50);
  return c.state.closedAt !== null;
}

const healthy = async (url: string) => (await fetch(new URL('/healthz', url))).status === 200;

describe('issue 15 item 7: slow clients are cut off (HTTP_HEADERS_TIMEOUT_S, HTTP_REQUEST_TIMEOUT_S, HTTP_MAX_CONNECTIONS)', () => {
  it.each(SERVICES)('security: %s — headers trickled for ever are cut off with 408, the server goes on serving', async (name) => {
    const url = services()[name];
    const c = await rawConnection(url);
    const started = Date.now();
    // Some 40 s of headers at two bytes every 200 ms: a slow-loris client that never finishes them.
    void trickle(c, `POST ${new URL(url).pathname} HTTP/1.1\r\nHost: ${c.host}\r\n${'x-padding: '.padEnd(400, 'y')}\r\n`, 200);
    // Node checks once a second: cut off within a few seconds of the headers timeout, not after Node's own 60 s.
    expect(await closedWithin(c, 10_000)).toBe(true);
    expect(c.state.closedAt! - started).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_S * 1000 - 100);
    expect(c.state.received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(await healthy(url)).toBe(true);
  });

  it.each(SERVICES)('security: %s — a body never finished is cut off with 408 at the request timeout', async (name) => {
    const url = services()[name];
    const c = await rawConnection(url);
    const started = Date.now();
    c.socket.write(`POST ${new URL(url).pathname} HTTP/1.1\r\nHost: ${c.host}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":"{`);
    void trickle(c, ' '.repeat(900), 300);
    expect(await closedWithin(c, 12_000)).toBe(true);
    expect(c.state.closedAt! - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_S * 1000 - 100);
    expect(c.state.received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(await healthy(url)).toBe(true);
  });

  it('security: slow clients hold no more than HTTP_MAX_CONNECTIONS sockets, and none once they are cut off', async () => {
    const url = graph.gatewayUrl;
    const slow = await Promise.all(Array.from({ length: MAX_CONNECTIONS + 4 }, () => rawConnection(url)));
    for (const c of slow) c.socket.write(`GET /graphql HTTP/1.1\r\nHost: ${c.host}\r\n`);
    // The connections past the limit are closed as they are accepted; the others are held until the headers timeout.
    await sleep(300);
    expect(slow.filter((c) => c.state.closedAt !== null).length).toBeGreaterThanOrEqual(4);
    for (const c of slow) expect(await closedWithin(c, 10_000)).toBe(true);
    expect(await healthy(url)).toBe(true);
  });

  it('keep-alive is unchanged: an idle connection outlives the headers timeout and serves its next request', async () => {
    for (const [name, url] of Object.entries(services())) {
      const c = await rawConnection(url);
      const probe = async () => {
        c.state.received = '';
        c.socket.write(`GET /healthz HTTP/1.1\r\nHost: ${c.host}\r\n\r\n`);
        for (let i = 0; i < 100 && c.state.closedAt === null && !c.state.received.includes('\r\n\r\n'); i++) await sleep(20);
        return c.state.received.split('\r\n')[0];
      };
      expect(await probe(), name).toBe('HTTP/1.1 200 OK');
      await sleep((REQUEST_TIMEOUT_S + 1.5) * 1000);
      expect(c.state.closedAt, name).toBeNull();
      expect(await probe(), name).toBe('HTTP/1.1 200 OK');
      c.socket.destroy();
    }
  });
});
