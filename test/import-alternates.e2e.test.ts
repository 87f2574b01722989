import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, japanDate } from '../lib/platform/japan-date.js';
import { gql, startTestGraph, TEST_NOW, type Caller, type TestGraph } from './support/graph.js';
import { registerHolder } from './support/holders.js';

/**
 * R-CHAR-1 in the driver: what J-LIS sends through the consent subgraph's scheduling step (scheduleRecordImports,
 * the service call it makes through the gateway) never replaces a record value by one that differs only by
 * 代替文字, and does not fail again on a value staff already resolved by hand. Each case runs on both engines.
 */
const op = (f: string) => readFileSync(new URL(`../schema/operations/${f}.graphql`, import.meta.url), 'utf8');
const SCHEDULE = op('ScheduleRecordImports');
const REGISTER_CHANGE = op('RegisterRecordChange');
const service: Caller = { role: 'SERVICE', purpose: 'SYSTEM' };
const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'IMPORT_CORRECTION' };
const admin: Caller = { role: 'NPA_ADMIN' };
const ENGINES = ['hive', 'apollo'] as const;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const urlOf = (engine: (typeof ENGINES)[number]) => (engine === 'hive' ? graph.gatewayUrl : graph.oracleUrl);
let ref = 0;
/** A J-LIS renewal's item as the consent subgraph schedules it: filed yesterday, due today, so applied at once. */
const renewal = async (engine: (typeof ENGINES)[number], holderId: string, item: string, newValue: string) => {
  const today = japanDate(graph.clock.now());
  return (
    await gql(urlOf(engine), service, SCHEDULE, {
      input: [{ holderId, item, newValue, source: 'ADDRESS_ONE_STOP', sourceRef: `J-alt-${engine}-${++ref}`, filedOn: addDays(today, -1), effectiveOn: today }],
    })
  ).data.scheduleRecordImports.results[0];
};
/** Days pass after a hand change, so that a filing comes after it (R-IMP-2: one filed before it is superseded). */
const daysLater = (days: number) => graph.clock.set(new Date(graph.clock.now().getTime() + days * 86_400_000).toISOString());
afterEach(() => graph.clock.set(TEST_NOW));
const record = async (id: string) => (await gql(graph.gatewayUrl, admin, `{holder(id:"${id}"){name address}}`)).data.holder;

describe('R-CHAR-1: an import that differs only by 代替文字 is NO_CHANGE', () => {
  it.each(ENGINES)('R-CHAR-1: J-LIS writes 高橋 for a record holding 髙橋: NO_CHANGE, the record keeps its character (%s)', async (engine) => {
    const name = `髙橋 美咲${engine === 'hive' ? '' : '子'}`;
    const id = await registerHolder(graph, { name, birthDate: '1995-02-14', address: '東京都町田市森野2-2-22' });
    const r = await renewal(engine, id, 'NAME', name.replace('髙', '高').replace(' ', '　'));
    expect(r).toMatchObject({ outcome: 'NO_CHANGE', recordImport: null });
    const address = await renewal(engine, id, 'ADDRESS', '東京都町田市森野２－２－２２');
    expect(address.outcome).toBe('NO_CHANGE');
    expect(await record(id)).toEqual({ name, address: '東京都町田市森野2-2-22' });
    // A real change still goes through.
    expect((await renewal(engine, id, 'NAME', name.replace('髙橋', '高田'))).outcome).toBe('APPLIED');
  });
});

describe('R-CHAR-1 and R-IMP-2: a failed import resolved by hand is not failed again by the same value', () => {
  it.each(ENGINES)('R-IMP-2: an address too long, resolved by staff with a shorter one, is NO_CHANGE at the next renewal carrying it (%s)', async (engine) => {
    const id = await registerHolder(graph, { name: `長住 所${engine === 'hive' ? '一' : '二'}`, birthDate: '1983-09-09', address: '東京都調布市小島町2-35-1' });
    const long = `東京都調布市小島町二丁目三十五番一号${'調布ハイツ北棟'.repeat(8)}`; // over MAX_ADDRESS_LENGTH (60)
    const failed = await renewal(engine, id, 'ADDRESS', long);
    expect(failed).toMatchObject({ outcome: 'FAILED', recordImport: { failureReason: 'ADDRESS_TOO_LONG' } });
    const resolved = await gql(urlOf(engine), clerk, REGISTER_CHANGE, {
      input: { holderId: id, item: 'ADDRESS', value: '東京都調布市小島町2-35-1-1203', resolvesImportId: failed.recordImport.id },
    });
    expect(resolved.data.registerRecordChange.userErrors).toEqual([]);

    daysLater(2);
    const next = await renewal(engine, id, 'ADDRESS', long);
    expect(next).toMatchObject({ outcome: 'NO_CHANGE', recordImport: null });
    expect((await record(id)).address).toBe('東京都調布市小島町2-35-1-1203');
    // Another address is a change again, and is judged on its own.
    expect((await renewal(engine, id, 'ADDRESS', `${long}別棟`)).recordImport.failureReason).toBe('ADDRESS_TOO_LONG');
  });

  it('R-IMP-2: once the record has changed since the resolution, the value it replaced is a change again', async () => {
    const id = await registerHolder(graph, { name: '長住 所三', birthDate: '1984-09-09', address: '東京都調布市小島町2-35-1' });
    const long = `東京都調布市小島町二丁目三十五番一号${'調布ハイツ南棟'.repeat(8)}`;
    const failed = await renewal('hive', id, 'ADDRESS', long);
    await gql(graph.gatewayUrl, clerk, REGISTER_CHANGE, {
      input: { holderId: id, item: 'ADDRESS', value: '東京都調布市小島町2-35-1-S1203', resolvesImportId: failed.recordImport.id },
    });
    daysLater(2);
    expect((await renewal('hive', id, 'ADDRESS', '東京都府中市宮西町2-24')).outcome).toBe('APPLIED');
    expect((await renewal('hive', id, 'ADDRESS', long)).recordImport.failureReason).toBe('ADDRESS_TOO_LONG');
  });
});
