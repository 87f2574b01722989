/**
 * Benchmark 7, `npm run bench -- gateway-alone`: the HolderCard through each engine with the subgraphs replaced by
 * stubs that answer from memory, so that what is measured is the gateway alone — in the HolderCard benchmark the
 * subgraphs and Postgres take most of the machine and every engine looks the same. The stubs' answers are recorded
 * from the real subgraphs, per engine (engines plan differently) and keyed by the exact request body, for all
 * `CARD_HOLDERS` holders, so plans and payloads are real and no two requests in flight are the same. Engines: ours as
 * deployed, stock @apollo/gateway, plain Hive with the Rust planner and, as the reference of what a router does on the
 * same machine, Grafbase's Rust gateway (bench/support/grafbase.ts); each at 10 and 32 connections in mirrored rounds,
 * with the CPU time each gateway's process(es) spent per card.
 */
import { isDeepStrictEqual } from 'node:util';
import { SUBGRAPHS } from '../schema/subgraphs.js';
import { CARD_HOLDERS, cardBodies } from './holder-card.js';
import { clientHeaders } from './support/access.js';
import { cpuBetween, readCpu } from './support/cpu.js';
import { productionRun } from './support/documents.js';
import { GRAFBASE_VERSION, startGrafbase, type RunningGrafbase } from './support/grafbase.js';
import { keepAlivePost, meanOfRounds, roundOrder, runLoad, type LoadResult, WARMUP_SECONDS } from './support/load.js';
import { startNode, stop, type Started } from '../devkit/processes.js';
import { fixed, jsonLine, table } from './support/report.js';
import { startOurGateway, type BenchSubgraphs, type GatewayReady } from './support/stack.js';

/** The connection counts every engine is loaded at: the other benchmarks' 10, and enough to keep a fast router busy. */
export const GATEWAY_ALONE_CONNECTIONS = [10, 32] as const;

interface StubReady {
  ready: true;
  name: string;
  url: string;
}

interface StubStats {
  name: string;
  recorded: Record<string, number>;
  answered: Record<string, number>;
  misses: Record<string, number>;
}

interface Engine {
  key: 'ours' | 'apollo' | 'hive' | 'grafbase';
  label: string;
  url: string;
  pids: number[];
  headers: Record<string, string>;
  card: (i: number) => string;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** CPU of the gateway's process(es), of the three stubs and of this load generator, per card answered. */
  cpuMsPerCard: number;
  stubCpuMsPerCard: number;
  loadCpuMsPerCard: number;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<{ data?: { holder?: { portalLink?: unknown } } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return (await res.json()) as { data?: { holder?: { portalLink?: unknown } } };
}

export async function gatewayAloneBench(subgraphs: BenchSubgraphs, load: { seconds: number }) {
  const stubs: Started<StubReady>[] = await Promise.all(
    SUBGRAPHS.map((s) => startNode<StubReady>('bench/stub-subgraph.ts', [s.name, subgraphs.urls[s.name]!])),
  );
  const stubPids = stubs.map((s) => s.child.pid!);
  const urlsFor = (engine: Engine['key']) => Object.fromEntries(stubs.map((s) => [s.ready.name, `${s.ready.url}${engine}/`]));
  const stubCall = (action: 'stats' | 'replay') =>
    Promise.all(
      stubs.map(async (s) => (await fetch(`${s.ready.url}__stub/${action}`, { method: action === 'replay' ? 'POST' : 'GET' })).json() as Promise<StubStats>),
    );

  const [ours, apollo, hive] = await Promise.all([
    startOurGateway({ ...subgraphs, urls: urlsFor('ours') }),
    startNode<GatewayReady>('bench/peers/apollo-gateway.ts', [JSON.stringify(urlsFor('apollo'))]),
    startNode<GatewayReady>('bench/peers/hive-gateway.ts', [JSON.stringify(urlsFor('hive'))]),
  ]);
  let grafbase: RunningGrafbase | null = null;
  let grafbaseNotRun: string | null = null;
  try {
    grafbase = await startGrafbase(urlsFor('grafbase'));
  } catch (e) {
    grafbaseNotRun = (e as Error).message;
  }

  try {
    const headers = await clientHeaders();
    const byText = cardBodies(false);
    const engines: Engine[] = [
      {
        key: 'ours',
        label: `Renkei gateway (Hive runtime, Rust planner, every protection on${productionRun() ? ', trusted documents' : ''})`,
        url: ours.ready.url,
        pids: ours.ready.pids,
        headers,
        card: cardBodies(productionRun()),
      },
      { key: 'apollo', label: 'stock @apollo/gateway on @apollo/server', url: apollo.ready.url, pids: apollo.ready.pids, headers: {}, card: byText },
      { key: 'hive', label: 'plain Hive Gateway runtime, Rust planner', url: hive.ready.url, pids: hive.ready.pids, headers: {}, card: byText },
      ...(grafbase
        ? [
            {
              key: 'grafbase' as const,
              label: `Grafbase Gateway ${GRAFBASE_VERSION} (Rust, \`grafbase dev\`)`,
              url: grafbase.url,
              pids: grafbase.pids,
              headers: {},
              card: byText,
            },
          ]
        : []),
    ];

    // Recording: every holder's card once through each engine, the stubs passing each call on to the real subgraph.
    for (const e of engines) {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < CARD_HOLDERS) {
            const got = await post(e.url, e.headers, e.card(next++));
            if (!got.data?.holder?.portalLink) throw new Error(`${e.key} did not answer the card while recording: ${JSON.stringify(got).slice(0, 300)}`);
          }
        }),
      );
    }
    const recorded = await stubCall('replay');
    const callsPerCard = (key: string) => recorded.reduce((a, s) => a + (s.recorded[key] ?? 0), 0) / CARD_HOLDERS;

    // From here on the stubs answer alone. Nothing is timed until every engine gives the same, complete cards.
    for (const i of [0, 1, CARD_HOLDERS - 1]) {
      const expected = await post(ours.ready.url, headers, engines[0]!.card(i));
      if (!expected.data?.holder?.portalLink) throw new Error(`our gateway did not answer the card from the stubs: ${JSON.stringify(expected).slice(0, 300)}`);
      for (const e of [...engines]) {
        const got = await post(e.url, e.headers, e.card(i));
        if (isDeepStrictEqual(got, expected)) continue;
        const why = `${e.key} answered holder ${i} differently: ${JSON.stringify(got).slice(0, 300)}`;
        // The reference may fall out with its reason; an engine the graph may run may not.
        if (e.key !== 'grafbase') throw new Error(why);
        grafbaseNotRun = why;
        engines.splice(engines.indexOf(e), 1);
      }
    }

    const results: Record<number, Partial<Record<Engine['key'], Measured>>> = {};
    for (const connections of GATEWAY_ALONE_CONNECTIONS) {
      const runs = engines.map((e) => {
        let next = 0;
        return { engine: e, post: keepAlivePost(e.url, e.headers, () => e.card(next++), connections) };
      });
      for (const r of runs) await runLoad(r.post.once, { connections, seconds: WARMUP_SECONDS });
      const rounds = new Map<string, LoadResult[]>(runs.map((r) => [r.engine.key, []]));
      const cpu = new Map(runs.map((r) => [r.engine.key, { gateway: 0, stubs: 0, load: 0, cards: 0 }]));
      for (let i = 0; i < 2; i++) {
        for (const r of roundOrder(runs, i)) {
          const gatewayBefore = readCpu(r.engine.pids);
          const stubsBefore = readCpu(stubPids);
          const loadBefore = process.cpuUsage();
          const result = await runLoad(r.post.once, { connections, seconds: load.seconds / 2 }).catch(async (e: Error) => {
            // A miss fails the engine's answer and so the load: say how many the stubs counted, and for whom.
            const misses = (await stubCall('stats')).map((s) => `${s.name} ${JSON.stringify(s.misses)}`).join(', ');
            throw new Error(`${e.message} (stub misses: ${misses})`);
          });
          const loadUsed = process.cpuUsage(loadBefore);
          const c = cpu.get(r.engine.key)!;
          c.gateway += cpuBetween(gatewayBefore, readCpu(r.engine.pids));
          c.stubs += cpuBetween(stubsBefore, readCpu(stubPids));
          c.load += (loadUsed.user + loadUsed.system) / 1000;
          c.cards += result.requests;
          rounds.get(r.engine.key)!.push(result);
        }
      }
      for (const r of runs) r.post.close();
      results[connections] = Object.fromEntries(
        runs.map((r) => {
          const c = cpu.get(r.engine.key)!;
          return [
            r.engine.key,
            {
              ...meanOfRounds(rounds.get(r.engine.key)!),
              cpuMsPerCard: c.gateway / c.cards,
              stubCpuMsPerCard: c.stubs / c.cards,
              loadCpuMsPerCard: c.load / c.cards,
            },
          ];
        }),
      );
    }

    const stats = await stubCall('stats');
    const misses = stats.reduce((a, s) => a + Object.values(s.misses).reduce((x, y) => x + y, 0), 0);
    const missesByEngine = Object.fromEntries(engines.map((e) => [e.key, stats.reduce((a, s) => a + (s.misses[e.key] ?? 0), 0)]));

    const rows: (string | number)[][] = [];
    for (const connections of GATEWAY_ALONE_CONNECTIONS) {
      const o = results[connections]!.ours!;
      for (const e of engines) {
        const m = results[connections]![e.key]!;
        rows.push([
          e.label,
          connections,
          callsPerCard(e.key).toFixed(0),
          m.rps.toFixed(0),
          m.p50.toFixed(2),
          m.p99.toFixed(2),
          m.cpuMsPerCard.toFixed(2),
          (o.rps / m.rps).toFixed(2),
          (o.cpuMsPerCard / m.cpuMsPerCard).toFixed(2),
          m.stubCpuMsPerCard.toFixed(2),
          m.loadCpuMsPerCard.toFixed(2),
        ]);
      }
      if (!grafbase || !engines.some((e) => e.key === 'grafbase'))
        rows.push([`Grafbase Gateway ${GRAFBASE_VERSION}`, connections, `not run: ${grafbaseNotRun}`, '', '', '', '', '', '', '', '']);
    }
    table(
      `7. Gateway alone — the HolderCard with the subgraphs replaced by stubs answering from memory (answers recorded per engine from the real subgraphs, ${CARD_HOLDERS} holders in turn), ${load.seconds}s per engine and connection count in mirrored rounds; CPU = user + system of the gateway's process(es) over its load windows ÷ cards answered; stub misses: ${misses}`,
      [
        'gateway',
        'connections',
        'subgraph calls a card',
        'req/s',
        'p50 ms',
        'p99 ms',
        'CPU ms a card',
        'ours ÷ this (req/s)',
        'ours ÷ this (CPU a card)',
        'stubs CPU ms a card',
        'load generator CPU ms a card',
      ],
      rows,
    );

    const per = (pick: (m: Measured) => number, digits: number) =>
      Object.fromEntries(engines.map((e) => [e.key, GATEWAY_ALONE_CONNECTIONS.map((c) => fixed(pick(results[c]![e.key]!), digits))]));
    const ratio = (key: Engine['key'], pick: (m: Measured) => number) =>
      engines.some((e) => e.key === key) ? GATEWAY_ALONE_CONNECTIONS.map((c) => fixed(pick(results[c]!.ours!) / pick(results[c]![key]!), 2)) : null;
    jsonLine('gateway-alone', {
      database: subgraphs.database,
      // Every per-engine figure and ratio below is a list, one entry per connection count, in this order.
      connections: [...GATEWAY_ALONE_CONNECTIONS],
      holders: CARD_HOLDERS,
      rps: per((m) => m.rps, 0),
      p50: per((m) => m.p50, 2),
      p99: per((m) => m.p99, 2),
      cpuMsPerCard: per((m) => m.cpuMsPerCard, 2),
      vsApolloGateway: ratio('apollo', (m) => m.rps),
      vsHiveRust: ratio('hive', (m) => m.rps),
      vsGrafbase: ratio('grafbase', (m) => m.rps),
      cpuVsHiveRust: ratio('hive', (m) => m.cpuMsPerCard),
      cpuVsGrafbase: ratio('grafbase', (m) => m.cpuMsPerCard),
      grafbase: engines.some((e) => e.key === 'grafbase')
        ? { version: GRAFBASE_VERSION, run: true }
        : { version: GRAFBASE_VERSION, run: false, reason: grafbaseNotRun },
      subgraphCallsPerCard: Object.fromEntries(engines.map((e) => [e.key, callsPerCard(e.key)])),
      stubMisses: misses,
      stubMissesByEngine: missesByEngine,
      targets: { cpuVsHiveRust: 1.05, rpsVsHiveRust: 1 },
    });
    if (misses > 0)
      throw new Error(`the stubs missed ${misses} request(s) (${JSON.stringify(missesByEngine)}): an engine sent a body it did not send while recording`);
  } finally {
    await Promise.all([stop(ours.child), stop(apollo.child), stop(hive.child), ...stubs.map((s) => stop(s.child)), grafbase?.stop()]);
  }
}
