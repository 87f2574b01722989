import { isDeepStrictEqual } from 'node:util';
import { HolderCardDocument } from '../lib/domain/generated/operations.js';
import { bulkId } from '../seeds/bulk-holders.js';
import { clientHeaders, revouchedBodies, subgraphHeaderSource } from './support/access.js';
import { cpuBetween, postgresBackends, readCpu, type CpuReading } from './support/cpu.js';
import { recordingProxies, replay, stages } from '../devkit/recording-proxies.js';
import { operationBody, productionRun } from './support/documents.js';
import { graphqlPost, meanOfRounds, roundOrder, runLoad, type LoadResult, WARMUP_SECONDS } from './support/load.js';
import { peakRssMb, startNode, stop } from '../devkit/processes.js';
import { fixed, jsonLine, table } from './support/report.js';
import type { BenchSubgraphs, GatewayReady } from './support/stack.js';

/** The holders the load cycles through: a different holder per request, as at a counter, not one card repeated. */
export const CARD_HOLDERS = 500;

/** A HolderCard request for the i-th holder, the document named as the engine runs it (by id to ours in production). */
export function cardBodies(trusted: boolean): (i: number) => string {
  const body = operationBody(HolderCardDocument, { trusted });
  return (i) => body({ id: bulkId(i % CARD_HOLDERS) });
}

async function cardFrom(url: string, headers: Record<string, string>, body: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return res.json();
}

/**
 * Benchmarks 1, 2 and 5: the HolderCard through our gateway against stock @apollo/gateway and plain Hive Gateway
 * (Rust planner) over the same subgraphs, measured in mirrored rounds so drift hits all alike; the gateway's
 * overhead over the same subgraph calls made directly; peak memory of every process.
 */
export async function holderCardBench(subgraphs: BenchSubgraphs, load: { connections: number; seconds: number }, ours: GatewayReady) {
  const [apollo, hive] = await Promise.all([
    startNode<GatewayReady>('bench/peers/apollo-gateway.ts', [JSON.stringify(subgraphs.urls)]),
    startNode<GatewayReady>('bench/peers/hive-gateway.ts', [JSON.stringify(subgraphs.urls)]),
  ]);
  const headers = await clientHeaders();
  let next = 0;
  const byText = cardBodies(false);
  const ourCard = cardBodies(productionRun());
  const engines = [
    {
      key: 'ours',
      label: `Renkei gateway (Hive runtime, Rust planner, every protection on${productionRun() ? ', trusted documents' : ''})`,
      url: ours.url,
      pids: ours.pids,
      headers,
      card: ourCard,
    },
    { key: 'apollo', label: 'stock @apollo/gateway on @apollo/server', url: apollo.ready.url, pids: apollo.ready.pids, headers: {}, card: byText },
    { key: 'hive', label: 'plain Hive Gateway runtime, Rust planner', url: hive.ready.url, pids: hive.ready.pids, headers: {}, card: byText },
  ];

  // Nothing is timed until all three give the same, complete cards. Identical concurrent requests would let an
  // engine that merges in-flight subgraph calls answer many from one, so every request asks for another holder.
  for (const i of [0, 1, CARD_HOLDERS - 1]) {
    const expected = await cardFrom(ours.url, headers, ourCard(i));
    if (!(expected as { data?: { holder?: { portalLink?: unknown } } }).data?.holder?.portalLink)
      throw new Error(`our gateway did not answer the card: ${JSON.stringify(expected)}`);
    for (const e of engines) {
      const got = await cardFrom(e.url, e.headers, e.card(i));
      if (!isDeepStrictEqual(got, expected)) throw new Error(`${e.key} answered differently: ${JSON.stringify(got)}`);
    }
  }

  // The direct path: the very subgraph requests our gateway planned for this card, replayed without it.
  const proxies = await recordingProxies(subgraphs.urls);
  const recorder = await startNode<GatewayReady>('gateway/main.ts', ['--engine', 'hive', JSON.stringify(proxies.urls)]);
  await cardFrom(recorder.ready.url, headers, ourCard(0));
  await stop(recorder.child);
  proxies.close();
  const plan = stages(proxies.calls);
  const direct = replay(plan, subgraphs.urls, await subgraphHeaderSource(), revouchedBodies());

  const runs = [...engines.map((e) => ({ key: e.key, once: graphqlPost(e.url, e.headers, () => e.card(next++)) })), { key: 'direct', once: direct }];
  for (const r of runs) await runLoad(r.once, { connections: load.connections, seconds: WARMUP_SECONDS });
  const rounds: Record<string, LoadResult[]> = Object.fromEntries(runs.map((r) => [r.key, []]));
  const cpu = cardCpu(ours.pids, subgraphs);
  for (let i = 0; i < 2; i++) {
    for (const r of roundOrder(runs, i)) {
      // The CPU of every process is read around our gateway's rounds only: what one card through it costs in all.
      const before = r.key === 'ours' ? await cpu.read() : null;
      const result = await runLoad(r.once, { connections: load.connections, seconds: load.seconds / 2 });
      if (before) cpu.add(before, await cpu.read(), result.requests);
      rounds[r.key]!.push(result);
    }
  }
  await cpu.close();
  const m = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, meanOfRounds(v)])) as Record<string, ReturnType<typeof meanOfRounds>>;
  const o = m.ours!;

  table(
    `1. HolderCard through the gateway — ${CARD_HOLDERS} holders in turn, ${load.connections} connections, ${load.seconds}s each in mirrored rounds, database ${subgraphs.database}`,
    ['gateway', 'req/s', 'p50 ms', 'p99 ms', 'ours ÷ this (req/s)'],
    engines.map((e) => [e.label, m[e.key]!.rps.toFixed(0), m[e.key]!.p50.toFixed(1), m[e.key]!.p99.toFixed(1), (o.rps / m[e.key]!.rps).toFixed(2)]),
  );
  const vsApolloGateway = fixed(o.rps / m.apollo!.rps, 2);
  const vsHiveRust = fixed(o.rps / m.hive!.rps, 2);

  const perCard = cpu.perCard();
  table(
    `1b. CPU time per card — each process over our gateway's load windows (${perCard.cards} cards), user + system from /proc/<pid>/stat${subgraphs.database === 'pglite' ? "; the embedded database runs inside the subgraphs' process, so its CPU is in that row" : "; Postgres = the backends serving the benchmark's database"}`,
    ['process', 'CPU s', 'ms per card', 'share'],
    perCard.rows
      .map((r) => [r.label, (r.ms / 1000).toFixed(2), r.perCard.toFixed(2), `${((100 * r.ms) / perCard.totalMs).toFixed(0)} %`])
      .concat([['total', (perCard.totalMs / 1000).toFixed(2), perCard.total.toFixed(2), '100 %']]),
  );
  jsonLine('holder-card', {
    database: subgraphs.database,
    rps: Math.round(o.rps),
    p50: fixed(o.p50),
    p99: fixed(o.p99),
    vsApolloGateway,
    vsHiveRust,
    cpuMsPerCard: perCard.json,
    targets: { vsApolloGateway: 4, vsHiveRust: 0.9 },
  });

  const overhead = o.p50 / m.direct!.p50;
  table(
    '2. Gateway overhead — the HolderCard p50 through our gateway ÷ the p50 of the same subgraph calls made directly in the planned order',
    ['path', 'calls (stages)', 'req/s', 'p50 ms', 'p99 ms'],
    [
      ['through the gateway', `${plan.flat().length} (${plan.length})`, o.rps.toFixed(0), o.p50.toFixed(1), o.p99.toFixed(1)],
      ['direct to the subgraphs', `${plan.flat().length} (${plan.length})`, m.direct!.rps.toFixed(0), m.direct!.p50.toFixed(1), m.direct!.p99.toFixed(1)],
    ],
  );
  jsonLine('gateway-overhead', {
    database: subgraphs.database,
    p50Gateway: fixed(o.p50),
    p50Direct: fixed(m.direct!.p50),
    ratio: fixed(overhead, 2),
    subgraphCalls: plan.flat().length,
    stages: plan.length,
    target: 1.5,
  });

  // VmHWM is the peak since each process started, so it covers every load above.
  const memory: [string, number | null][] = [
    ['our gateway', Math.max(...ours.pids.map((p) => peakRssMb(p) ?? 0))],
    ...[...new Set(Object.values(subgraphs.pids))].map((pid) => {
      const names = Object.entries(subgraphs.pids)
        .filter(([, p]) => p === pid)
        .map(([n]) => n);
      return [`subgraph ${names.join(' + ')}`, peakRssMb(pid)] as [string, number | null];
    }),
    ['stock @apollo/gateway (peer)', peakRssMb(apollo.ready.pids[0]!)],
    ['plain Hive Gateway (peer)', peakRssMb(hive.ready.pids[0]!)],
  ];
  table(
    '5. Memory — peak resident set size (VmHWM) of each process over benchmark 1',
    ['process', 'peak RSS MB'],
    memory.map(([k, v]) => [k, v ?? 'n/a']),
  );
  jsonLine('memory', { database: subgraphs.database, peakRssMb: Object.fromEntries(memory), target: 300 });

  await Promise.all([stop(apollo.child), stop(hive.child)]);
  return { ours: o };
}

/**
 * CPU time per card of each process over our gateway's load windows: the gateway, each subgraph's process and, on
 * Postgres, the backends serving the benchmark's database (bench/support/cpu.ts says which and why). On the embedded
 * database the three subgraphs and the database share one process, which is one row.
 */
function cardCpu(gatewayPids: number[], subgraphs: BenchSubgraphs) {
  const processes = [...new Set(Object.values(subgraphs.pids))].map((pid) => ({
    pid,
    names: Object.entries(subgraphs.pids)
      .filter(([, p]) => p === pid)
      .map(([n]) => n),
  }));
  const groups = [
    { key: 'gateway', label: 'our gateway', pids: gatewayPids },
    ...processes.map((p) => ({
      key: p.names.length === 1 ? p.names[0]! : 'subgraphs',
      label:
        p.names.length === 1 ? `subgraph ${p.names[0]}` : `subgraphs ${p.names.join(' + ')}${subgraphs.database === 'pglite' ? ' + embedded database' : ''}`,
      pids: [p.pid],
    })),
  ];
  const backends = subgraphs.databaseUrl ? postgresBackends(subgraphs.databaseUrl) : null;
  const ms: Record<string, number> = Object.fromEntries([...groups.map((g) => [g.key, 0]), ...(backends ? [['postgres', 0]] : [])]);
  let cards = 0;
  type Reading = Record<string, CpuReading>;
  return {
    read: async (): Promise<Reading> => ({
      ...Object.fromEntries(groups.map((g) => [g.key, readCpu(g.pids)])),
      ...(backends ? { postgres: readCpu(await backends.pids()) } : {}),
    }),
    add(before: Reading, after: Reading, answered: number) {
      for (const key of Object.keys(ms)) ms[key]! += cpuBetween(before[key]!, after[key]!);
      cards += answered;
    },
    close: async () => backends?.close(),
    perCard() {
      const per = (key: string) => (cards > 0 && ms[key] !== undefined ? ms[key]! / cards : null);
      const totalMs = Object.values(ms).reduce((a, b) => a + b, 0);
      const rows = [
        ...groups.map((g) => ({ label: g.label, ms: ms[g.key]! })),
        ...(backends ? [{ label: 'Postgres (backends of the bench database)', ms: ms.postgres! }] : []),
      ];
      const round = (n: number | null) => (n === null ? null : fixed(n, 2));
      return {
        cards,
        totalMs,
        total: cards > 0 ? totalMs / cards : NaN,
        rows: rows.map((r) => ({ ...r, perCard: cards > 0 ? r.ms / cards : NaN })),
        json: {
          gateway: round(per('gateway')),
          driver: round(per('driver')),
          consent: round(per('consent')),
          portalLink: round(per('portal-link')),
          // Embedded: the database's CPU is inside the one subgraph process, counted here and in no row of its own.
          ...(ms.subgraphs !== undefined ? { subgraphsWithEmbeddedDatabase: round(per('subgraphs')) } : {}),
          postgres: round(per('postgres')),
          total: round(cards > 0 ? totalMs / cards : null),
        },
      };
    },
  };
}
