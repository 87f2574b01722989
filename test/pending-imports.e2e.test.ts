import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, TEST_NOW, type Caller, type TestGraph } from './support/graph.js';
import { renewal } from './support/jlis.js';

const op = (f: string) => readFileSync(new URL(`../schema/operations/${f}.graphql`, import.meta.url), 'utf8');
const INGEST = op('IngestJlisNotifications');
const APPLY = op('ApplyDueRecordImports');
const REGISTER_CHANGE = op('RegisterRecordChange');
const SEARCH = op('RecordImports');
const CHANGE_CARDS = op('ChangeCards');
const REVOKE = op('RevokeAddressOneStopConsent');
const feed: Caller = { role: 'JLIS_FEED', purpose: 'SYSTEM' };
const service: Caller = { role: 'SERVICE', purpose: 'SYSTEM' };
const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'IMPORT_CORRECTION' };
const counter: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
const admin: Caller = { role: 'NPA_ADMIN' };

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

type Import = {
  id: string;
  item: string;
  newValue: string;
  status: string;
  failureReason: string | null;
  failureMessage: string | null;
  holder: { id: string };
};
const ingest = async (input: object[]) => {
  const r = await gql(graph.gatewayUrl, feed, INGEST, { input });
  expect(r.errors).toBeUndefined();
  return r.data.ingestJlisNotifications.results.map((x: { outcome: string; reason: string | null }) => [x.outcome, x.reason]);
};
const applyDue = async () => (await gql(graph.gatewayUrl, service, APPLY, { limit: 100 })).data.applyDueRecordImports;
/** 取込状況検索 as staff see it (R-IMP-2): this holder's imports of this value. */
const search = async (n: number, newValue: string): Promise<Import[]> => {
  const r = await gql(graph.gatewayUrl, admin, SEARCH, { filter: {}, first: 100 });
  return r.data.recordImports.edges.map((e: { node: Import }) => e.node).filter((i: Import) => i.holder.id === demoId(n) && i.newValue === newValue);
};
const record = async (n: number) => (await gql(graph.gatewayUrl, admin, `{holder(id:"${demoId(n)}"){address name birthDate}}`)).data.holder;
const byHand = async (n: number, item: string, value: string) => {
  const r = await gql(graph.gatewayUrl, clerk, REGISTER_CHANGE, { input: { holderId: demoId(n), item, value } });
  expect(r.data.registerRecordChange.userErrors).toEqual([]);
};

describe('R-IMP-3: a pending import is applied on its effective day only if it still may be', () => {
  it('R-IMP-3: a change registered by hand after the filing supersedes the pending import at once; the due run leaves it (R-IMP-2)', async () => {
    graph.clock.set(TEST_NOW);
    // Holder 1 files a new address on 04-01; J-LIS delivers it the same day: pending until 04-03.
    expect(await ingest([renewal('J-100001', 1, { address: '東京都港区六本木1-1-1', filedOn: '2026-04-01' })])).toEqual([['SCHEDULED', null]]);
    expect((await search(1, '東京都港区六本木1-1-1'))[0]).toMatchObject({ status: 'PENDING' });
    // The holder comes to the counter the same day; staff register the address by hand.
    await byHand(1, 'ADDRESS', '東京都港区六本木1-1-2');
    const [ended] = await search(1, '東京都港区六本木1-1-1');
    expect(ended).toMatchObject({ status: 'SUPERSEDED', failureReason: 'SUPERSEDED_BY_MANUAL_CHANGE' });
    expect(ended!.failureMessage).toBe('届出の後に住所の記載事項変更の登録がされたため、この取込みは反映しませんでした。');
    const superseded = await gql(graph.gatewayUrl, clerk, SEARCH, { filter: { status: 'SUPERSEDED' } });
    expect(superseded.data.recordImports.edges.map((e: { node: Import }) => e.node.id)).toEqual([ended!.id]);
    graph.clock.set('2026-04-03T00:00:01+09:00');
    expect(await applyDue()).toMatchObject({ applied: 0, ended: 0 });
    expect((await record(1)).address).toBe('東京都港区六本木1-1-2');
  });

  it('R-IMP-3: a change filed after the hand change is not superseded by it', async () => {
    graph.clock.set('2026-04-03T09:00:00+09:00');
    expect(await ingest([renewal('J-100002', 1, { previousSerial: 'AB100001', address: '東京都港区赤坂1-1-1', filedOn: '2026-04-02' })])).toEqual([
      ['SCHEDULED', null],
    ]);
    graph.clock.set('2026-04-04T00:00:01+09:00');
    expect(await applyDue()).toMatchObject({ applied: 1, ended: 0 });
    expect((await record(1)).address).toBe('東京都港区赤坂1-1-1');
  });

  it('R-IMP-3: an import filed before a hand change but delivered after it is superseded on its effective day, or at once when already due', async () => {
    graph.clock.set('2026-04-01T09:00:00+09:00');
    await byHand(4, 'ADDRESS', '東京都世田谷区北沢1-1-1');
    await byHand(4, 'NAME', '高橋 和美');
    // J-LIS reports filings made before: the address filed 03-31 (due 04-02), the name filed 03-30 (due today).
    expect(await ingest([renewal('J-100003', 4, { address: '東京都世田谷区北沢2-2-2', filedOn: '2026-03-31' })])).toEqual([['SCHEDULED', null]]);
    expect(await ingest([renewal('J-100004', 4, { previousSerial: 'AB100003', name: '高橋 和代', filedOn: '2026-03-30' })])).toEqual([
      ['SKIPPED', 'SUPERSEDED_BY_MANUAL_CHANGE'],
    ]);
    expect((await search(4, '高橋 和代'))[0]).toMatchObject({ status: 'SUPERSEDED' });
    graph.clock.set('2026-04-02T00:00:01+09:00');
    expect(await applyDue()).toMatchObject({ applied: 0, ended: 1 });
    expect((await search(4, '東京都世田谷区北沢2-2-2'))[0]).toMatchObject({ status: 'SUPERSEDED', failureReason: 'SUPERSEDED_BY_MANUAL_CHANGE' });
    expect(await record(4)).toMatchObject({ address: '東京都世田谷区北沢1-1-1', name: '高橋 和美' });
  });

  it('R-IMP-3: a holder who gained a plastic card before the effective day is NOT_ELIGIBLE (R-CARD-2); nothing changes', async () => {
    graph.clock.set(TEST_NOW);
    expect(await ingest([renewal('J-100005', 12, { address: '大阪府大阪市北区梅田2-2-2', filedOn: '2026-04-01' })])).toEqual([['SCHEDULED', null]]);
    const cards = await gql(graph.gatewayUrl, admin, CHANGE_CARDS, { input: { holderId: demoId(12), cards: ['LICENSE_CARD', 'MYNA_LICENSE'] } });
    expect(cards.data.changeCards.userErrors).toEqual([]);
    graph.clock.set('2026-04-03T00:00:01+09:00');
    expect(await applyDue()).toMatchObject({ applied: 0, ended: 1 });
    const [ended] = await search(12, '大阪府大阪市北区梅田2-2-2');
    expect(ended).toMatchObject({ status: 'CANCELLED', failureReason: 'NOT_ELIGIBLE' });
    expect(ended!.failureMessage).toContain('住所地公安委員会への届出が必要です');
    expect((await record(12)).address).toBe('大阪府大阪市中央区大手前2丁目');
  });

  it('R-IMP-3: a consent revoked after the filing stops the pending import: CONSENT_REVOKED', async () => {
    graph.clock.set(TEST_NOW);
    expect(await ingest([renewal('J-100006', 10, { address: '東京都調布市国領町1-1-1', filedOn: '2026-04-01' })])).toEqual([['SCHEDULED', null]]);
    const revoked = await gql(graph.gatewayUrl, counter, REVOKE, { input: { holderId: demoId(10) } });
    expect(revoked.data.revokeAddressOneStopConsent.userErrors).toEqual([]);
    graph.clock.set('2026-04-03T00:00:01+09:00');
    expect(await applyDue()).toMatchObject({ applied: 0, ended: 1 });
    const [ended] = await search(10, '東京都調布市国領町1-1-1');
    expect(ended).toMatchObject({ status: 'CANCELLED', failureReason: 'CONSENT_REVOKED' });
    expect(ended!.failureMessage).toBe('届出の後に住所変更ワンストップサービス等の同意が撤回されたため、住所の取込みは反映しませんでした。');
    expect((await record(10)).address).toBe('東京都調布市小島町2-35-1');
  });
});

describe('R-ONE-5: the consent is judged on the filing day', () => {
  // Holder 9's consent was given 2015-01-05: its last valid day is 2025-01-05 (民法: the day of the grant not counted).
  it("R-ONE-5: a change filed on the consent's last valid day and delivered the next day is scheduled, and applied after the consent lapsed (R-IMP-3)", async () => {
    graph.clock.set('2025-01-06T10:00:00+09:00');
    expect(await ingest([renewal('J-100007', 9, { address: '東京都府中市府中町1-1-1', filedOn: '2025-01-05' })])).toEqual([['SCHEDULED', null]]);
    expect((await search(9, '東京都府中市府中町1-1-1'))[0]).toMatchObject({ status: 'PENDING' });
    graph.clock.set('2025-01-07T00:00:01+09:00');
    expect(await applyDue()).toMatchObject({ applied: 1, ended: 0 });
    expect((await record(9)).address).toBe('東京都府中市府中町1-1-1');
  });

  it('R-ONE-5: a change filed the day after the last valid day is skipped as CONSENT_EXPIRED', async () => {
    graph.clock.set('2025-01-07T10:00:00+09:00');
    expect(await ingest([renewal('J-100008', 9, { previousSerial: 'AB100007', address: '東京都府中市府中町2-2-2', filedOn: '2025-01-06' })])).toEqual([
      ['SKIPPED', 'CONSENT_EXPIRED'],
    ]);
    expect(await search(9, '東京都府中市府中町2-2-2')).toEqual([]);
    graph.clock.set(TEST_NOW);
  });
});
