import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HolderCardDocument } from '../lib/domain/generated/operations.js';
import * as operations from '../lib/domain/generated/operations.js';
import { createGraphClient } from '../lib/platform/graph-client.js';
import { demoId } from '../seeds/demo-holders.js';
import { gql, headersFor, startTestGraph, type Caller, type TestGraph } from './support/graph.js';
import { startScript } from '../devkit/processes.js';

const admin: Caller = { role: 'NPA_ADMIN' };
const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');
const trusted = JSON.parse(readFileSync(new URL('../schema/trusted-documents.json', import.meta.url), 'utf8')) as Record<string, string>;

let graph: TestGraph;
let production: string;
let stopProduction: () => Promise<void>;
beforeAll(async () => {
  graph = await startTestGraph();
  // The production gateway runs as its own Node process, exactly as it is deployed.
  const p = await startScript('gateway/main.ts', ['--engine', 'hive', '--production', JSON.stringify(graph.subgraphUrls)]);
  production = p.ready.url;
  stopProduction = p.stop;
});
afterAll(async () => {
  await stopProduction?.();
  await graph?.close();
});

const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('request limits at the gateway', () => {
  it.each([
    ['aliases', `{${Array.from({ length: 16 }, (_, i) => `a${i}: holder(id:"${demoId(1)}"){name}`).join(' ')}}`],
    ['cost', `{recordImports(filter:{}, first: 1000){edges{node{id holder{name address honseki}}}}}`],
  ])('%s over the limit is refused on both engines without naming the limit', async (_what, query) => {
    for (const url of [graph.gatewayUrl, graph.oracleUrl]) {
      const r = await gql(url, admin, query);
      expect(r.status).toBe(400);
      expect(codes(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(r.errors![0]!.message).toContain('too large or too complex');
      expect(r.errors![0]!.message).not.toMatch(/\d/);
    }
  });

  it('a document nested past the depth limit is refused', async () => {
    // Depth 11 through the fragment-free path holder → eligibility → … is impossible in this schema, so nest a
    // recordImports → holder → recordImports chain instead.
    let sel = 'id';
    for (let i = 0; i < 6; i++) sel = `recordImports { holder { ${sel} } }`;
    const r = await gql(graph.gatewayUrl, admin, `{holder(id:"${demoId(1)}"){ ${sel} }}`);
    expect(codes(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(r.errors![0]!.message).not.toMatch(/\d/);
  });

  it('a document of too many tokens is refused before it is validated', async () => {
    const fields = Array.from({ length: 2100 }, () => 'name').join(' ');
    const r = await gql(graph.gatewayUrl, admin, `{holder(id:"${demoId(1)}"){ ${fields} }}`);
    expect(r.status).toBe(400);
    expect(r.errors![0]!.message).toContain('too large or too complex');
  });

  it('HTTP batching is off', async () => {
    const res = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: await headersFor(admin),
      body: JSON.stringify([{ query: '{__typename}' }, { query: '{__typename}' }]),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('every operation of schema/operations is within the limits', async () => {
    for (const text of Object.values(trusted)) {
      const r = await gql(graph.gatewayUrl, admin, text, {});
      expect(codes(r)).not.toContain('GRAPHQL_VALIDATION_FAILED');
    }
  });
});

describe('production mode', () => {
  const hashOf = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const holderCardKey = Object.keys(trusted).find((k) => trusted[k]!.startsWith('query HolderCard('))!;

  const send = async (body: object, caller: Caller = admin) => {
    const res = await fetch(production, { method: 'POST', headers: await headersFor(caller), body: JSON.stringify(body) });
    return { status: res.status, ...((await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }) };
  };

  it('runs a trusted document named by its hash, and refuses any other document', async () => {
    const ok = await send({ documentId: `sha256:${holderCardKey}`, variables: { id: demoId(1) } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.holder.name).toBe('山田 太郎');
    const viaExtension = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: holderCardKey } }, variables: { id: demoId(1) } });
    expect(viaExtension.data.holder.name).toBe('山田 太郎');
    // Refused as the caller's mistake (400, a code of its own, what to send instead), not as an internal error.
    const adHoc = await send({ query: HOLDER_CARD, variables: { id: demoId(1) } });
    expect(adHoc.data?.holder).toBeUndefined();
    expect(adHoc.status).toBe(400);
    expect(codes(adHoc)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(adHoc.errors![0]!.message).toContain('documentId');
    const unknown = await send({ documentId: `sha256:${hashOf('{ holder(id: "x") { name } }')}` });
    expect(unknown.data?.holder).toBeUndefined();
    expect(unknown.status).toBe(400);
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const unnamed = await send({ variables: { id: demoId(1) } });
    expect(unnamed.status).toBe(400);
    expect(codes(unnamed)).toEqual(['PERSISTED_QUERY_ID_REQUIRED']);
  });

  it('serves the typed client of the workers and nested steps every operation by its id, and refuses the client that sends text', async () => {
    const headers = await headersFor(admin);
    const byId = createGraphClient(() => production, { trustedDocuments: true });
    const card = await byId.request(HolderCardDocument, { id: demoId(1) }, headers);
    expect(card.errors).toBeUndefined();
    expect(card.data?.holder?.name).toBe('山田 太郎');
    // Every generated document is known by its id: each passes the trusted-document check and is refused only
    // further on, because every variable is given a value of no type (so that no mutation runs).
    for (const [name, doc] of Object.entries(operations).filter(([n]) => n.endsWith('Document'))) {
      const definitions = (doc as DocumentNode).definitions.flatMap((d) => (d.kind === 'OperationDefinition' ? (d.variableDefinitions ?? []) : []));
      const unusable = Object.fromEntries(definitions.map((v) => [v.variable.name.value, { notAValue: true }]));
      const r = await byId.request(doc as never, unusable as never, headers);
      expect(new Set(codes(r)), name).toEqual(new Set(['INVALID_INPUT']));
    }
    const byText = await createGraphClient(() => production).request(HolderCardDocument, { id: demoId(1) }, headers);
    expect(codes(byText)).toEqual(['PERSISTED_QUERY_ONLY']);
  });

  it('answers no introspection, no field suggestions and no landing page', async () => {
    const page = await fetch(production, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('embeddable-sandbox');
    const dev = await gql(graph.gatewayUrl, admin, `{holder(id:"${demoId(1)}"){nme}}`);
    expect(dev.errors![0]!.message).toContain('Did you mean');
    for (const query of ['{__schema{types{name}}}', `{holder(id:"${demoId(1)}"){nme}}`]) {
      const r = await send({ query });
      expect(r.data ?? null).toBeNull();
      expect(JSON.stringify(r)).not.toMatch(/Did you mean|__Schema|"types"|stack/);
    }
  });
});
