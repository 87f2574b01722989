import { HoldersDocument } from '../lib/domain/generated/operations.js';
import { bulkId } from '../seeds/bulk-holders.js';
import { clientHeaders } from './support/access.js';
import { operationBody, productionRun } from './support/documents.js';
import { graphqlPost, meanOfRounds, roundOrder, runLoad, type LoadResult } from './support/load.js';
import { fixed, jsonLine, table } from './support/report.js';
import { addSince, describeCalls, subgraphTimes, type SubgraphTimes } from './support/subgraph-times.js';
import type { BenchSubgraphs, GatewayReady } from './support/stack.js';

export const BATCH_SIZES = [1, 50, 500] as const;
/** Two pairs of mirrored rounds (1 50 500, 500 50 1, …). */
const ROUNDS = 4;

/**
 * Benchmark 3: `holders` with 1, 50 and 500 ids through our gateway. The SQL statements per request must not grow
 * with the ids (one DataLoader batch per entity per subgraph request); latency is taken one request at a time,
 * the mean of four mirrored rounds' p50.
 */
export async function batchBench(subgraphs: BenchSubgraphs, ours: GatewayReady, seconds: number) {
  const headers = await clientHeaders();
  const holders = operationBody(HoldersDocument, { trusted: productionRun() });
  const rows: { ids: number; statements: number; bySubgraph: Record<string, number>; calls: string; p50: number; p99: number }[] = [];
  const request = (n: number) =>
    graphqlPost(ours.url, headers, holders({ ids: Array.from({ length: n }, (_, i) => bulkId(i)) }), (json) => {
      const got = (json as { data: { holders: unknown[] } }).data.holders.length;
      if (got !== n) throw new Error(`holders(${n} ids) answered ${got}`);
    });
  // Every size warmed before any is measured, then measured in mirrored rounds so drift hits every size alike.
  const sizes = BATCH_SIZES.map((n) => ({
    n,
    once: request(n),
    rounds: [] as LoadResult[],
    bySubgraph: {} as Record<string, number>,
    times: new Map() as SubgraphTimes,
  }));
  for (const s of sizes) await runLoad(s.once, { connections: 1, seconds: 2 });
  for (const s of sizes) {
    await subgraphs.statements();
    await s.once();
    s.bySubgraph = await subgraphs.statements();
  }
  // Where a request's time goes: each subgraph call as the gateway timed it, read from its /metrics around each round.
  for (let i = 0; i < ROUNDS; i++) {
    for (const s of roundOrder(sizes, i)) {
      const before = await subgraphTimes(ours.url);
      s.rounds.push(await runLoad(s.once, { connections: 1, seconds: seconds / ROUNDS }));
      addSince(s.times, before, await subgraphTimes(ours.url));
    }
  }
  for (const s of sizes) {
    const r = meanOfRounds(s.rounds);
    const calls = describeCalls(
      s.times,
      s.rounds.reduce((a, x) => a + x.requests, 0),
    );
    rows.push({ ids: s.n, statements: Object.values(s.bySubgraph).reduce((a, b) => a + b, 0), bySubgraph: s.bySubgraph, calls, p50: r.p50, p99: r.p99 });
  }
  const ratio = rows.at(-1)!.p50 / rows[0]!.p50;
  table(
    `3. Batch — holders(ids) through our gateway, one request at a time, database ${subgraphs.database}`,
    ['ids', 'SQL statements / request', 'per subgraph', 'subgraph calls / request × mean time', 'p50 ms', 'p99 ms'],
    rows.map((r) => [
      r.ids,
      r.statements,
      Object.entries(r.bySubgraph)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      r.calls,
      r.p50.toFixed(1),
      r.p99.toFixed(1),
    ]),
  );
  jsonLine('batch', {
    database: subgraphs.database,
    statements: Object.fromEntries(rows.map((r) => [r.ids, r.statements])),
    p50: Object.fromEntries(rows.map((r) => [r.ids, fixed(r.p50)])),
    p50Ratio500to1: fixed(ratio, 2),
    target: 10,
  });
}
