import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';

/** Clock ticks per second, the unit of /proc/<pid>/stat's times (100 on every Linux this runs on; asked once). */
const TICKS_PER_SECOND = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(out.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/**
 * CPU time a process has used since it started, user + system, in ms (utime + stime of /proc/<pid>/stat, all its
 * threads); null when the process is gone or /proc is absent. The command name, field 2, may hold spaces and
 * brackets, so the fields are counted from the last `)`.
 */
export function cpuMs(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : null;
}

/** A reading of several processes' CPU time, by pid. */
export type CpuReading = Map<number, number>;

export function readCpu(pids: Iterable<number>): CpuReading {
  const out: CpuReading = new Map();
  for (const pid of new Set(pids)) {
    const ms = cpuMs(pid);
    if (ms !== null) out.set(pid, ms);
  }
  return out;
}

/**
 * CPU used between two readings, in ms. A process that appears only in the later reading started in between, so all
 * its time counts (a Postgres backend opened during the load); one gone by the later reading is lost — the pools of
 * the benchmark keep their connections, so none should go.
 */
export function cpuBetween(before: CpuReading, after: CpuReading): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

/**
 * The Postgres backends serving the benchmark's database: every connection the subgraphs hold to it, as the server
 * lists them (pg_stat_activity), not the postmaster's other children — the server is shared with other work, and its
 * background processes (WAL writer, checkpointer) serve every database on it. The connection that asks is left out.
 * Read on the same machine as the server, so the pids are ones /proc shows.
 */
export function postgresBackends(databaseUrl: string): { pids(): Promise<number[]>; close(): Promise<void> } {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return {
    pids: async () => {
      const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
      return rows.map((r) => Number(r.pid));
    },
    close: () => sql.end(),
  };
}

/**
 * CPU time the whole machine has used since boot, busy and in all, in ms summed over its CPUs (the `cpu` line of
 * /proc/stat: busy is user, nice, system, irq, softirq and steal; guest time is inside user already); null where
 * /proc is absent. Beside the CPU of a benchmark's own processes it shows what else ran on a shared machine.
 */
export function machineCpuMs(): { busy: number; total: number } | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const [user, nice, system, idle, iowait, irq, softirq, steal] = stat.split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
  return { busy: ms(busy), total: ms(busy + idle! + iowait!) };
}
