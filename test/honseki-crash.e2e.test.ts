import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFamilyRegisterSimulator, type RunningSimulator } from '../simulators/family-register.js';
import { gql, startTestGraph, TEST_NOW, type Caller, type TestGraph } from './support/graph.js';
import { demoId } from '../seeds/demo-holders.js';
import { startScript } from '../devkit/processes.js';

const SUBMIT = readFileSync(new URL('../schema/operations/SubmitHonsekiIdentifierCode.graphql', import.meta.url), 'utf8');
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const admin: Caller = { role: 'NPA_ADMIN' };
const yamada = { name: '山田 太郎', birthDate: '1980-01-02' }; // demo holder 1: linked, マイナ免許証のみ
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let graph: TestGraph;
let registry: RunningSimulator;
beforeAll(async () => {
  graph = await startTestGraph();
  registry = await startFamilyRegisterSimulator({ port: 0, clock: graph.clock });
});
afterAll(async () => {
  await registry?.stop();
  await graph?.close();
});

const requests = async () =>
  (await gql(graph.gatewayUrl, admin, `{holder(id:"${demoId(1)}"){honseki honsekiChangeRequests{id status failureReason}}}`)).data.holder as {
    honseki: string;
    honsekiChangeRequests: { id: string; status: string; failureReason: string | null }[];
  };
const imports = async () =>
  (await gql(graph.gatewayUrl, admin, `{holder(id:"${demoId(1)}"){recordImports{source newValue status}}}`)).data.holder.recordImports as {
    source: string;
    newValue: string;
    status: string;
  }[];

/** The 本籍 worker as its own process, as `workers/main.ts` runs in production. */
const startWorker = () =>
  startScript('workers/main.ts', ['--honseki-every', '20'], {
    NODE_ENV: 'test',
    APP_NOW: TEST_NOW,
    GATEWAY_URL: graph.gatewayUrl,
    FAMILY_REGISTER_URL: registry.url,
  });

describe('R-HON-2: the 本籍 worker killed at random points', () => {
  it('killed again and again, then run to the end, every request is applied exactly once', async () => {
    const submitted = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      const code = String(2000000000000000 + i);
      const honseki = `東京都杉並区${i + 1}番`;
      registry.issue(code, { ...yamada, honseki, issuedOn: '2026-03-30' });
      const r = (await gql(graph.gatewayUrl, portal, SUBMIT, { input: { pseudonym: 'demo-pseudonym-0001', identifierCode: code } })).data
        .submitHonsekiIdentifierCode;
      submitted.set(r.request.id, honseki);
    }
    // Bounded: three kills, each a random time after the worker started (the times are in the failure message).
    const after = Array.from({ length: 3 }, () => 20 + Math.floor(Math.random() * 400));
    for (const ms of after) {
      const worker = await startWorker();
      await sleep(ms);
      worker.child.kill('SIGKILL');
      await new Promise((r) => worker.child.once('exit', r));
      // A request the dead worker held comes back when its lease (two minutes) runs out.
      graph.clock.advanceDays(3 / 24 / 60);
    }
    const worker = await startWorker();
    for (let i = 0; i < 200 && (await requests()).honsekiChangeRequests.some((r) => submitted.has(r.id) && r.status !== 'APPLIED'); i++) await sleep(100);
    await worker.stop();
    graph.clock.set(TEST_NOW);

    const state = await requests();
    const mine = state.honsekiChangeRequests.filter((r) => submitted.has(r.id));
    expect(
      mine.map((r) => r.status),
      `kills after ${after.join(', ')} ms`,
    ).toEqual(['APPLIED', 'APPLIED', 'APPLIED', 'APPLIED']);
    // One import per request, each applied once, with the 本籍 that request's certificate carried.
    const honsekiImports = (await imports()).filter((i) => i.source === 'HONSEKI_ONLINE' && [...submitted.values()].includes(i.newValue));
    expect(honsekiImports.map((i) => `${i.newValue} ${i.status}`).sort()).toEqual([...submitted.values()].map((h) => `${h} APPLIED`).sort());
    expect([...submitted.values()]).toContain(state.honseki);
  }, 120_000);
});
