import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type Caller, type TestGraph } from './support/graph.js';

const op = (f: string) => readFileSync(new URL(`../schema/operations/${f}.graphql`, import.meta.url), 'utf8');
const SCHEDULE = op('ScheduleRecordImports');
const APPLY = op('ApplyDueRecordImports');
const REGISTER_CHANGE = op('RegisterRecordChange');
const SEARCH = op('RecordImports');
const service: Caller = { role: 'SERVICE', purpose: 'SYSTEM' };
const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'IMPORT_CORRECTION' };
const admin: Caller = { role: 'NPA_ADMIN' };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const schedule = async (input: object[]) => (await gql(graph.gatewayUrl, service, SCHEDULE, { input })).data.scheduleRecordImports;
const record = async (n: number) => (await gql(graph.gatewayUrl, admin, `{holder(id:"${demoId(n)}"){address name birthDate honseki}}`)).data.holder;
const item = (n: number, over: object) => ({
  holderId: demoId(n),
  item: 'ADDRESS',
  newValue: '東京都千代田区永田町1-7-1',
  source: 'ADDRESS_ONE_STOP',
  sourceRef: `T-${Math.random()}`,
  filedOn: '2026-03-30',
  effectiveOn: '2026-04-01',
  ...over,
});

describe('R-IMP-1: every scheduled change is an import with a status', () => {
  it('R-IMP-1: a future change is PENDING and leaves the record; a due one is written at once', async () => {
    const r = await schedule([
      item(1, { sourceRef: 'J-100', effectiveOn: '2026-04-03' }),
      item(1, { sourceRef: 'J-101', item: 'NAME', newValue: '山田 太朗' }),
    ]);
    expect(r.results.map((x: { outcome: string }) => x.outcome)).toEqual(['SCHEDULED', 'APPLIED']);
    expect(r.results[0].recordImport).toMatchObject({ status: 'PENDING', effectiveOn: '2026-04-03' });
    expect(await record(1)).toMatchObject({ name: '山田 太朗', address: '東京都千代田区霞が関2-1-2' });
  });

  it('R-IMP-1: an address over the maximum and a character outside JIS X 0208 fail with that reason; the record is untouched', async () => {
    const r = await schedule([
      item(7, { sourceRef: 'J-200', newValue: '東'.repeat(61) }),
      item(7, { sourceRef: 'J-201', item: 'NAME', newValue: '髙橋 美咲' }),
    ]);
    expect(r.results.map((x: { recordImport: { failureReason: string } }) => x.recordImport.failureReason)).toEqual([
      'ADDRESS_TOO_LONG',
      'CHARACTER_NOT_IN_JIS_X_0208',
    ]);
    expect(await record(7)).toMatchObject({ name: '渡辺 美咲', address: '東京都町田市森野2-2-22' });
  });

  it('R-ONE-5: an item equal to the record is NO_CHANGE; R-ONE-7: a replayed sourceRef is DUPLICATE and changes nothing', async () => {
    const same = await schedule([item(8, { sourceRef: 'J-300', newValue: '東京都立川市泉町1156-9' })]);
    expect(same.results[0].outcome).toBe('NO_CHANGE');
    const first = await schedule([item(8, { sourceRef: 'J-301', effectiveOn: '2026-05-01' })]);
    const again = await schedule([item(8, { sourceRef: 'J-301', effectiveOn: '2026-05-01', newValue: 'other' })]);
    expect(again.results[0].outcome).toBe('DUPLICATE');
    expect(again.results[0].recordImport.id).toBe(first.results[0].recordImport.id);
  });

  it('R-CARD-2: a holder who also holds a plastic card gets NOT_ELIGIBLE for address one-stop changes', async () => {
    const r = await schedule([item(2, { sourceRef: 'J-400' })]);
    expect(r.results[0].outcome).toBe('NOT_ELIGIBLE');
  });

  it('only the service identity schedules', async () => {
    const r = await gql(graph.gatewayUrl, clerk, SCHEDULE, { input: [item(1, {})] });
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const empty = await schedule([]);
    expect(empty.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_INPUT']);
  });

  it('R-IMP-1: due imports are applied on schedule, each once, even with workers racing', async () => {
    await schedule([item(9, { sourceRef: 'J-500', effectiveOn: '2026-04-10', newValue: '東京都府中市寿町1-5-1' })]);
    graph.clock.set('2026-04-10T00:00:01+09:00');
    const runs = await Promise.all([1, 2, 3].map(() => gql(graph.gatewayUrl, service, APPLY, { limit: 100 })));
    const applied = runs.reduce((n, r) => n + r.data.applyDueRecordImports.applied, 0);
    // J-100 (due 04-03), J-301 stays pending (05-01), J-500 (due 04-10), and the Osaka demo import is due in 2030.
    expect(applied).toBe(2);
    expect((await record(9)).address).toBe('東京都府中市寿町1-5-1');
    const again = await gql(graph.gatewayUrl, service, APPLY, { limit: 100 });
    expect(again.data.applyDueRecordImports.applied).toBe(0);
    graph.clock.set('2026-04-01T09:00:00+09:00');
  });
});

describe('R-IMP-2: search imports and resolve failed ones by hand', () => {
  it('R-IMP-2: staff search by status, prefecture and effective date, a page at a time; their own prefecture only', async () => {
    const failed = await gql(graph.gatewayUrl, clerk, SEARCH, { filter: { status: 'FAILED' }, first: 1 });
    const first = failed.data.recordImports;
    expect(first.edges).toHaveLength(1);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = await gql(graph.gatewayUrl, clerk, SEARCH, { filter: { status: 'FAILED' }, first: 10, after: first.pageInfo.endCursor });
    const all = [...first.edges, ...next.data.recordImports.edges].map((e: { node: { holder: { residencePrefecture: string } } }) => e.node);
    expect(all.every((n: { status?: string; holder: { residencePrefecture: string } }) => n.holder.residencePrefecture === '13')).toBe(true);
    expect(all.length).toBe(3); // the demo failure and the two above
    const osaka = await gql(graph.gatewayUrl, clerk, SEARCH, { filter: { prefecture: '27' } });
    expect(osaka.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    const byDate = await gql(graph.gatewayUrl, admin, SEARCH, { filter: { effectiveFrom: '2030-01-01', effectiveTo: '2030-12-31' } });
    expect(byDate.data.recordImports.edges.map((e: { node: { holder: { id: string } } }) => e.node.holder.id)).toEqual([demoId(12)]);
  });

  it('R-IMP-2: registering the change by hand resolves the failed import; a non-failed import cannot be resolved', async () => {
    const failed = await gql(graph.gatewayUrl, clerk, SEARCH, { filter: { status: 'FAILED' }, first: 10 });
    const tooLong = failed.data.recordImports.edges.find(
      (e: { node: { failureReason: string; holder: { id: string } } }) => e.node.holder.id === demoId(7) && e.node.failureReason === 'ADDRESS_TOO_LONG',
    ).node;
    const refused = await gql(graph.gatewayUrl, clerk, REGISTER_CHANGE, {
      input: { holderId: demoId(7), item: 'NAME', value: '渡辺 美咲', resolvesImportId: tooLong.id },
    });
    expect(refused.data.registerRecordChange.userErrors.map((e: { code: string }) => e.code)).toEqual(['IMPORT_NOT_RESOLVABLE']);
    const r = await gql(graph.gatewayUrl, clerk, REGISTER_CHANGE, {
      input: { holderId: demoId(7), item: 'ADDRESS', value: '東京都町田市原町田1-1-1', resolvesImportId: tooLong.id },
    });
    expect(r.data.registerRecordChange.userErrors).toEqual([]);
    expect(r.data.registerRecordChange.holder.address).toBe('東京都町田市原町田1-1-1');
    const resolved = r.data.registerRecordChange.holder.recordImports.find((i: { id: string }) => i.id === tooLong.id);
    expect(resolved.status).toBe('RESOLVED');
    expect(resolved.resolvedAt).toBeTruthy();
    // 髙 may be entered by hand (the 代替文字 table knows it); a character neither JIS X 0208 nor the table holds may not.
    const bad = await gql(graph.gatewayUrl, clerk, REGISTER_CHANGE, { input: { holderId: demoId(7), item: 'NAME', value: '渡辺 😀' } });
    expect(bad.data.registerRecordChange.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_INPUT']);
    expect((await record(7)).name).toBe('渡辺 美咲');
  });
});
