import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents } from '../subgraphs/consent/tables.js';
import { holders } from '../subgraphs/driver/tables.js';
import { portalLinks, signatureCertificates } from '../subgraphs/portal-link/tables.js';
import { gql, startTestGraph, type TestGraph } from './support/graph.js';

const HOLDERS = readFileSync(new URL('../schema/operations/Holders.graphql', import.meta.url), 'utf8');
const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');
const admin = { role: 'NPA_ADMIN' as const };
const idOf = (i: number) => `22222222-2222-4222-8222-${String(i).padStart(12, '0')}`;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
  // 500 holders with M1, M2 and a consent each, written straight into each subgraph's own tables.
  const n = 500;
  const at = new Date('2025-05-01T10:00:00+09:00');
  await graph.dbs.driver.insert(holders).values(
    Array.from({ length: n }, (_, i) => ({
      id: idOf(i), licenseNumber: String(400000000000 + i), name: `試験 ${i}`, birthDate: '1990-01-01',
      address: '東京都千代田区1-1', honseki: '東京都千代田区1番', residencePrefecture: '13', cards: ['MYNA_LICENSE'],
    })),
  );
  await graph.dbs['portal-link'].insert(signatureCertificates).values(
    Array.from({ length: n }, (_, i) => ({
      holderId: idOf(i), serialNumber: `S-${i}`, issuer: 'CN=test', notBefore: at, notAfter: new Date('2029-01-01T00:00:00Z'),
      faceMatched: true, cardValid: true, addressMatched: true, submittedBy: 'test', submittedAt: at,
    })),
  );
  await graph.dbs['portal-link'].insert(portalLinks).values(
    Array.from({ length: n }, (_, i) => ({ holderId: idOf(i), pseudonym: `pseudonym-${String(i).padStart(6, '0')}`, certificateSerial: `S-${i}`, linkedAt: at })),
  );
  await graph.dbs.consent.insert(consents).values(
    Array.from({ length: n }, (_, i) => ({
      holderId: idOf(i), items: ['ADDRESS'], channel: 'CENTER', termsVersion: 't1', consentedAt: at, expiresOn: '2035-05-01',
      certificateSerial: `S-${i}`, certificateNotAfter: new Date('2029-01-01T00:00:00Z'),
    })),
  );
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
    expect(many.response.data.holders.every((h: { eligibility: { addressOneStop: { eligible: boolean } } }) => h.eligibility.addressOneStop.eligible)).toBe(true);
    expect(many.counts).toEqual(one.counts);
    // driver: the holder, then the holder again for the eligibility entity call; consent: 1; portal-link: 2 tables.
    expect(one.counts).toEqual({ driver: 2, consent: 1, 'portal-link': 2 });
  });
});
