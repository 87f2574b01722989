import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimHonsekiRequestsDocument } from '../lib/domain/generated/operations.js';
import { createGraphClient, serviceHeaders } from '../lib/platform/graph-client.js';
import { serviceTokenSource } from '../lib/platform/identity/service-token.js';
import { parseConfig } from '../lib/platform/config.js';
import { demoId } from '../seeds/demo-holders.js';
import { startFamilyRegisterSimulator, type RunningSimulator } from '../simulators/family-register.js';
import { createFamilyRegisterClient } from '../workers/family-register-client.js';
import { processHonsekiRequests } from '../workers/honseki-worker.js';
import { gql, startTestGraph, TEST_NOW, type Caller, type TestGraph } from './support/graph.js';

const SUBMIT = readFileSync(new URL('../schema/operations/SubmitHonsekiIdentifierCode.graphql', import.meta.url), 'utf8');
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const admin: Caller = { role: 'NPA_ADMIN' };
const yamada = { name: '山田 太郎', birthDate: '1980-01-02' }; // demo holder 1: linked, マイナ免許証のみ

let graph: TestGraph;
let registry: RunningSimulator;
let work: () => ReturnType<typeof processHonsekiRequests>;
let n = 0;
const code = () => String(1000000000000000 + ++n);

beforeAll(async () => {
  graph = await startTestGraph();
  registry = await startFamilyRegisterSimulator({ port: 0, clock: graph.clock });
  const client = createGraphClient(() => graph.gatewayUrl);
  const token = serviceTokenSource(parseConfig({ NODE_ENV: 'test' }));
  const fr = createFamilyRegisterClient({ baseUrl: () => registry.url, timeoutMs: 300, attempts: 2 });
  work = () => processHonsekiRequests({ graph: client, headers: () => serviceHeaders(token), registry: fr, clock: graph.clock });
});
afterAll(async () => {
  await registry?.stop();
  await graph?.close();
});

const submit = async (pseudonym: string, identifierCode: string) =>
  (await gql(graph.gatewayUrl, portal, SUBMIT, { input: { pseudonym, identifierCode } })).data.submitHonsekiIdentifierCode;
const holder = async (id: string) =>
  (await gql(graph.gatewayUrl, admin, `{holder(id:"${id}"){honseki honsekiChangeRequests{id status failureReason completedAt}}}`)).data.holder;
const requestOf = async (id: string, requestId: string) => (await holder(id)).honsekiChangeRequests.find((r: { id: string }) => r.id === requestId);

describe('R-HON-1: who may submit an identifier code', () => {
  it('R-HON-1: a code is 16 digits', async () => {
    const r = await submit('demo-pseudonym-0001', '123456789012345');
    expect(r.userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field.join('.')])).toEqual([['INVALID_INPUT', 'input.identifierCode']]);
  });
  it('R-HON-1: only for a linked holder eligible under R-ELIG-2', async () => {
    expect((await submit('pseudonym-nobody-xx', code())).userErrors[0].code).toBe('PORTAL_NOT_LINKED');
    expect((await submit('demo-pseudonym-0002', code())).userErrors[0].code).toBe('HOLDS_LICENSE_CARD');
  });
  it('R-HON-1: only Myna Portal submits codes', async () => {
    const r = await gql(graph.gatewayUrl, { role: 'COUNTER_STAFF', prefecture: '13' }, SUBMIT, {
      input: { pseudonym: 'demo-pseudonym-0001', identifierCode: code() },
    });
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('R-HON-2: the worker fetches the certificate and changes the 本籍', () => {
  it('R-HON-2: received → applied, with the new 本籍 in the record', async () => {
    const c = code();
    registry.issue(c, { ...yamada, honseki: '東京都港区芝公園四丁目2番', issuedOn: '2026-03-25' });
    const r = await submit('demo-pseudonym-0001', c);
    expect(r.request.status).toBe('RECEIVED');
    const again = await submit('demo-pseudonym-0001', c);
    expect(again.request.id).toBe(r.request.id);
    const done = await work();
    expect(done.outcomes).toEqual({ APPLIED: 1 });
    const h = await holder(demoId(1));
    expect(h.honseki).toBe('東京都港区芝公園四丁目2番');
    expect(await requestOf(demoId(1), r.request.id)).toMatchObject({ status: 'APPLIED', failureReason: null });
  });

  it.each([
    ['INVALID_CODE', null],
    ['CODE_EXPIRED', { ...yamada, honseki: '東京都中央区1番', issuedOn: '2025-12-31' }],
    ['PERSON_MISMATCH', { name: '山田 花子', birthDate: '1980-01-02', honseki: '東京都中央区1番', issuedOn: '2026-03-25' }],
  ])('R-HON-2: %s fails the request with that reason and leaves the 本籍', async (reason, cert) => {
    const c = code();
    if (cert) registry.issue(c, cert as never);
    const before = (await holder(demoId(1))).honseki;
    const r = await submit('demo-pseudonym-0001', c);
    await work();
    expect(await requestOf(demoId(1), r.request.id)).toMatchObject({ status: 'FAILED', failureReason: reason });
    expect((await holder(demoId(1))).honseki).toBe(before);
  });

  it('R-HON-2: an unavailable registry is retried, not lost; it applies once the registry answers', async () => {
    const c = code();
    registry.issue(c, { ...yamada, honseki: '東京都品川区1番', issuedOn: '2026-03-30' });
    const r = await submit('demo-pseudonym-0001', c);
    // The adapter tries twice per run: two hung calls, then two refused ones, then the registry answers.
    registry.fail(2, 'hang');
    await work();
    expect(await requestOf(demoId(1), r.request.id)).toMatchObject({ status: 'FETCHING', failureReason: 'REGISTRY_UNAVAILABLE' });
    expect((await work()).claimed).toBe(0); // not due again yet
    registry.fail(2, '503');
    graph.clock.advanceDays(1 / 24 / 60); // 1 minute: the first retry is due after 30 s
    await work();
    expect(await requestOf(demoId(1), r.request.id)).toMatchObject({ status: 'FETCHING' });
    graph.clock.advanceDays(2 / 24 / 60);
    expect((await work()).outcomes).toEqual({ APPLIED: 1 });
    expect((await holder(demoId(1))).honseki).toBe('東京都品川区1番');
    graph.clock.set(TEST_NOW);
  });

  it('R-HON-2: a worker that crashed after claiming leaves the request to be taken again when its lease ends', async () => {
    const c = code();
    registry.issue(c, { ...yamada, honseki: '東京都目黒区1番', issuedOn: '2026-03-30' });
    const r = await submit('demo-pseudonym-0001', c);
    const token = serviceTokenSource(parseConfig({ NODE_ENV: 'test' }));
    const crashed = await createGraphClient(() => graph.gatewayUrl).request(ClaimHonsekiRequestsDocument, { limit: 10 }, await serviceHeaders(token));
    expect(crashed.data?.claimHonsekiRequests.requests.map((x) => x.id)).toEqual([r.request.id]);
    expect((await work()).claimed).toBe(0);
    graph.clock.advanceDays(3 / 24 / 60);
    expect((await work()).outcomes).toEqual({ APPLIED: 1 });
    graph.clock.set(TEST_NOW);
  });

  it('R-HON-2: workers racing never take one request twice', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const c = code();
      registry.issue(c, { ...yamada, honseki: `東京都大田区${i + 1}番`, issuedOn: '2026-03-30' });
      ids.push((await submit('demo-pseudonym-0001', c)).request.id);
    }
    const runs = await Promise.all([work(), work(), work()]);
    expect(runs.reduce((s, x) => s + x.claimed, 0)).toBe(6);
    for (const id of ids) expect((await requestOf(demoId(1), id)).status).toBe('APPLIED');
  });

  it('R-HON-3: the counter procedure alone never changes the 本籍', async () => {
    const before = await holder(demoId(7));
    const M1 = `mutation($input: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $input) { userErrors { code } } }`;
    const { certFor } = await import('./support/certificates.js');
    const cert = await certFor(graph.ca, { name: '渡辺 美咲', birthDate: '1995-02-14' });
    const r = await gql(graph.gatewayUrl, { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' }, M1, {
      input: { holderId: demoId(7), certificatePem: cert.certPem, checks: { faceMatched: true, cardValid: true, addressMatched: true } },
    });
    expect(r.data.submitSignatureCertificate.userErrors).toEqual([]);
    expect(await holder(demoId(7))).toEqual(before);
  });
});
