import { createServer, request, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockFromConfig } from '../lib/platform/clock.js';
import { parseConfig } from '../lib/platform/config.js';
import { createGraphClient, type GraphClient } from '../lib/platform/graph-client.js';
import { serviceTokenSource } from '../lib/platform/identity/service-token.js';
import { bulkId, insertBulkHolders } from '../seeds/bulk-holders.js';
import { createFamilyRegisterClient } from '../workers/family-register-client.js';
import { startWorkers } from '../workers/runner.js';
import { headersFor, startTestGraph, TEST_NOW, type TestGraph } from './support/graph.js';
import { startScript } from '../devkit/processes.js';

const HOLDERS = readFileSync(new URL('../schema/operations/Holders.graphql', import.meta.url), 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
  await insertBulkHolders(graph, 500);
}, 120_000);
afterAll(async () => {
  await graph?.close();
});

/**
 * Stands in front of a subgraph and holds each answer for `ms`: a request through it is surely still in flight when
 * the signal arrives, however busy the machine.
 */
async function slowProxy(target: string, ms: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = request(target, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (upRes) => {
        const body: Buffer[] = [];
        upRes.on('data', (c: Buffer) => body.push(c));
        upRes.on('end', () => setTimeout(() => res.writeHead(upRes.statusCode ?? 502, upRes.headers).end(Buffer.concat(body)), ms));
      });
      up.on('error', () => res.writeHead(502).end());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, server };
}

/** A request on a connection of its own (no keep-alive reuse), so a refused connection shows as refused. */
function freshConnection(url: string): Promise<'refused' | number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' ? 'refused' : 0));
    req.end();
  });
}

describe('SIGTERM', () => {
  it('the gateway process finishes the requests in flight, refuses new ones, and exits cleanly', async () => {
    // The driver answers after 1.5 s through the proxy, so the request is in flight when the signal comes.
    const slow = await slowProxy(graph.subgraphUrls.driver, 1_500);
    const gw = await startScript('gateway/main.ts', [JSON.stringify({ ...graph.subgraphUrls, driver: slow.url })], { SUBGRAPH_TIMEOUT_MS: '20000' });
    const url = gw.ready.url as string;
    const exited = new Promise<number | null>((r) => gw.child.once('exit', (code) => r(code)));
    const headers = { 'content-type': 'application/json', ...(await headersFor({ role: 'NPA_ADMIN' })) };
    const inFlight = fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: HOLDERS, variables: { ids: Array.from({ length: 500 }, (_, i) => bulkId(i)) } }),
    });
    let answered = false;
    void inFlight.then(
      () => (answered = true),
      () => (answered = true),
    );
    await sleep(300);
    gw.child.kill('SIGTERM');
    // The signal is handled when the process's event loop gets to it (later on a busy machine): from then on a new
    // connection is refused, while the request in flight is still being answered.
    let refusedWhileInFlight = false;
    for (let i = 0; i < 300; i++) {
      if ((await freshConnection(url.replace('/graphql', '/healthz'))) === 'refused') {
        refusedWhileInFlight = !answered;
        break;
      }
      await sleep(10);
    }
    expect(refusedWhileInFlight).toBe(true);
    const res = await inFlight;
    const body = (await res.json()) as { data: { holders: unknown[] }; errors?: unknown };
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(body.data.holders).toHaveLength(500);
    expect(await exited).toBe(0);
    slow.server.close();
  }, 60_000);

  it('workers stop between items: the step in progress finishes, no new step starts', async () => {
    const cfg = parseConfig({ NODE_ENV: 'test' });
    const real = createGraphClient(() => graph.gatewayUrl);
    let started = 0;
    let finished = 0;
    // The real graph, each call held 300 ms so that the stop lands inside a step.
    const slow: GraphClient = {
      async request(doc, variables, h) {
        started++;
        await sleep(300);
        const r = await real.request(doc, variables, h);
        finished++;
        return r;
      },
    };
    const workers = startWorkers({
      graph: slow,
      serviceToken: serviceTokenSource(cfg),
      registry: createFamilyRegisterClient({ baseUrl: () => 'http://127.0.0.1:9' }),
      clock: clockFromConfig(TEST_NOW),
      intervals: { honsekiMs: 10, dueImportsMs: 10, outboxMs: 10 },
    });
    while (started === 0) await sleep(5);
    expect(finished).toBeLessThan(started);
    await workers.stop();
    expect(finished).toBe(started);
    const after = started;
    await sleep(400);
    expect(started).toBe(after);
  }, 30_000);
});
