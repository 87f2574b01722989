import { readFileSync } from 'node:fs';
import type postgres from 'postgres';
import { peakRssMb } from '../../devkit/processes.js';
import { cpuBetween, machineCpuMs, readCpu, type CpuReading } from '../support/cpu.js';

/** A process the soak watches, under the name the report gives it. */
export interface Watched {
  label: string;
  pids: number[];
}

/** Resident set size now (VmRSS), in MB, summed over the pids; null when none is running. */
export function rssMb(pids: readonly number[]): number | null {
  let kb = 0;
  let found = false;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) {
        kb += Number(m[1]);
        found = true;
      }
    } catch {}
  }
  return found ? kb / 1024 : null;
}

/** The work the graph keeps in Postgres to do later: what must be back at zero once the load stops. */
export interface QueueDepths {
  /** 本籍 requests not yet settled (RECEIVED, or FETCHING between attempts). */
  honseki: number;
  /** Record changes the consent subgraph owes the driver record, not yet delivered. */
  outbox: number;
  /** Record imports whose effective day has come and that are still PENDING (the due-imports worker's queue). */
  dueImports: number;
  /** Idempotency-Keys whose first request never completed (a mutation left hanging). */
  idempotencyRunning: number;
}

export async function queueDepths(sql: postgres.Sql): Promise<QueueDepths> {
  const [row] = await sql<QueueDepths[]>`
    select
      (select count(*)::int from portal_link.honseki_change_requests where status in ('RECEIVED', 'FETCHING')) as honseki,
      (select count(*)::int from consent.record_change_outbox where delivered_at is null) as outbox,
      (select count(*)::int from driver.record_imports
        where status = 'PENDING' and effective_on <= (now() at time zone 'Asia/Tokyo')::date) as "dueImports",
      (select count(*)::int from idempotency.requests where response is null) as "idempotencyRunning"`;
  return row!;
}

export interface Sample {
  /** Seconds since the open loop started. */
  t: number;
  rss: (number | null)[];
  queues: QueueDepths | null;
  /**
   * CPU used since the previous sample, in ms: by each watched process (in their order), by the Postgres backends of
   * the soak's database, by the soak in all (their sum), and by the whole machine, busy and in all. The machine is
   * shared: what the soak did not use, something else did (jlis:import's short runs count there too).
   */
  cpu: { byProcess: number[]; postgres: number; soak: number; machineBusy: number; machineTotal: number } | null;
}

/**
 * Every `everyMs`: each watched process's RSS from /proc/<pid>/status and CPU from /proc/<pid>/stat, the CPU of the
 * Postgres backends serving the soak's database (bench/support/cpu.ts says why those), the machine's, and the depth
 * of every queue, read over a connection of the soak's own.
 */
export function watcher(processes: readonly Watched[], sql: postgres.Sql, everyMs: number) {
  const samples: Sample[] = [];
  const backends = async () => (await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`).map((r) => Number(r.pid));
  const readAll = async () => [...processes.map((p) => readCpu(p.pids)), readCpu(await backends().catch(() => []))];
  let last: CpuReading[] = [];
  let machine = machineCpuMs();
  let timer: NodeJS.Timeout | null = null;
  let t0 = 0;
  let cpuStart: CpuReading[] = [];
  let cpuMs: number[] = [];
  let inFlight: Promise<void> | null = null;
  const sample = async () => {
    const t = (performance.now() - t0) / 1000;
    const rss = processes.map((p) => rssMb(p.pids));
    const queues = await queueDepths(sql).catch(() => null);
    const now = await readAll();
    const nowMachine = machineCpuMs();
    const used = now.map((r, i) => cpuBetween(last[i] ?? new Map(), r));
    const cpu =
      machine && nowMachine
        ? {
            byProcess: used.slice(0, processes.length),
            postgres: used.at(-1)!,
            soak: used.reduce((a, b) => a + b, 0),
            machineBusy: nowMachine.busy - machine.busy,
            machineTotal: nowMachine.total - machine.total,
          }
        : null;
    last = now;
    machine = nowMachine;
    samples.push({ t, rss, queues, cpu });
  };
  const tick = () => {
    inFlight ??= sample().finally(() => {
      inFlight = null;
    });
  };
  return {
    samples,
    async start() {
      t0 = performance.now();
      cpuStart = processes.map((p) => readCpu(p.pids));
      last = await readAll();
      machine = machineCpuMs();
      tick();
      timer = setInterval(tick, everyMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      await inFlight;
      await sample();
      cpuMs = processes.map((p, i) => cpuBetween(cpuStart[i]!, readCpu(p.pids)));
    },
    cpuMs: () => cpuMs,
    peakMb: () => processes.map((p) => Math.max(...p.pids.map((pid) => peakRssMb(pid) ?? 0))),
  };
}
