import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient, serviceHeaders } from '../lib/platform/graph-client.js';
import { serviceTokenSource } from '../lib/platform/identity/service-token.js';
import { parseConfig } from '../lib/platform/config.js';
import { startFamilyRegisterSimulator, type RunningSimulator } from '../simulators/family-register.js';
import { createFamilyRegisterClient } from '../workers/family-register-client.js';
import { processHonsekiRequests } from '../workers/honseki-worker.js';
import { gql, startTestGraph, TEST_NOW, type Caller, type TestGraph } from './support/graph.js';
import { linkedHolder } from './support/holders.js';

/**
 * R-HON-2 at its edges, walked as Myna Portal, the 本籍 worker and the family register system do it, with the worker
 * going through each gateway engine in turn: 代替文字 in the 戸籍, a name J-LIS has just changed, an older 戸籍電子証明書
 * after a newer one, and the identifier code's 3 months on their last and first days.
 */
const op = (f: string) => readFileSync(new URL(`../schema/operations/${f}.graphql`, import.meta.url), 'utf8');
const SUBMIT = op('SubmitHonsekiIdentifierCode');
const SCHEDULE = op('ScheduleRecordImports');
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const service: Caller = { role: 'SERVICE', purpose: 'SYSTEM' };
const admin: Caller = { role: 'NPA_ADMIN' };
const ENGINES = ['hive', 'apollo'] as const;

let graph: TestGraph;
let registry: RunningSimulator;
let work: (engine?: (typeof ENGINES)[number]) => ReturnType<typeof processHonsekiRequests>;
let n = 0;
const code = () => String(2000000000000000 + ++n);

beforeAll(async () => {
  graph = await startTestGraph();
  registry = await startFamilyRegisterSimulator({ port: 0, clock: graph.clock });
  const token = serviceTokenSource(parseConfig({ NODE_ENV: 'test' }));
  const fr = createFamilyRegisterClient({ baseUrl: () => registry.url, timeoutMs: 300, attempts: 2 });
  work = (engine = 'hive') =>
    processHonsekiRequests({
      graph: createGraphClient(() => (engine === 'hive' ? graph.gatewayUrl : graph.oracleUrl)),
      headers: () => serviceHeaders(token),
      registry: fr,
      clock: graph.clock,
    });
});
afterEach(() => graph.clock.set(TEST_NOW));
afterAll(async () => {
  await registry?.stop();
  await graph?.close();
});

const submit = async (pseudonym: string, identifierCode: string) =>
  (await gql(graph.gatewayUrl, portal, SUBMIT, { input: { pseudonym, identifierCode } })).data.submitHonsekiIdentifierCode.request;
const holder = async (id: string) =>
  (await gql(graph.gatewayUrl, admin, `{holder(id:"${id}"){name honseki honsekiChangeRequests{id status failureReason}}}`)).data.holder;
const requestOf = async (id: string, requestId: string) => (await holder(id)).honsekiChangeRequests.find((r: { id: string }) => r.id === requestId);
/** Myna Portal submits a code the municipality issued for this 戸籍, and the worker runs once. */
async function changeHonseki(
  h: { id: string; pseudonym: string },
  koseki: { name: string; birthDate: string; honseki: string; issuedOn: string },
  engine: (typeof ENGINES)[number] = 'hive',
) {
  const c = code();
  registry.issue(c, koseki);
  const request = await submit(h.pseudonym, c);
  await work(engine);
  return requestOf(h.id, request.id);
}

describe('R-HON-2 with R-CHAR-1: the 戸籍 and the record write the name differently', () => {
  it.each(ENGINES)('R-CHAR-1: a record holding 髙橋 takes the 本籍 of a 戸籍電子証明書 that writes 高橋 (%s)', async (engine) => {
    const person = { name: `髙橋 一郎${engine === 'hive' ? '' : '太'}`, birthDate: '1970-07-07' };
    const h = await linkedHolder(graph, person, { certificateName: person.name.replace('髙', '高'), pseudonym: `pseudonym-hon-takahashi-${engine}` });
    const r = await changeHonseki(
      h,
      { ...person, name: person.name.replace('髙', '高'), honseki: '東京都港区六本木一丁目1番', issuedOn: '2026-03-25' },
      engine,
    );
    expect(r).toMatchObject({ status: 'APPLIED', failureReason: null });
    expect(await holder(h.id)).toMatchObject({ name: person.name, honseki: '東京都港区六本木一丁目1番' });
  });

  it('R-HON-2: a 戸籍 of another name is still PERSON_MISMATCH', async () => {
    const person = { name: '髙野 二郎', birthDate: '1971-01-01' };
    const h = await linkedHolder(graph, person, { certificateName: '高野 二郎', pseudonym: 'pseudonym-hon-takano' });
    const r = await changeHonseki(h, { ...person, name: '高野 三郎', honseki: '東京都港区六本木二丁目1番', issuedOn: '2026-03-25' });
    expect(r).toMatchObject({ status: 'FAILED', failureReason: 'PERSON_MISMATCH' });
    expect((await holder(h.id)).honseki).toBe('東京都千代田区丸の内一丁目1番');
  });
});

describe('R-HON-2: a name J-LIS has just changed', () => {
  it.each(ENGINES)(
    'R-HON-2: after marriage, with the NAME import pending for two more days, a 戸籍 carrying the new name is the same person (%s)',
    async (engine) => {
      const person = { name: `佐藤 花子${engine === 'hive' ? '' : '子'}`, birthDate: '1988-08-08' };
      const married = `鈴木 花子${engine === 'hive' ? '' : '子'}`;
      const h = await linkedHolder(graph, person, { pseudonym: `pseudonym-hon-married-${engine}` });
      // What the consent subgraph schedules from J-LIS's notification of the new certificate: filed today, effective in 2 days.
      const scheduled = await gql(graph.gatewayUrl, service, SCHEDULE, {
        input: [
          {
            holderId: h.id,
            item: 'NAME',
            newValue: married,
            source: 'ADDRESS_ONE_STOP',
            sourceRef: `J-married-${engine}`,
            filedOn: '2026-04-01',
            effectiveOn: '2026-04-03',
          },
        ],
      });
      expect(scheduled.data.scheduleRecordImports.results[0].outcome).toBe('SCHEDULED');
      const r = await changeHonseki(
        h,
        { name: married, birthDate: person.birthDate, honseki: '神奈川県横浜市中区日本大通1番', issuedOn: '2026-03-31' },
        engine,
      );
      expect(r).toMatchObject({ status: 'APPLIED', failureReason: null });
      expect(await holder(h.id)).toMatchObject({ name: person.name, honseki: '神奈川県横浜市中区日本大通1番' });
    },
  );
});

describe('R-HON-2: an older 戸籍電子証明書 never undoes a newer 本籍', () => {
  it.each(ENGINES)('R-HON-2: a code for a 戸籍 issued before the one last applied fails STALE_CERTIFICATE and the 本籍 stays (%s)', async (engine) => {
    const person = { name: `古川 順${engine === 'hive' ? '一' : '二'}`, birthDate: '1966-06-06' };
    const h = await linkedHolder(graph, person, { pseudonym: `pseudonym-hon-stale-${engine}` });
    expect(await changeHonseki(h, { ...person, honseki: '京都府京都市新しい1番', issuedOn: '2026-03-20' }, engine)).toMatchObject({ status: 'APPLIED' });
    const stale = await changeHonseki(h, { ...person, honseki: '京都府京都市古い1番', issuedOn: '2026-03-10' }, engine);
    expect(stale).toMatchObject({ status: 'FAILED', failureReason: 'STALE_CERTIFICATE' });
    expect((await holder(h.id)).honseki).toBe('京都府京都市新しい1番');
    // A later 戸籍 still applies, and one of the same day as the last is not older.
    expect(await changeHonseki(h, { ...person, honseki: '京都府京都市次の1番', issuedOn: '2026-03-28' }, engine)).toMatchObject({ status: 'APPLIED' });
    expect(await changeHonseki(h, { ...person, honseki: '京都府京都市同日1番', issuedOn: '2026-03-28' }, engine)).toMatchObject({ status: 'APPLIED' });
    expect((await holder(h.id)).honseki).toBe('京都府京都市同日1番');
  });
});

describe('R-HON-2 and Time: the identifier code is valid 3 months by 民法第140条・第143条', () => {
  it.each(ENGINES)('R-HON-2: issued 2025-11-30: applied on 2026-02-28, CODE_EXPIRED from 2026-03-01 (%s)', async (engine) => {
    const person = { name: `月末 太郎${engine === 'hive' ? '' : '次'}`, birthDate: '1977-11-30' };
    const h = await linkedHolder(graph, person, { pseudonym: `pseudonym-hon-monthend-${engine}` });
    graph.clock.set('2026-02-28T23:59:00+09:00');
    expect(await changeHonseki(h, { ...person, honseki: '北海道札幌市中央区北1条1番', issuedOn: '2025-11-30' }, engine)).toMatchObject({ status: 'APPLIED' });
    graph.clock.set('2026-03-01T00:00:00+09:00');
    expect(await changeHonseki(h, { ...person, honseki: '北海道札幌市中央区北2条1番', issuedOn: '2025-11-30' }, engine)).toMatchObject({
      status: 'FAILED',
      failureReason: 'CODE_EXPIRED',
    });
    expect((await holder(h.id)).honseki).toBe('北海道札幌市中央区北1条1番');
  });

  it.each(ENGINES)('R-HON-2: issued 2026-01-15: applied on 2026-04-15, CODE_EXPIRED from 2026-04-16 (%s)', async (engine) => {
    const person = { name: `応当 花子${engine === 'hive' ? '' : '次'}`, birthDate: '1979-01-15' };
    const h = await linkedHolder(graph, person, { pseudonym: `pseudonym-hon-corresponding-${engine}` });
    graph.clock.set('2026-04-15T23:59:00+09:00');
    expect(await changeHonseki(h, { ...person, honseki: '福岡県福岡市中央区天神1番', issuedOn: '2026-01-15' }, engine)).toMatchObject({ status: 'APPLIED' });
    graph.clock.set('2026-04-16T00:00:00+09:00');
    expect(await changeHonseki(h, { ...person, honseki: '福岡県福岡市中央区天神2番', issuedOn: '2026-01-15' }, engine)).toMatchObject({
      status: 'FAILED',
      failureReason: 'CODE_EXPIRED',
    });
    expect((await holder(h.id)).honseki).toBe('福岡県福岡市中央区天神1番');
  });
});
