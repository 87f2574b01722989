import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHiveGateway } from '../gateway/hive-gateway.js';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type TestGraph, testGatewayOptions } from './support/graph.js';

const CARD = `query($id: ID!) { holder(id: $id) { name holdingForm
  eligibility { honsekiOnlineChange { eligible reasons { code } } addressOneStop { eligible reasons { code } items { item autoUpdate } } }
  portalLink { linkedAt } addressOneStopConsent { status } } }`;
const supervisor = { role: 'SUPERVISOR' as const, prefecture: '13' };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const card = () => gql(graph.gatewayUrl, supervisor, CARD, { id: demoId(1) });
const codes = (rs: { code: string }[]) => rs.map((r) => r.code);

describe('a subgraph down', () => {
  it('the consent subgraph down: the card answers from the others, consent unknown (not "no consent"), no internals named; back up without a restart', async () => {
    await graph.stopSubgraph('consent');
    const r = await card();
    expect(r.status).toBe(200);
    expect(r.data.holder.name).toBe('山田 太郎');
    expect(r.data.holder.portalLink.linkedAt).toBeTruthy();
    expect(r.data.holder.addressOneStopConsent).toBeNull();
    expect(codes(r.data.holder.eligibility.addressOneStop.reasons)).toEqual(['STATE_UNAVAILABLE']);
    expect(r.data.holder.eligibility.honsekiOnlineChange.eligible).toBe(true);
    expect(r.errors!.map((e) => e.extensions?.code)).toEqual(expect.arrayContaining(['SERVICE_UNAVAILABLE']));
    expect(JSON.stringify(r.errors)).not.toMatch(/consent|ECONNREFUSED|127\.0\.0\.1|serviceName|_entities/);

    await graph.restartSubgraph('consent');
    const back = await card();
    expect(back.errors).toBeUndefined();
    expect(back.data.holder.addressOneStopConsent.status).toBe('ACTIVE');
    expect(back.data.holder.eligibility.addressOneStop.eligible).toBe(true);
  });

  it('the portal-link subgraph down: 本籍 online change is unknown, not "not linked"', async () => {
    await graph.stopSubgraph('portal-link');
    const r = await card();
    expect(r.data.holder.name).toBe('山田 太郎');
    expect(codes(r.data.holder.eligibility.honsekiOnlineChange.reasons)).toEqual(['STATE_UNAVAILABLE']);
    expect(r.data.holder.addressOneStopConsent.status).toBe('ACTIVE');
    await graph.restartSubgraph('portal-link');
    expect((await card()).data.holder.eligibility.honsekiOnlineChange.eligible).toBe(true);
  });
});

/** A stand-in for a subgraph that takes requests and answers as `handler` does (or never). */
async function fakeSubgraph(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** The production gateway engine over the test graph, one subgraph replaced, with a 300 ms subgraph timeout. */
async function gatewayWith(replaced: Record<string, string>) {
  return startHiveGateway({ ...(await testGatewayOptions({ ...graph.subgraphUrls, ...replaced })), subgraphTimeoutMs: 300 });
}

/** The card answered from the driver and portal-link with the consent subgraph unanswered. */
async function expectCardWithoutConsent(gatewayUrl: string) {
  const r = await gql(gatewayUrl, supervisor, CARD, { id: demoId(1) });
  expect(r.status).toBe(200);
  expect(r.data.holder.name).toBe('山田 太郎');
  expect(codes(r.data.holder.eligibility.addressOneStop.reasons)).toEqual(['STATE_UNAVAILABLE']);
  expect(r.errors!.map((e) => e.extensions?.code)).toContain('SERVICE_UNAVAILABLE');
}

describe('a subgraph that does not answer', () => {
  it('times out per subgraph, a query is tried once more, and the card still answers from the others', async () => {
    let attempts = 0;
    const tokens: string[] = [];
    const silent = await fakeSubgraph((req) => {
      attempts++;
      tokens.push(req.headers.authorization ?? 'none');
    });
    try {
      const gateway = await gatewayWith({ consent: silent.url });
      try {
        await expectCardWithoutConsent(gateway.url);
        expect(attempts).toBe(2);
        // The retry carries the subgraph token as the first attempt did.
        expect(tokens[0]).toMatch(/^Bearer \S+$/);
        expect(tokens[1]).toBe(tokens[0]);
      } finally {
        await gateway.stop();
      }
      // A mutation whose subgraph does not answer is not sent again: it may have run.
      attempts = 0;
      const writer = await gatewayWith({ driver: silent.url });
      try {
        const m = await gql(
          writer.url,
          { ...supervisor, purpose: 'COUNTER_PROCEDURE' },
          `mutation { changeCards(input: { holderId: "${demoId(3)}", cards: [LICENSE_CARD] }) { userErrors { code } } }`,
        );
        expect(m.errors!.map((e) => e.extensions?.code)).toContain('SERVICE_UNAVAILABLE');
        expect(attempts).toBe(1);
      } finally {
        await writer.stop();
      }
    } finally {
      silent.close();
    }
  });

  it('times out an answer that stops half-way through its body, as one that never starts', async () => {
    let attempts = 0;
    const stalling = await fakeSubgraph((_req, res) => {
      attempts++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":{"_entities":[');
    });
    const gateway = await gatewayWith({ consent: stalling.url });
    try {
      // Without a timeout on the body this request would wait for ever (the test's own timeout).
      await expectCardWithoutConsent(gateway.url);
      expect(attempts).toBe(2);
    } finally {
      await gateway.stop();
      stalling.close();
    }
  });
});
