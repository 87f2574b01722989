import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApolloGateway } from '../gateway/apollo-gateway.js';
import { startHiveGateway } from '../gateway/hive-gateway.js';
import { SUBGRAPH_MAX_BODY_BYTES, type RunningService } from '../lib/platform/subgraph-server.js';
import { demoId } from '../seeds/demo-holders.js';
import { gatewayHeadersFor, gql, headersFor, startTestGraph, type Caller, type GqlResponse, type TestGraph, testGatewayOptions } from './support/graph.js';

/** Long, so that a request that waited for it stands out from one slowed by a busy machine (the bound is half). */
const SUBGRAPH_TIMEOUT_MS = 15_000;
const admin: Caller = { role: 'NPA_ADMIN' };
const supervisor: Caller = { role: 'SUPERVISOR', prefecture: '13', subject: 'supervisor-13' };
const HOLDER_NAME = `{holder(id:"${demoId(1)}"){name}}`;
const REGISTER = 'mutation($input: RegisterHolderInput!) { registerHolder(input: $input) { holder { id } userErrors { code } } }';
const registerInput = (name: string) => ({
  licenseNumber: '309999999999',
  name,
  birthDate: '1990-01-01',
  address: '東京都千代田区1-1',
  honseki: '東京都千代田区1-1',
  residencePrefecture: '13',
  cards: ['MYNA_LICENSE'],
});

let graph: TestGraph;
/** Gateways whose own body limit is above the subgraphs', so that a body reaches a subgraph that refuses it. */
const lenient: Record<'hive' | 'apollo', RunningService> = {} as never;
const production: Record<'hive' | 'apollo', string> = {} as never;

beforeAll(async () => {
  graph = await startTestGraph({ env: { SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS), CORS_ALLOWED_ORIGINS: 'https://counter.example.jp' } });
  const opts = {
    ...(await testGatewayOptions(graph.subgraphUrls)),
    subgraphTimeoutMs: SUBGRAPH_TIMEOUT_MS,
    requests: { maxBodyBytes: 4 * SUBGRAPH_MAX_BODY_BYTES, maxVariables: 100, corsOrigins: [] },
  };
  lenient.hive = await startHiveGateway(opts);
  lenient.apollo = await startApolloGateway(opts);
  production.hive = await graph.addGateway('hive', { production: true });
  production.apollo = await graph.addGateway('apollo', { production: true });
});
afterAll(async () => {
  for (const g of Object.values(lenient)) await g?.stop();
  await graph?.close();
});

const engines = () =>
  [
    ['hive', graph.gatewayUrl],
    ['apollo', graph.oracleUrl],
  ] as const;
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

/** A raw POST: status, headers and the body as text (the test decides how to read it). */
async function post(url: string, body: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers, body: body as BodyInit });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The statements every subgraph sent since the last call: zero means the request reached no subgraph's database. */
const statements = () => Object.values(graph.counters).reduce((n, c) => n + c.reset(), 0);

describe('issue 15 item 3: one oversized request stalls no one', () => {
  it('security: a subgraph refuses a body over its limit with 413 and closes that connection at once', async () => {
    for (const [, url] of engines()) await gql(url, admin, HOLDER_NAME); // each gateway warm, its pool to the driver open
    const headers = await gatewayHeadersFor(supervisor, 'driver');
    const body = JSON.stringify({ query: REGISTER, variables: { input: registerInput('x'.repeat(2 * SUBGRAPH_MAX_BODY_BYTES)) } });
    const started = Date.now();
    const r = await post(graph.subgraphUrls.driver, body, headers);
    expect(Date.now() - started).toBeLessThan(SUBGRAPH_TIMEOUT_MS);
    expect(r.status).toBe(413);
    expect(r.headers.get('connection')).toBe('close');
    expect(codes(JSON.parse(r.text))).toEqual(['REQUEST_TOO_LARGE']);
    // Another caller through either gateway right after it: answered, and not after a timed-out first attempt.
    for (const [engine, url] of engines()) {
      const t = Date.now();
      const next = await gql(url, admin, HOLDER_NAME);
      expect(next.errors, engine).toBeUndefined();
      expect(Date.now() - t, engine).toBeLessThan(SUBGRAPH_TIMEOUT_MS / 2);
    }
  });

  it.each(['hive', 'apollo'] as const)(
    'security: %s — a body the gateway passes but the subgraph refuses leaves no connection that delays the next caller',
    async (engine) => {
      const url = lenient[engine].url;
      await gql(url, admin, HOLDER_NAME); // a pooled connection to the driver subgraph, which the refused body would take
      for (let i = 0; i < 3; i++) {
        const refused = await gql(url, supervisor, REGISTER, { input: registerInput('x'.repeat(2 * SUBGRAPH_MAX_BODY_BYTES)) });
        expect(refused.data?.registerHolder?.holder ?? null).toBeNull();
        const t = Date.now();
        const next = await gql(url, admin, HOLDER_NAME);
        expect(next.errors).toBeUndefined();
        expect(next.data.holder.name).toBe('山田 太郎');
        expect(Date.now() - t).toBeLessThan(SUBGRAPH_TIMEOUT_MS / 2);
      }
    },
    120_000,
  );

  it('security: the gateway refuses a body over GATEWAY_MAX_BODY_BYTES with 413 before parsing, passes nothing on, and the caller goes on', async () => {
    const huge = JSON.stringify({ query: REGISTER, variables: { input: registerInput('x'.repeat(600 * 1024)) } });
    const answers = [];
    for (const [engine, url] of engines()) {
      statements();
      const r = await post(url, huge, await headersFor(supervisor));
      expect(r.status, engine).toBe(413);
      expect(r.headers.get('connection'), engine).toBe('close');
      answers.push(JSON.parse(r.text));
      expect(statements(), engine).toBe(0);
      // The caller's next request is served (a new connection: the refused one was closed, not left half-read).
      expect((await gql(url, admin, HOLDER_NAME)).data.holder.name, engine).toBe('山田 太郎');
    }
    expect(answers[0]).toEqual({ errors: [{ message: 'the request body is too large', extensions: { code: 'REQUEST_TOO_LARGE' } }] });
    expect(answers[1]).toEqual(answers[0]);
    // In production too, where 10 MB passed before, and 200,000 unused variables with it.
    const unused = JSON.stringify({ query: HOLDER_NAME, variables: Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`v${i}`, i])) });
    for (const url of [production.hive, production.apollo]) {
      for (const body of [huge, unused, 'x'.repeat(10 * 1024 * 1024)]) {
        const r = await post(url, body, await headersFor(supervisor));
        expect(r.status, url).toBe(413);
        expect(JSON.parse(r.text), url).toEqual(answers[0]);
      }
    }
  });

  it('security: a body announced larger than the limit is refused before it is sent', async () => {
    for (const [engine, url] of engines()) {
      const { hostname, port } = new URL(url);
      const { connect } = await import('node:net');
      const socket = connect(Number(port), hostname);
      let received = '';
      socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      socket.write(`POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${100 * 1024 * 1024}\r\n\r\n{"query":`);
      await closed;
      expect(received.split('\r\n')[0], engine).toBe('HTTP/1.1 413 Payload Too Large');
    }
  });

  it('security: more variables than GATEWAY_MAX_VARIABLES are refused, unused ones too, on both engines alike', async () => {
    const variables = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, i]));
    const [served, oracle] = (await Promise.all(engines().map(([, url]) => gql(url, admin, HOLDER_NAME, variables)))) as [GqlResponse, GqlResponse];
    expect(served.status).toBe(400);
    expect(codes(served)).toEqual(['TOO_MANY_VARIABLES']);
    expect(oracle).toEqual(served);
    // The same in a GET's query string.
    for (const [engine, url] of engines()) {
      const res = await fetch(`${url}?query=${encodeURIComponent(HOLDER_NAME)}&variables=${encodeURIComponent(JSON.stringify(variables))}`, {
        headers: await headersFor(admin),
      });
      expect(res.status, engine).toBe(400);
      expect(codes((await res.json()) as never), engine).toEqual(['TOO_MANY_VARIABLES']);
    }
    // The operations' own few variables pass.
    expect((await gql(graph.gatewayUrl, admin, 'query($id: ID){holder(id:$id){name}}', { id: demoId(1) })).data.holder.name).toBe('山田 太郎');
  });
});

describe('issue 15 item 7: a malformed body, an unknown path or a foreign origin meets the same answer on both engines', () => {
  it.each([
    [
      'truncated JSON that holds a name',
      '{"query":"{holder(id:\\"x\\"){name}}","variables":{"name":"山田 太郎',
      400,
      'BAD_REQUEST',
      'the request body is not JSON',
    ],
    [
      'a JSON array (batching is off)',
      '[{"query":"{__typename}"}]',
      400,
      'BAD_REQUEST',
      'the request body must be one JSON object naming the operation (batching is off)',
    ],
    ['a JSON string', '"山田 太郎"', 400, 'BAD_REQUEST', 'the request body must be one JSON object naming the operation (batching is off)'],
    ['an empty body', '', 400, 'BAD_REQUEST', 'the request body is empty: send a JSON object naming the operation'],
  ])('security: %s is BAD_REQUEST with a fixed message, nothing echoed, nothing internal', async (_what, body, status, code, message) => {
    const answers = [];
    for (const [engine, url] of engines()) {
      const r = await post(url, body, await headersFor(admin));
      expect(r.status, engine).toBe(status);
      expect(r.text, engine).not.toMatch(/山田|originalError|stack|SyntaxError|Unexpected|position/);
      answers.push(JSON.parse(r.text));
    }
    expect(answers[0]).toEqual({ errors: [{ message, extensions: { code } }] });
    expect(answers[1]).toEqual(answers[0]);
  });

  it('security: a body that is not UTF-8 is refused, not re-sent with each bad byte tripled into U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('{"query":"{holder(id:\\"'), Buffer.from([0xff, 0xfe]), Buffer.from('\\"){name}}"}')]);
    for (const [engine, url] of engines()) {
      const r = await post(url, bytes, await headersFor(admin));
      expect(r.status, engine).toBe(400);
      expect(JSON.parse(r.text), engine).toEqual({ errors: [{ message: 'the request body is not UTF-8', extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('security: a POST body that is not declared JSON is 415 on both engines', async () => {
    for (const [engine, url] of engines()) {
      const r = await post(url, JSON.stringify({ query: HOLDER_NAME }), { ...(await headersFor(admin)), 'content-type': 'text/plain' });
      expect(r.status, engine).toBe(415);
      expect(codes(JSON.parse(r.text)), engine).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
    }
  });

  it('security: only /graphql exists — any other path is 404 before authentication, the probes and /metrics stay', async () => {
    const urls = [...engines().map(([, u]) => u), production.hive, production.apollo];
    for (const url of urls) {
      for (const path of ['/admin', '/graphql/', '/graphiql', '/.env', '/graphql2']) {
        for (const method of ['GET', 'POST']) {
          const res = await fetch(new URL(path, url), {
            method,
            headers: { 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: '{"query":"{__typename}"}' } : {}),
          });
          expect(res.status, `${method} ${path} at ${url}`).toBe(404);
          expect(codes((await res.json()) as never)).toEqual(['NOT_FOUND']);
        }
      }
      expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' })).status).toBe(401);
      for (const probe of ['/healthz', '/readyz', '/metrics']) expect((await fetch(new URL(probe, url))).status, probe).toBe(200);
    }
    // Development leads a browser from / to the landing page; production has nothing there.
    for (const [engine, url] of engines()) {
      const root = await fetch(new URL('/', url), { redirect: 'manual', headers: { accept: 'text/html' } });
      expect(root.status, engine).toBe(302);
      expect(root.headers.get('location'), engine).toBe('/graphql');
      const page = await fetch(url, { headers: { accept: 'text/html' } });
      const html = await page.text();
      expect(html.includes('Renkei GraphiQL'), engine).toBe(true);
    }
    for (const url of [production.hive, production.apollo])
      expect((await fetch(new URL('/', url), { redirect: 'manual', headers: { accept: 'text/html' } })).status).toBe(404);
  });

  it('security: CORS names back an allowed origin only, never with credentials, and answers preflights for it alone', async () => {
    for (const [engine, url] of engines()) {
      const allowed = await fetch(url, {
        method: 'POST',
        headers: { ...(await headersFor(admin)), origin: 'https://counter.example.jp' },
        body: JSON.stringify({ query: HOLDER_NAME }),
      });
      expect(allowed.headers.get('access-control-allow-origin'), engine).toBe('https://counter.example.jp');
      expect(allowed.headers.get('access-control-allow-credentials'), engine).toBeNull();
      expect(allowed.headers.get('vary')?.toLowerCase(), engine).toContain('origin');
      const foreign = await fetch(url, {
        method: 'POST',
        headers: { ...(await headersFor(admin)), origin: 'https://evil.example' },
        body: JSON.stringify({ query: HOLDER_NAME }),
      });
      expect(foreign.headers.get('access-control-allow-origin'), engine).toBeNull();
      expect(foreign.headers.get('access-control-allow-credentials'), engine).toBeNull();

      const preflight = (origin: string) =>
        fetch(url, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-access-purpose' },
        });
      const ok = await preflight('https://counter.example.jp');
      expect(ok.status, engine).toBe(204);
      expect(ok.headers.get('access-control-allow-origin'), engine).toBe('https://counter.example.jp');
      expect(ok.headers.get('access-control-allow-headers'), engine).toContain('x-access-purpose');
      expect(ok.headers.get('access-control-allow-credentials'), engine).toBeNull();
      const refused = await preflight('https://evil.example');
      expect(refused.status, engine).toBe(403);
      expect(refused.headers.get('access-control-allow-origin'), engine).toBeNull();
      expect(refused.headers.get('access-control-allow-methods'), engine).toBeNull();
    }
    // A gateway with no origin configured (production's default) names none back.
    for (const url of Object.values(lenient).map((g) => g.url)) {
      const r = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://counter.example.jp', 'access-control-request-method': 'POST' } });
      expect(r.status).toBe(403);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
