import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkId as idOf, insertBulkHolders } from '../seeds/bulk-holders.js';
import { gql, startTestGraph, type TestGraph } from './support/graph.js';

const HOLDERS = readFileSync(new URL('../schema/operations/Holders.graphql', import.meta.url), 'utf8');
const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');
const admin = { role: 'NPA_ADMIN' as const };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
  await insertBulkHolders(graph, 500);
});
afterAll(async () => {
  await graph?.close();
});

/** Statements per subgraph for one request through the serving gateway. */
async function statementsFor(query: string, variables: Record<string, unknown>) {
  for (const c of Object.values(graph.counters)) c.reset();
  const r = await gql(graph.gatewayUrl, admin, query, variables);
  expect(r.errors).toBeUndefined();
  return { response: r, counts: Object.fromEntries(Object.entries(graph.counters).map(([k, c]) => [k, c.reset()])) };
}

describe('one statement per entity type per request (DataLoader)', () => {
  it('holders(500 ids) sends the same SQL statements as holder(id), subgraph by subgraph', async () => {
    const one = await statementsFor(HOLDER_CARD, { id: idOf(0) });
    const many = await statementsFor(HOLDERS, { ids: Array.from({ length: 500 }, (_, i) => idOf(i)) });
    expect(many.response.data.holders).toHaveLength(500);
    expect(many.response.data.holders[499].addressOneStopConsent.status).toBe('ACTIVE');
    expect(many.response.data.holders.every((h: { eligibility: { addressOneStop: { eligible: boolean } } }) => h.eligibility.addressOneStop.eligible)).toBe(
      true,
    );
    expect(many.counts).toEqual(one.counts);
    // Per subgraph request: its reads plus one INSERT appending to the access log (R-INQ-1). driver: the holder,
    // the holder again for the eligibility entity call, 2 × 1; consent: the consent, 1; portal-link: two tables, 1.
    expect(one.counts).toEqual({ driver: 4, consent: 2, 'portal-link': 3 });
  });
});
