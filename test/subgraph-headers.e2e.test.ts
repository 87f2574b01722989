import type { IncomingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import { getOperationAST, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApolloGateway } from '../gateway/apollo-gateway.js';
import { startHiveGateway } from '../gateway/hive-gateway.js';
import type { RunningService } from '../lib/platform/subgraph-server.js';
import type { SubgraphUrls } from '../gateway/supergraph.js';
import { demoId } from '../seeds/demo-holders.js';
import { recordingProxies } from '../devkit/recording-proxies.js';
import { headersFor, startTestGraph, type Caller, type TestGraph, testGatewayOptions } from './support/graph.js';

const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');
// A procedure whose subgraph looks the holder up through the gateway as the caller, and whose answer needs an
// entity fetch from another subgraph (the holder's name from the driver record).
const REVOKE = `mutation($id: ID!) { revokeAddressOneStopConsent(input: { holderId: $id }) {
  consent { status holder { name } } userErrors { code } } }`;

let graph: TestGraph;
let proxies: Awaited<ReturnType<typeof recordingProxies>>;
const gateways: Record<'hive' | 'apollo', RunningService> = {} as never;

beforeAll(async () => {
  graph = await startTestGraph();
  proxies = await recordingProxies(graph.subgraphUrls);
  const opts = await testGatewayOptions(proxies.urls as SubgraphUrls);
  gateways.hive = await startHiveGateway(opts);
  gateways.apollo = await startApolloGateway(opts);
});
afterAll(async () => {
  for (const g of Object.values(gateways)) await g?.stop();
  proxies?.close();
  await graph?.close();
});

/** The calls the last request made, each with its operation type read from the body the gateway sent. */
let calls: { subgraph: string; operation: string | undefined; headers: IncomingHttpHeaders }[] = [];

async function send(engine: 'hive' | 'apollo', caller: Caller, query: string, variables: Record<string, unknown>, key: string) {
  proxies.calls.length = 0;
  const headers: Record<string, string> = { ...(await headersFor(caller)), 'idempotency-key': key };
  const res = await fetch(gateways[engine].url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  calls = proxies.calls.map((c) => ({
    subgraph: c.subgraph,
    operation: getOperationAST(parse((JSON.parse(c.body) as { query: string }).query))?.operation,
    headers: c.headers,
  }));
  return { headers, body };
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
