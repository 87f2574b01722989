import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { getOperationAST, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApolloGateway } from '../gateway/apollo-gateway.js';
import { startHiveGateway } from '../gateway/hive-gateway.js';
import { parseConfig } from '../lib/config.js';
import { createGatewayTokenSigner } from '../lib/identity/gateway-token.js';
import { createTokenVerifier } from '../lib/identity/tokens.js';
import type { RunningService } from '../lib/subgraph-server.js';
import type { SubgraphUrls } from '../gateway/supergraph.js';
import { demoId } from '../seeds/demo-holders.js';
import { headersFor, startTestGraph, type Caller, type TestGraph } from './support/graph.js';

const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');
// A procedure whose subgraph looks the holder up through the gateway as the caller, and whose answer needs an
// entity fetch from another subgraph (the holder's name from the driver record).
const REVOKE = `mutation($id: ID!) { revokeAddressOneStopConsent(input: { holderId: $id }) {
  consent { status holder { name } } userErrors { code } } }`;

interface SubgraphCall {
  subgraph: string;
  operation: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/** A pass-through in front of a subgraph that notes what each call carried. */
async function recordingProxy(subgraph: string, target: string, calls: SubgraphCall[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const query = (JSON.parse(body.toString('utf8')) as { query?: string }).query;
      calls.push({ subgraph, operation: query ? getOperationAST(parse(query))?.operation : undefined, headers: { ...req.headers } });
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([n]) => !['host', 'connection', 'content-length'].includes(n))) as Record<string, string>;
      const answer = await fetch(target, { method: 'POST', headers, body });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`, server };
}

let graph: TestGraph;
const proxies: Server[] = [];
const calls: SubgraphCall[] = [];
const gateways: Record<'hive' | 'apollo', RunningService> = {} as never;

beforeAll(async () => {
  graph = await startTestGraph();
  const urls = {} as SubgraphUrls;
  for (const [name, target] of Object.entries(graph.subgraphUrls) as [keyof SubgraphUrls, string][]) {
    const proxy = await recordingProxy(name, target, calls);
    proxies.push(proxy.server);
    urls[name] = proxy.url;
  }
  const cfg = parseConfig({ NODE_ENV: 'test' });
  const opts = { urls, verify: createTokenVerifier(cfg), sign: await createGatewayTokenSigner(cfg), limits: cfg, port: 0, production: false };
  gateways.hive = await startHiveGateway(opts);
  gateways.apollo = await startApolloGateway(opts);
});
afterAll(async () => {
  for (const g of Object.values(gateways)) await g?.stop();
  for (const p of proxies) {
    p.closeAllConnections();
    p.close();
  }
  await graph?.close();
});

async function send(engine: 'hive' | 'apollo', caller: Caller, query: string, variables: Record<string, unknown>, key: string) {
  calls.length = 0;
  const headers: Record<string, string> = { ...(await headersFor(caller)), 'idempotency-key': key };
  const res = await fetch(gateways[engine].url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { headers, body: (await res.json()) as { data?: any; errors?: unknown[] } };
}

describe.each([
  ['hive', 4],
  ['apollo', 1],
] as const)('what the %s gateway sends each subgraph call (least privilege)', (engine, holder) => {
  it("a query's calls carry the gateway's token and the request id, never the caller's token or the idempotency key", async () => {
    const { body } = await send(engine, { role: 'SUPERVISOR', prefecture: '13' }, HOLDER_CARD, { id: demoId(holder) }, `card-${engine}`);
    expect(body.errors).toBeUndefined();
    expect(new Set(calls.map((c) => c.subgraph))).toEqual(new Set(['driver', 'consent', 'portal-link']));
    for (const c of calls) {
      expect(c.operation).toBe('query');
      expect(c.headers.authorization).toMatch(/^Bearer \S+$/);
      expect(c.headers['x-request-id']).toBeTruthy();
      expect(c.headers['x-renkei-caller']).toBeUndefined();
      expect(c.headers['idempotency-key']).toBeUndefined();
    }
  });

  it("a mutation's call carries the caller's token for the nested lookup and the key; the entity fetch of its plan neither", async () => {
    const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
    const { headers, body } = await send(engine, clerk, REVOKE, { id: demoId(holder) }, `revoke-${engine}`);
    expect(body.errors).toBeUndefined();
    // The consent subgraph found the holder through the gateway with the caller's token: without it, no answer.
    expect(body.data.revokeAddressOneStopConsent).toMatchObject({ userErrors: [], consent: { status: 'REVOKED', holder: { name: expect.any(String) } } });
    const write = calls.filter((c) => c.operation === 'mutation');
    expect(write.map((c) => c.subgraph)).toEqual(['consent']);
    expect(write[0]!.headers['x-renkei-caller']).toBe(headers.authorization);
    expect(write[0]!.headers['idempotency-key']).toBe(`revoke-${engine}`);
    expect(write[0]!.headers.authorization).not.toBe(headers.authorization);
    const reads = calls.filter((c) => c.operation === 'query');
    expect(reads.map((c) => c.subgraph)).toContain('driver');
    for (const c of reads) {
      expect(c.headers['x-renkei-caller']).toBeUndefined();
      expect(c.headers['idempotency-key']).toBeUndefined();
    }
  });
});
