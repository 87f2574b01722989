import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTracing, shutdownTracing } from '../lib/platform/tracing.js';
import { demoId, DEMO_HOLDERS } from '../seeds/demo-holders.js';
import { headersFor, startTestGraph, type TestGraph } from './support/graph.js';

const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string } }[];
}

/** An OTLP/HTTP collector of the test's own: keeps every exported body as it arrived. */
let collector: Server;
const bodies: string[] = [];
let graph: TestGraph;
beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  await initTracing(`http://127.0.0.1:${(collector.address() as { port: number }).port}`, 'renkei-test');
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
  await shutdownTracing();
  collector?.close();
});

const attr = (s: OtlpSpan, key: string) => s.attributes.find((a) => a.key === key)?.value.stringValue;

describe('OpenTelemetry traces (R-INQ-1 still: no personal values)', () => {
  it('one trace runs from the caller through the gateway into every subgraph', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const headers = await headersFor({ role: 'SUPERVISOR', prefecture: '13', purpose: 'HOLDER_INQUIRY', verification: 'MYNA_CARD_FACE' });
    const res = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpan}-01`, ...headers },
      body: JSON.stringify({ query: HOLDER_CARD, variables: { id: demoId(1) } }),
    });
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    await shutdownTracing(); // flushes what is buffered

    const spans = bodies.flatMap((b) =>
      (JSON.parse(b) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );
    const trace = spans.filter((s) => s.traceId === traceId);
    const gateway = trace.find((s) => attr(s, 'renkei.service') === 'gateway' && s.kind === 2)!;
    expect(gateway.parentSpanId).toBe(callerSpan);
    expect(attr(gateway, 'graphql.operation.name')).toBe('HolderCard');
    for (const name of ['driver', 'consent', 'portal-link']) {
      expect(trace.some((s) => attr(s, 'renkei.subgraph') === name && s.kind === 3)).toBe(true);
      const server = trace.filter((s) => attr(s, 'renkei.service') === `subgraph-${name}`);
      expect(server.length).toBeGreaterThan(0);
      for (const s of server) expect(s.parentSpanId).toBe(gateway.spanId);
    }
    const all = bodies.join('\n');
    expect(all).not.toContain(demoId(1));
    for (const h of DEMO_HOLDERS) expect(all).not.toContain(h.name);
  });
});
