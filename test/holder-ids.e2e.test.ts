import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { buildSchema, parse, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMIT_MESSAGE } from '../gateway/limits.js';
import { demoId } from '../seeds/demo-holders.js';
import { comparable, gatewayHeadersFor, gqlBoth, startTestGraph, type Caller, type TestGraph } from './support/graph.js';

const admin: Caller = { role: 'NPA_ADMIN' };
const API = buildSchema(readFileSync(new URL('../schema/api.graphql', import.meta.url), 'utf8'));

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const ids = (n: number) => Array.from({ length: n }, () => demoId(1));
const literal = (n: number) => JSON.stringify(ids(n));
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

/** Sent through both engines; the answers must agree. */
async function both(query: string, variables: Record<string, unknown> = {}) {
  const { served, oracle } = await gqlBoth(graph, admin, query, variables);
  expect(comparable(served)).toEqual(comparable(oracle));
  expect(served.status).toBe(oracle.status);
  return served;
}

describe('issue 15 item 7: the holders of one request are weighed together', () => {
  it('security: 15 aliases of 34 ids (510 in all) are refused naming ids, on both engines; 15 of 33 (495) are answered', async () => {
    const aliases = (per: number) =>
      `query($ids: [ID!]!) { ${Array.from({ length: 15 }, (_, i) => `a${i}: holders(ids: ${i % 2 ? '$ids' : literal(per)}) { id }`).join(' ')} }`;
    for (const c of Object.values(graph.counters)) c.reset();
    const refused = await both(aliases(34), { ids: ids(34) });
    // Refused at the gateway, before any subgraph read anything.
    expect(Object.values(graph.counters).reduce((n, c) => n + c.reset(), 0)).toBe(0);
    expect(refused.data ?? null).toBeNull();
    expect(codes(refused)).toEqual(['INVALID_INPUT']);
    expect(refused.errors![0]!.message).toContain('"ids"');
    const answered = await both(aliases(33), { ids: ids(33) });
    expect(answered.errors).toBeUndefined();
    expect(answered.data.a14).toHaveLength(33);
  });

  it('security: holder ids weigh in the cost limit, from a literal list or a variable alike', async () => {
    // Near the cost limit as graphql-armor counts it, however many ids: 100 imports with five fields of their holder.
    const query = (ids: string) => `query${ids === '$ids' ? '($ids: [ID!]!)' : ''} {
      recordImports(filter: {}, first: 100) { edges { node { id holder { name address honseki birthDate residencePrefecture } } } }
      holders(ids: ${ids}) { id }
    }`;
    const armorAccepts = (doc: string) =>
      validate(API, parse(doc), [costLimitRule({ maxCost: 5000, ignoreIntrospection: true, flattenFragments: true })]).length === 0;
    expect(armorAccepts(query('$ids'))).toBe(true);
    for (const [what, doc, variables] of [
      ['variable', query('$ids'), { ids: ids(300) }],
      ['literal', query(literal(300)), {}],
    ] as const) {
      const refused = await both(doc, variables);
      expect(refused.status, what).toBe(400);
      expect(codes(refused), what).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(refused.errors![0]!.message, what).toBe(LIMIT_MESSAGE);
    }
    const answered = await both(query('$ids'), { ids: ids(200) });
    expect(answered.errors).toBeUndefined();
    expect(answered.data.holders).toHaveLength(200);
  });

  it('security: the driver itself refuses more than 500 ids over one request (defence in depth)', async () => {
    const headers = await gatewayHeadersFor(admin, 'driver');
    const send = async (per: number) => {
      const res = await fetch(graph.subgraphUrls.driver, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: 'query($ids: [ID!]!) { a: holders(ids: $ids) { id } b: holders(ids: $ids) { id } }', variables: { ids: ids(per) } }),
      });
      return (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    };
    const refused = await send(300);
    expect(codes(refused)).toContain('INVALID_INPUT');
    expect(refused.errors!.find((e) => e.extensions?.code === 'INVALID_INPUT')!.message).toContain('"ids"');
    expect(refused.data ?? null).toBeNull();
    const answered = await send(250);
    expect(answered.errors).toBeUndefined();
    expect(answered.data.b).toHaveLength(250);
  });
});
