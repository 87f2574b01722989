import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOLDERS, demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type TestGraph } from './support/graph.js';

const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');
const clerk = { role: 'SUPERVISOR' as const, prefecture: '13', purpose: 'HOLDER_INQUIRY' as const, verification: 'MYNA_CARD_FACE' };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
  for (let i = 0; i < 3; i++) await gql(graph.gatewayUrl, clerk, HOLDER_CARD, { id: demoId(1) });
  await gql(graph.gatewayUrl, clerk, '{ holder(id: "not-a-uuid") { name } }');
});
afterAll(async () => {
  await graph?.close();
});

const scrape = async (url: string) => {
  const res = await fetch(new URL('/metrics', url));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
};
const value = (text: string, series: RegExp) =>
  Number(
    text
      .split('\n')
      .find((l) => series.test(l))
      ?.split(' ')
      .at(-1) ?? NaN,
  );

describe('Prometheus /metrics', () => {
  it('the gateway counts requests by operation and outcome, and times each subgraph', async () => {
    const text = await scrape(graph.gatewayUrl);
    expect(value(text, /^renkei_requests_total\{.*operation="HolderCard",outcome="ok"/)).toBe(3);
    expect(value(text, /^renkei_requests_total\{.*operation="anonymous",outcome="error"/)).toBeGreaterThanOrEqual(1);
    expect(value(text, /^renkei_request_duration_seconds_count\{.*operation="HolderCard"/)).toBe(3);
    for (const s of ['driver', 'consent', 'portal-link']) {
      expect(value(text, new RegExp(`^renkei_subgraph_requests_total\\{.*subgraph="${s}",outcome="ok"`))).toBeGreaterThanOrEqual(3);
      expect(text).toMatch(new RegExp(`renkei_subgraph_request_duration_seconds_bucket\\{.*subgraph="${s}"`));
    }
    expect(text).toMatch(/^renkei_process_resident_memory_bytes/m);
  });

  it('each subgraph counts its requests and reports the depth of the work it owns', async () => {
    const driver = await scrape(graph.subgraphUrls.driver);
    expect(driver).toMatch(/renkei_requests_total\{.*service="subgraph-driver"/);
    expect(driver).toMatch(/^renkei_work_items\{.*queue="record_imports",state="PENDING".*\} \d+$/m);
    expect(driver).toMatch(/^renkei_work_items\{.*queue="record_imports",state="FAILED".*\} \d+$/m);
    expect(await scrape(graph.subgraphUrls.consent)).toMatch(/^renkei_work_items\{.*queue="record_change_outbox",state="UNDELIVERED".*\} \d+$/m);
    expect(await scrape(graph.subgraphUrls['portal-link'])).toMatch(/^renkei_work_items\{.*queue="honseki_change_requests",state="RECEIVED".*\} \d+$/m);
  });

  it('carries no personal values: no holder id, name or address in any label', async () => {
    const all = (await Promise.all([graph.gatewayUrl, ...Object.values(graph.subgraphUrls)].map(scrape))).join('\n');
    expect(all).not.toContain(demoId(1));
    for (const h of DEMO_HOLDERS) {
      expect(all).not.toContain(h.name);
      expect(all).not.toContain(h.address);
    }
  });
});

describe('/metrics with a scrape token (METRICS_TOKEN, required in production)', () => {
  const token = 'scrape-token-of-this-test-0123456789abcdef';
  let guarded: TestGraph;
  beforeAll(async () => {
    guarded = await startTestGraph({ env: { METRICS_TOKEN: token } });
  });
  afterAll(async () => {
    await guarded?.close();
  });

  it('every process, both gateway engines, answers a scrape only with the token; 401 naming what to send otherwise', async () => {
    const urls = [guarded.gatewayUrl, guarded.oracleUrl, ...Object.values(guarded.subgraphUrls)];
    for (const url of urls) {
      for (const authorization of [undefined, 'Bearer wrong-token-of-the-same-length-0123456789', `Bearer ${token}x`, token]) {
        const refused = await fetch(new URL('/metrics', url), { headers: authorization ? { authorization } : {} });
        expect(refused.status, `${url} ${authorization}`).toBe(401);
        expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
        const body = (await refused.json()) as { errors: { message: string; extensions: { code: string } }[] };
        expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
        expect(body.errors[0]!.message).toMatch(/METRICS_TOKEN/);
        expect(JSON.stringify(body)).not.toContain(token);
      }
      const res = await fetch(new URL('/metrics', url), { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, url).toBe(200);
      expect(await res.text()).toMatch(/^renkei_process_resident_memory_bytes/m);
      // The probes stay open: a load balancer's health check carries no token.
      expect((await fetch(new URL('/healthz', url))).status).toBe(200);
    }
  });
});
