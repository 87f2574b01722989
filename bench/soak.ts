import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { DevCa } from '../lib/domain/certificates/dev-ca.js';
import { bulkId } from '../seeds/bulk-holders.js';
import { startNode } from '../devkit/processes.js';
import { CARD_HOLDERS } from './holder-card.js';
import { closedLoop, openLoop, seeded } from './soak/arrivals.js';
import { certificateIssuer } from './soak/certificates.js';
import { auditVerify, drain, finalState } from './soak/checks.js';
import { soakClient } from './soak/client.js';
import { soakContext } from './soak/context.js';
import { jlisFeeder } from './soak/jlis.js';
import { MIX, mixRunner, pickKind } from './soak/mix.js';
import { populate } from './soak/population.js';
import { quantile, Recorder } from './soak/record.js';
import { memoryRows, memoryWindows, p99Stability, samplesByMinute } from './soak/summary.js';
import { watcher, type Watched } from './soak/watch.js';
import { fixed, jsonLine, table } from './support/report.js';
import type { BenchSubgraphs, GatewayReady } from './support/stack.js';

/** The share of the measured maximum the soak runs at: busy, with room left, as a service is run. */
export const SOAK_LOAD = 0.7;

/**
 * Bulk holders seeded under the soak's own, as in service, where the tables are never small: from 500, the card's
 * portal-link reads went to whole-table sequential scans (a plan that is cheaper on a table of a few pages, cached
 * on a pooled connection) whose cost grew with every row the soak wrote; from 100,000 every read used its index.
 */
export const SOAK_BULK_HOLDERS = 100_000;
const JLIS_EVERY_MS = 30_000;
const JLIS_HOLDERS_PER_FILE = 20;
const SAMPLE_EVERY_MS = 5_000;
const DRAIN_TIMEOUT_MS = 300_000;
/**
 * How much a process's RSS may grow from after warm-up to the end, as a share of the end value. Only growth fails: a
 * fall is V8 giving memory back after a full collection (the top of the driver's sawtooth fell 510 → 303 MB over a
 * ten-minute run with nothing lost), and a check that failed on it would fail at random.
 */
const RSS_TOLERANCE = 0.1;
const P99_FACTOR = 2;
const LAG_P99_MS = 100;

/**
 * Benchmark 8, `npm run bench -- soak` (never in the default set): the mixed load of a working day for
 * BENCH_SOAK_SECONDS (600) at 70 % of the maximum measured just before, open-loop, then a check that nothing was lost.
 * BENCH_SOAK_TRACE=FILE writes every request of the open loop (and each J-LIS import) as CSV, and the samples (RSS,
 * queue depths, CPU) to FILE.samples.csv.
 * Postgres only (bench/run.ts refuses the embedded database for it): the drain and the final state are read from the
 * database while the subgraphs run, and the embedded one can be opened by the process that holds it alone.
 * Returns whether every check passed.
 */
export async function soakBench(
  subgraphs: BenchSubgraphs,
  ours: GatewayReady,
  opts: { seconds: number; connections: number; holders: number; ca: DevCa },
): Promise<boolean> {
  if (!subgraphs.databaseUrl) throw new Error('the soak runs on Postgres only (DATABASE_URL)');
  const sql = postgres(subgraphs.databaseUrl, { max: 2, onnotice: () => {} });
  const dir = mkdtempSync(join(tmpdir(), 'renkei-soak-'));
  const client = soakClient(ours.url);
  try {
    // The family register's stand-in and the workers (本籍 requests, due imports, the consent outbox), each a process.
    const simulator = await startNode<{ ready: true; url: string }>('bench/soak/family-register.ts');
    const workers = await startNode<{ ready: true; pid: number }>('workers/main.ts', [], {
      GATEWAY_URL: subgraphs.gatewayUrl,
      FAMILY_REGISTER_URL: simulator.ready.url,
    });
    const seed = Number(process.env.BENCH_SOAK_SEED ?? 1);
    const recorder = new Recorder(!!process.env.BENCH_SOAK_TRACE);
    const ctx = await soakContext({
      client,
      recorder,
      issue: await certificateIssuer(opts.ca),
      simulatorUrl: simulator.ready.url,
      random: seeded(seed + 1),
      bulkIds: Array.from({ length: CARD_HOLDERS }, (_, i) => bulkId(i)),
    });

    const setupStarted = performance.now();
    await populate(ctx, opts.holders);
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    // The maximum: the same mix in a closed loop, after 5 s of it to warm up.
    const mix = mixRunner(ctx);
    const arrivalsRandom = seeded(seed);
    const once = () => mix.run('max', pickKind(arrivalsRandom));
    await closedLoop(once, { connections: opts.connections, seconds: 5 });
    const max = await closedLoop(once, { connections: opts.connections, seconds: 12 });
    const maxRps = max.requests / max.seconds;
    const rate = Number(process.env.BENCH_SOAK_RPS) || SOAK_LOAD * maxRps;

    const processes = [...new Set(Object.values(subgraphs.pids))].map((pid) => ({
      label: `subgraph ${Object.entries(subgraphs.pids)
        .filter(([, p]) => p === pid)
        .map(([n]) => n)
        .join(' + ')}`,
      pids: [pid],
    }));
    const watched: Watched[] = [
      { label: 'gateway', pids: ours.pids },
      ...processes,
      { label: 'workers', pids: [workers.child.pid!] },
      { label: 'family-register simulator', pids: [simulator.child.pid!] },
      { label: 'load generator (the bench itself, not checked)', pids: [process.pid] },
    ];
    const watch = watcher(watched, sql, SAMPLE_EVERY_MS);
    const feeder = jlisFeeder(ctx, { gatewayUrl: subgraphs.gatewayUrl, dir, everyMs: JLIS_EVERY_MS, perFile: JLIS_HOLDERS_PER_FILE });
    recorder.startSoak(performance.now(), opts.seconds);
    await watch.start();
    feeder.start(JLIS_EVERY_MS / 2);
    const loop = await openLoop({
      rate,
      seconds: opts.seconds,
      random: arrivalsRandom,
      launch: () => mix.run('soak', pickKind(arrivalsRandom)),
      maxInFlight: 1000,
      lag: recorder.lag,
    });
    await feeder.stop();
    await watch.stop();

    const drained = await drain(sql, DRAIN_TIMEOUT_MS);
    const state = await finalState(
      sql,
      ctx.expected,
      ctx.holders.map((h) => h.id),
    );
    const audit = await auditVerify(subgraphs.databaseUrl);

    return report({ opts, setupSeconds, maxRps, rate, loop, recorder, mix, watched, watch, drained, state, audit, feeder, ctx });
  } finally {
    client.close();
    await sql.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

type ReportInput = {
  opts: { seconds: number; connections: number; holders: number };
  setupSeconds: number;
  maxRps: number;
  rate: number;
  loop: Awaited<ReturnType<typeof openLoop>>;
  recorder: Recorder;
  mix: ReturnType<typeof mixRunner>;
  watched: Watched[];
  watch: ReturnType<typeof watcher>;
  drained: Awaited<ReturnType<typeof drain>>;
  state: Awaited<ReturnType<typeof finalState>>;
  audit: Awaited<ReturnType<typeof auditVerify>>;
  feeder: ReturnType<typeof jlisFeeder>;
  ctx: Awaited<ReturnType<typeof soakContext>>;
};

/** Prints the tables and the JSON lines, and judges every check; true when all pass. */
function report(r: ReportInput): boolean {
  const { recorder, loop } = r;
  const minutes = recorder.perMinute(loop.seconds);
  const sampled = samplesByMinute(r.watch.samples, minutes.length);
  const all = recorder.all();
  table(
    `8. Soak — ${r.opts.seconds} s open loop (Poisson arrivals) at ${r.rate.toFixed(1)} req/s = ${Math.round((100 * r.rate) / r.maxRps)} % of the ${r.maxRps.toFixed(1)} req/s measured closed-loop (${r.opts.connections} connections, 12 s), ${r.opts.holders} soak holders + ${CARD_HOLDERS} bulk holders read among those seeded, a J-LIS file every ${JLIS_EVERY_MS / 1000} s; per minute (latency from send to answer; machine CPU: 100 % = every core, "other" is what the soak's processes and its database did not use)`,
    [
      'minute',
      'requests',
      'req/s',
      'p50 ms',
      'p99 ms',
      '5xx',
      'other errors',
      'userErrors',
      'queue max: 本籍 / outbox / due imports',
      'machine CPU: soak / other',
    ],
    minutes.map((m, i) => [
      m.seconds < 60 ? `${m.minute} (${m.seconds.toFixed(0)} s)` : m.minute,
      m.requests,
      m.rps.toFixed(1),
      m.p50.toFixed(1),
      m.p99.toFixed(1),
      m.errors5xx,
      m.otherErrors,
      m.userErrors,
      `${sampled[i]!.honseki} / ${sampled[i]!.outbox} / ${sampled[i]!.dueImports}`,
      `${(100 * sampled[i]!.soakCpu).toFixed(0)} % / ${(100 * sampled[i]!.otherCpu).toFixed(0)} %`,
    ]),
  );

  const kinds = recorder.perKind();
  table(
    '8b. Soak — by kind of request over the open loop (fallback: no idle holder in the state the procedure needs, a HolderCard sent instead)',
    ['kind', 'share of arrivals', 'requests', 'p50 ms', 'p99 ms', 'fallbacks', 'not ok'],
    kinds.map((k) => [
      k.kind,
      `${(100 * MIX[k.kind as keyof typeof MIX]).toFixed(0)} %`,
      k.requests,
      k.p50.toFixed(1),
      k.p99.toFixed(1),
      r.mix.fallbacks[k.kind as keyof typeof MIX] ?? 0,
      k.notOk.join(', ') || '—',
    ]),
  );

  const memory = memoryRows(r.watched, r.watch.samples, loop.seconds, r.watch.peakMb(), r.watch.cpuMs());
  const w = memoryWindows(loop.seconds);
  table(
    `8c. Soak — resident set size (VmRSS) of each process, sampled every ${SAMPLE_EVERY_MS / 1000} s: the highest sample over ${w.warm[0].toFixed(0)}–${w.warm[1].toFixed(0)} s (after warm-up) and over ${w.end[0].toFixed(0)}–${loop.seconds.toFixed(0)} s (end), the lowest after warm-up; peak = VmHWM since the process started; CPU over the open loop`,
    ['process', 'at start MB', 'after warm-up MB', 'end MB', 'change', 'lowest MB', 'peak MB', 'CPU s (% of one core)'],
    memory.map((m) => [
      m.label,
      m.startMb?.toFixed(0) ?? 'n/a',
      m.warmMb.toFixed(0),
      m.endMb.toFixed(0),
      `${m.change >= 0 ? '+' : ''}${(100 * m.change).toFixed(1)} %`,
      m.lowMb.toFixed(0),
      m.peakMb,
      `${m.cpuSeconds.toFixed(0)} (${((100 * m.cpuSeconds) / loop.seconds).toFixed(0)} %)`,
    ]),
  );

  // Where the CPU of a request goes, minute by minute: a cost that grows over the run shows in the process that pays it.
  table(
    "8e. Soak — CPU ms per request by process, per minute of the open loop (from /proc/<pid>/stat every sample; Postgres = the backends serving the soak's database)",
    ['process', ...minutes.map((m) => String(m.minute))],
    [...r.watched.map((p) => p.label), 'Postgres'].map((label, j) => [
      label,
      ...minutes.map((m, i) => (m.requests > 0 ? (sampled[i]!.cpuMs[j]! / m.requests).toFixed(2) : '—')),
    ]),
  );

  const files = r.feeder.runs;
  const filesFailed = files.filter((f) => f.error && f.lines > 0);
  const filesWrong = files.filter((f) => f.summary && (f.summary.sent !== f.lines || f.summary.badLines !== 1));
  const stability = p99Stability(minutes, P99_FACTOR);
  const lagSorted = Float64Array.from(recorder.lag).sort();
  const checked = memory.filter((m) => !m.label.startsWith('load generator'));
  const errors = {
    errors5xx: recorder.total('5xx'),
    transport: recorder.total('transport'),
    graphql: recorder.total('graphql'),
    http4xx: recorder.total('4xx'),
    userErrors: recorder.total('userError'),
  };
  const s = r.state;
  const checks: { name: string; figure: unknown; target: unknown; pass: boolean }[] = [
    { name: 'errors5xx', figure: errors.errors5xx, target: 0, pass: errors.errors5xx === 0 },
    { name: 'transportErrors', figure: errors.transport, target: 0, pass: errors.transport === 0 },
    { name: 'graphqlErrors', figure: errors.graphql, target: 0, pass: errors.graphql === 0 },
    { name: 'http4xx', figure: errors.http4xx, target: 0, pass: errors.http4xx === 0 },
    // Every procedure of the mix is sent to a holder in a state that allows it: any refusal means the state drifted.
    { name: 'unexpectedUserErrors', figure: errors.userErrors, target: 0, pass: errors.userErrors === 0 },
    { name: 'droppedArrivals', figure: loop.dropped, target: 0, pass: loop.dropped === 0 },
    { name: 'generatorLagP99Ms', figure: fixed(quantile(lagSorted, 0.99)), target: `≤ ${LAG_P99_MS}`, pass: quantile(lagSorted, 0.99) <= LAG_P99_MS },
    { name: 'queuesAfterDrain', figure: r.drained.depths, target: 'all 0', pass: Object.values(r.drained.depths).every((n) => n === 0) },
    {
      name: 'honsekiFinal',
      figure: `${s.honseki.final}/${s.honseki.rows} final, ${s.honseki.expected} accepted, ${s.honseki.wrong} not as expected`,
      target: 'all final as their code says',
      pass: s.honseki.wrong === 0 && s.honseki.final === s.honseki.rows && s.honseki.rows === s.honseki.expected,
    },
    {
      name: 'jlisFiles',
      figure: `${files.filter((f) => f.summary).length} imported, ${filesFailed.length} failed, ${filesWrong.length} with lines unsent`,
      target: 'every jlis:import exits 0, every good line sent',
      pass: filesFailed.length === 0 && filesWrong.length === 0 && files.some((f) => f.summary),
    },
    {
      name: 'jlisLedger',
      figure: `${s.jlis.ledger}/${s.jlis.sent} lines in the ledger, ${s.jlis.wrong} outcomes and ${s.jlis.importsWrong} imports not as expected`,
      target: 'ledger = lines sent, all as expected',
      pass: s.jlis.ledger === s.jlis.sent && s.jlis.wrong === 0 && s.jlis.importsWrong === 0,
    },
    {
      name: 'outboxDelivered',
      figure: `${s.outbox.rows}/${s.outbox.expected}, ${s.outbox.wrong} not delivered and applied`,
      target: 'all delivered and applied',
      pass: s.outbox.wrong === 0 && s.outbox.rows === s.outbox.expected,
    },
    { name: 'simulatorErrors', figure: r.ctx.expected.simulatorErrors.length, target: 0, pass: r.ctx.expected.simulatorErrors.length === 0 },
    { name: 'auditVerify', figure: `exit ${r.audit.code}`, target: 'exit 0', pass: r.audit.code === 0 },
    ...checked.map((m) => ({
      name: `rss ${m.label}`,
      figure: `${m.warmMb.toFixed(0)} → ${m.endMb.toFixed(0)} MB (${(100 * m.change).toFixed(1)} %)`,
      target: `grows ≤ ${100 * RSS_TOLERANCE} % of end`,
      pass: m.change <= RSS_TOLERANCE,
    })),
    {
      name: 'p99Stable',
      figure: `worst minute ${stability.worst.toFixed(1)} ms, median minute ${stability.typical.toFixed(1)} ms (${stability.ratio.toFixed(2)}×)`,
      target: `≤ ${P99_FACTOR}× the median minute`,
      pass: stability.ratio <= P99_FACTOR,
    },
  ];
  table(
    `8d. Soak — checks after a drain of ${r.drained.seconds.toFixed(0)} s (5xx, errors and refusals counted over every phase: populating, the maximum, the open loop)`,
    ['check', 'measured', 'target', ''],
    checks.map((c) => [c.name, typeof c.figure === 'object' ? JSON.stringify(c.figure) : String(c.figure), String(c.target), c.pass ? 'pass' : '**FAIL**']),
  );
  const details = Object.entries(recorder.details).flatMap(([cls, list]) => list.map((d) => `${cls}: ${d}`));
  if (details.length > 0 || s.problems.length > 0 || r.ctx.expected.simulatorErrors.length > 0 || filesFailed.length > 0) {
    console.log('\nWhat went wrong (first few of each):');
    for (const d of [
      ...details,
      ...s.problems,
      ...r.ctx.expected.simulatorErrors.slice(0, 5),
      ...filesFailed.slice(0, 5).map((f) => `J-LIS file ${f.file}: ${f.error}`),
    ])
      console.log(`- ${d}`);
  }
  if (r.audit.code !== 0 || process.env.BENCH_SOAK_VERBOSE) console.log(`\naudit:verify: ${r.audit.output}`);
  // The raw material behind the tables, for a closer look at a slow minute: every request, and when each J-LIS file ran.
  if (process.env.BENCH_SOAK_TRACE) {
    const jlis = files.map((f) => `${f.at.toFixed(3)},jlis-import,${(1000 * f.seconds).toFixed(0)},${f.error ? 'failed' : 'ok'}`);
    writeFileSync(process.env.BENCH_SOAK_TRACE, `seconds,kind,ms,verdict\n${[...recorder.trace, ...jlis].join('\n')}\n`);
    const head = ['seconds', ...r.watched.map((p) => `rss MB ${p.label}`), '本籍', 'outbox', 'due imports', 'soak CPU ms', 'machine busy ms', 'machine ms'];
    const rows = r.watch.samples.map((x) =>
      [
        x.t.toFixed(1),
        ...x.rss.map((v) => v?.toFixed(1) ?? ''),
        x.queues?.honseki,
        x.queues?.outbox,
        x.queues?.dueImports,
        x.cpu?.soak,
        x.cpu?.machineBusy,
        x.cpu?.machineTotal,
      ].join(','),
    );
    writeFileSync(`${process.env.BENCH_SOAK_TRACE}.samples.csv`, `${head.join(',')}\n${rows.join('\n')}\n`);
  }

  const pass = checks.every((c) => c.pass);
  const jlisOutcomes: Record<string, number> = {};
  for (const f of files) for (const [k, v] of Object.entries(f.summary?.outcomes ?? {})) jlisOutcomes[k] = (jlisOutcomes[k] ?? 0) + v;
  jsonLine('soak', {
    database: 'postgres',
    seconds: r.opts.seconds,
    holders: r.opts.holders,
    setupSeconds: fixed(r.setupSeconds),
    maxRps: fixed(r.maxRps),
    targetRps: fixed(r.rate),
    load: fixed(r.rate / r.maxRps, 2),
    achievedRps: fixed(loop.arrivals / loop.seconds),
    requests: all.length,
    p50: fixed(quantile(all, 0.5)),
    p99: fixed(quantile(all, 0.99)),
    p99ByMinute: minutes.map((m) => fixed(m.p99)),
    peakInFlight: loop.peakInFlight,
    ...errors,
    droppedArrivals: loop.dropped,
    generatorLagP99Ms: fixed(quantile(lagSorted, 0.99)),
    fallbacks: r.mix.fallbacks,
    drainSeconds: fixed(r.drained.seconds),
    queuesAfterDrain: r.drained.depths,
    honseki: s.honseki,
    jlis: { files: files.length, imported: files.filter((f) => f.summary).length, outcomes: jlisOutcomes, ...s.jlis },
    outbox: s.outbox,
    idempotencyKeys: s.idempotency,
    auditVerifyExit: r.audit.code,
    rssMb: Object.fromEntries(
      memory.map((m) => [
        m.label,
        { warm: fixed(m.warmMb, 0), end: fixed(m.endMb, 0), low: fixed(m.lowMb, 0), peak: m.peakMb, change: fixed(m.change, 3), cpuS: fixed(m.cpuSeconds) },
      ]),
    ),
    p99WorstOverMedianMinute: fixed(stability.ratio, 2),
    targets: Object.fromEntries(checks.map((c) => [c.name, c.target])),
    passed: Object.fromEntries(checks.map((c) => [c.name, c.pass])),
    pass,
  });
  jsonLine('soak-minutes', {
    database: 'postgres',
    minutes: minutes.map((m, i) => ({
      minute: m.minute,
      seconds: fixed(m.seconds, 0),
      requests: m.requests,
      rps: fixed(m.rps),
      p50: fixed(m.p50),
      p99: fixed(m.p99),
      errors5xx: m.errors5xx,
      queues: { honseki: sampled[i]!.honseki, outbox: sampled[i]!.outbox, dueImports: sampled[i]!.dueImports },
      machineCpu: { soak: fixed(sampled[i]!.soakCpu, 2), other: fixed(sampled[i]!.otherCpu, 2) },
      cpuMsPerRequest: Object.fromEntries(
        [...r.watched.map((p) => p.label), 'Postgres'].map((label, j) => [label, m.requests > 0 ? fixed(sampled[i]!.cpuMs[j]! / m.requests, 2) : null]),
      ),
    })),
  });
  return pass;
}
