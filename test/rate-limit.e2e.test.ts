import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type Caller, type TestGraph } from './support/graph.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ env: { HOLDER_READ_LIMIT: '3', HOLDER_READ_WINDOW_S: '600' } });
});
afterAll(async () => {
  await graph?.close();
});

const read = (caller: Caller, n: number) => gql(graph.gatewayUrl, caller, `{holder(id:"${demoId(n)}"){name}}`);
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('a per-identity limit on distinct holders read stops bulk harvesting', () => {
  it('the fourth distinct holder in the window is RATE_LIMITED; holders already read still answer; others are unaffected', async () => {
    const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', subject: 'clerk-harvest' };
    for (const n of [1, 3, 4]) expect((await read(clerk, n)).data.holder.name).toBeTruthy();
    const fourth = await read(clerk, 5);
    expect(fourth.data.holder).toBeNull();
    expect(codes(fourth)).toEqual(['RATE_LIMITED']);
    expect(fourth.errors![0]!.message).not.toMatch(/\d/);
    expect((await read(clerk, 1)).data.holder.name).toBe('山田 太郎');
    const batch = await gql(graph.gatewayUrl, clerk, 'query($ids:[ID!]!){holders(ids:$ids){id}}', { ids: [demoId(6), demoId(7)] });
    expect(batch.data.holders).toEqual([null, null]);
    expect(codes(batch)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    const colleague = await read({ role: 'COUNTER_STAFF', prefecture: '13', subject: 'clerk-other' }, 5);
    expect(colleague.data.holder.name).toBeTruthy();
  });

  it('after the window the identity reads again', async () => {
    const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', subject: 'clerk-window' };
    for (const n of [1, 3, 4]) await read(clerk, n);
    expect(codes(await read(clerk, 5))).toEqual(['RATE_LIMITED']);
    graph.clock.advanceDays(11 / 24 / 60);
    expect((await read(clerk, 5)).data.holder.name).toBeTruthy();
  });
});
