import type { Sample, Watched } from './watch.js';

const median = (xs: readonly number[]) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Where "after warm-up" and "the end" are, in seconds of the open loop. Warm-up is over at 20 % of the run and not
 * before its first minute (at most half-way, for short runs); what follows is cut in two halves, the first standing
 * for "after warm-up" and the second for "the end". Each half's value is the highest RSS sampled in it: V8 gives
 * memory back only after a full collection, so a busy Node process's RSS is a sawtooth (a subgraph climbs some
 * 1 MB/s from ~200 to ~450 MB, then falls back, every one to two minutes), and a single sample or a median lands
 * anywhere on it. The top of the teeth is what a leak raises and what the machine must have room for; halves of
 * four minutes (in a ten-minute run) each hold whole teeth. The lowest sample (after a collection) is shown beside it.
 */
export function memoryWindows(loopSeconds: number) {
  const warmFrom = Math.min(Math.max(60, 0.2 * loopSeconds), 0.5 * loopSeconds);
  const half = warmFrom + (loopSeconds - warmFrom) / 2;
  return { warm: [warmFrom, half] as const, end: [half, loopSeconds + 5] as const };
}

export interface MemoryRow {
  label: string;
  startMb: number | null;
  warmMb: number;
  endMb: number;
  /** The lowest sample after warm-up: the floor of the sawtooth. */
  lowMb: number;
  peakMb: number;
  /** (end − warm) ÷ end: the change the check bounds. */
  change: number;
  cpuSeconds: number;
}

export function memoryRows(watched: readonly Watched[], samples: readonly Sample[], loopSeconds: number, peak: number[], cpuMs: number[]): MemoryRow[] {
  const w = memoryWindows(loopSeconds);
  const within = (i: number, [from, to]: readonly [number, number]) =>
    samples.filter((s) => s.t >= from && s.t <= to && s.rss[i] != null).map((s) => s.rss[i]!);
  return watched.map((p, i) => {
    const warmMb = Math.max(...within(i, w.warm));
    const endMb = Math.max(...within(i, w.end));
    return {
      label: p.label,
      startMb: samples[0]?.rss[i] ?? null,
      warmMb,
      endMb,
      lowMb: Math.min(...within(i, [w.warm[0], w.end[1]])),
      peakMb: peak[i]!,
      change: (endMb - warmMb) / endMb,
      cpuSeconds: (cpuMs[i] ?? 0) / 1000,
    };
  });
}

/**
 * Per minute of the open loop: the largest depth of each queue among its samples, and the share of the machine's CPU
 * (100 % = every core busy) the soak used and everything else used — on a shared machine, the second says how much
 * of a slow minute was someone else's.
 */
export function samplesByMinute(samples: readonly Sample[], minutes: number) {
  return Array.from({ length: minutes }, (_, m) => {
    const inMinute = samples.filter((s) => s.t > 60 * m && s.t <= 60 * (m + 1));
    const queued = inMinute.filter((s) => s.queues);
    const max = (pick: (q: NonNullable<Sample['queues']>) => number) => Math.max(0, ...queued.map((s) => pick(s.queues!)));
    const cpu = inMinute.flatMap((s) => (s.cpu ? [s.cpu] : []));
    const sum = (pick: (c: NonNullable<Sample['cpu']>) => number) => cpu.reduce((a, c) => a + pick(c), 0);
    const total = sum((c) => c.machineTotal);
    const processes = cpu[0]?.byProcess.length ?? 0;
    return {
      /** CPU ms each watched process used in the minute, then the soak database's Postgres backends. */
      cpuMs: [...Array.from({ length: processes }, (_, i) => sum((c) => c.byProcess[i]!)), sum((c) => c.postgres)],
      honseki: max((q) => q.honseki),
      outbox: max((q) => q.outbox),
      dueImports: max((q) => q.dueImports),
      soakCpu: total > 0 ? sum((c) => c.soak) / total : Number.NaN,
      otherCpu: total > 0 ? Math.max(0, sum((c) => c.machineBusy) - sum((c) => c.soak)) / total : Number.NaN,
    };
  });
}

/**
 * p99 stable over the run: the worst minute's p99 at most `factor` × the median minute's, over minutes the loop ran
 * at least 30 s of (a last short minute has too few requests for its p99 to mean much).
 */
export function p99Stability(minutes: readonly { seconds: number; p99: number }[], factor = 2) {
  const full = minutes.filter((m) => m.seconds >= 30).map((m) => m.p99);
  const worst = Math.max(...full);
  const typical = median(full);
  return { worst, typical, ratio: worst / typical, factor };
}
