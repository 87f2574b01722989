import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../lib/platform/identity/tokens.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

/**
 * What an outside attack found answering 500: a variable nested thousands deep, and cursors made up to look like
 * ours. Each is a clear refusal now, on both engines, naming nothing of what was sent.
 */
let graph: TestGraph;
let headers: Record<string, string>;
beforeAll(async () => {
  graph = await startTestGraph();
  headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${await signDevToken({ role: 'NPA_ADMIN' })}`,
    'x-access-purpose': 'AUDIT',
  };
});
afterAll(async () => {
  await graph?.close();
});

const post = async (url: string, body: string) => {
  const r = await fetch(url, { method: 'POST', headers, body });
  return { status: r.status, body: (await r.json()) as { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown } };
};
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('security: hostile input the attack found answering 500', () => {
  it('a body nested 10,000 deep is refused at the edge, on both engines and at a subgraph', async () => {
    for (const url of [graph.gatewayUrl, graph.oracleUrl, graph.subgraphUrls.consent]) {
      const r = await post(url, `{"query":"query($v: String) { __typename }","variables":{"v":${nested(10_000)}}}`);
      expect(r.status, url).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code, url).toBe('BAD_REQUEST');
      expect(r.body.errors?.[0]?.message, url).toMatch(/nests deeper than 32/);
    }
    const get = await fetch(`${graph.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}&variables=${encodeURIComponent(`{"v":${nested(100)}}`)}`, {
      headers,
    });
    expect(get.status).toBe(400);
  });

  it.each([
    ['consentsExpiring', `query($a: String) { consentsExpiring(before: "2099-01-01", after: $a) { edges { cursor } } }`],
    ['recordImports', `query($a: String) { recordImports(filter: {}, after: $a) { edges { cursor } } }`],
  ])('%s: a made-up cursor (a date that is none, a uuid that is none) is INVALID_INPUT naming "after"', async (_name, query) => {
    for (const forged of [
      cursor(['2026-02-30', '11111111-1111-4111-8111-000000000001']),
      cursor(['2026-01-01', 'not-a-uuid']),
      cursor(['9'.repeat(400), 'x']),
    ]) {
      for (const url of [graph.gatewayUrl, graph.oracleUrl]) {
        const r = await post(url, JSON.stringify({ query, variables: { a: forged } }));
        expect(r.status, url).toBeLessThan(500);
        expect(r.body.errors?.[0]?.extensions?.code, url).toBe('INVALID_INPUT');
        expect(r.body.errors?.[0]?.message, url).toContain('"after"');
      }
    }
  });

  it('accessLog: a sequence number past bigint is INVALID_INPUT', async () => {
    const r = await post(
      graph.gatewayUrl,
      JSON.stringify({
        query: `query($h: ID!, $a: String) { accessLog(holderId: $h, after: $a) { edges { cursor } } }`,
        variables: { h: '11111111-1111-4111-8111-000000000001', a: cursor(['9'.repeat(30)]) },
      }),
    );
    expect(r.status).toBeLessThan(500);
    expect(JSON.stringify(r.body)).not.toContain('INTERNAL_SERVER_ERROR');
  });
});
