import { cardBodies } from './holder-card.js';
import { clientHeaders } from './support/access.js';
import { productionRun } from './support/documents.js';
import { graphqlPost, roundOrder, runLoad, type LoadResult, WARMUP_SECONDS } from './support/load.js';
import { stop } from '../devkit/processes.js';
import { fixed, jsonLine, table } from './support/report.js';
import { startOurGateway, type BenchSubgraphs } from './support/stack.js';

/**
 * Benchmark 6: our gateway with GATEWAY_WORKERS=1 and =2 (node:cluster, one port) over the same subgraphs, HolderCard
 * load in mirrored rounds. On a machine whose cores also run the subgraphs and Postgres the scaling shows how
 * much of a request's cost is the gateway's.
 */
export async function multiCoreBench(subgraphs: BenchSubgraphs, load: { connections: number; seconds: number }) {
  const headers = await clientHeaders();
  const card = cardBodies(productionRun());
  let next = 0;
  const body = () => card(next++);
  const one = await startOurGateway(subgraphs, { workers: 1 });
  const two = await startOurGateway(subgraphs, { workers: 2 });
  const runs = [
    { workers: 1, once: graphqlPost(one.ready.url, headers, body) },
    { workers: 2, once: graphqlPost(two.ready.url, headers, body) },
  ];
  for (const r of runs) await runLoad(r.once, { connections: load.connections * 2, seconds: WARMUP_SECONDS });
  const results: Record<number, LoadResult[]> = { 1: [], 2: [] };
  for (let i = 0; i < 2; i++)
    for (const r of roundOrder(runs, i)) results[r.workers]!.push(await runLoad(r.once, { connections: load.connections * 2, seconds: load.seconds / 2 }));
  const rps = (w: number) => results[w]!.reduce((a, x) => a + x.rps, 0) / results[w]!.length;
  const p50 = (w: number) => results[w]!.reduce((a, x) => a + x.p50, 0) / results[w]!.length;
  table(
    `6. Multi-core — HolderCard through our gateway with 1 and 2 workers, ${load.connections * 2} connections, database ${subgraphs.database}`,
    ['GATEWAY_WORKERS', 'req/s', 'p50 ms'],
    [1, 2].map((w) => [w, rps(w).toFixed(0), p50(w).toFixed(1)]),
  );
  jsonLine('multi-core', { database: subgraphs.database, rps1: Math.round(rps(1)), rps2: Math.round(rps(2)), scaling: fixed(rps(2) / rps(1), 2) });
  await Promise.all([stop(one.child), stop(two.child)]);
}
