import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, startTestGraph, type Caller, type TestGraph } from './support/graph.js';

const REGISTER = readFileSync(new URL('../schema/operations/RegisterHolder.graphql', import.meta.url), 'utf8');
const supervisor: Caller = { role: 'SUPERVISOR', prefecture: '13', subject: 'sup-idem', purpose: 'COUNTER_PROCEDURE' };
const input = (licenseNumber: string) => ({
  licenseNumber, name: '冪等 太郎', birthDate: '1991-01-01', address: '東京都千代田区1-1', honseki: '東京都千代田区1番', residencePrefecture: '13', cards: ['MYNA_LICENSE'],
});

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
});
afterAll(async () => {
  await graph?.close();
});

describe('Idempotency-Key on mutations', () => {
  it('a retried mutation with the same key gets the stored answer and runs once; another payload is refused', async () => {
    for (const url of [graph.gatewayUrl, graph.oracleUrl]) {
      const key = `key-${url.length}-${Math.random()}`;
      const number = url === graph.gatewayUrl ? '311111111111' : '322222222222';
      const first = await gql(url, supervisor, REGISTER, { input: input(number) }, { 'idempotency-key': key });
      expect(first.data.registerHolder.userErrors).toEqual([]);
      const retry = await gql(url, supervisor, REGISTER, { input: input(number) }, { 'idempotency-key': key });
      expect(retry).toEqual(first);
      const other = await gql(url, supervisor, REGISTER, { input: input('399999999999') }, { 'idempotency-key': key });
      expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      const byNumber = await gql(url, { role: 'NPA_ADMIN' }, '{a: holder(licenseNumber:"399999999999"){id}}');
      expect(byNumber.data.a).toBeNull();
      // Without the key the same payload runs again, and is refused as a duplicate by the domain.
      const again = await gql(url, supervisor, REGISTER, { input: input(number) });
      expect(again.data.registerHolder.userErrors.map((e: { code: string }) => e.code)).toEqual(['LICENSE_NUMBER_TAKEN']);
    }
  });

  it('another caller using the same key is not given the first caller\'s answer', async () => {
    const key = 'shared-key-0001';
    const a = await gql(graph.gatewayUrl, supervisor, REGISTER, { input: input('333333333333') }, { 'idempotency-key': key });
    const b = await gql(graph.gatewayUrl, { ...supervisor, subject: 'sup-other' }, REGISTER, { input: input('344444444444') }, { 'idempotency-key': key });
    expect(a.data.registerHolder.holder.licenseNumber).toBe('333333333333');
    expect(b.data.registerHolder.holder.licenseNumber).toBe('344444444444');
  });
});
