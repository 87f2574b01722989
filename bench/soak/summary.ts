import type { Sample, Watched } from './watch.js';

const median = (xs: readonly number[]) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Where "after warm-up" and "the end" are, in seconds of the open loop: warm-up is over at 20 % of the run and not
 * before its first minute (at most half-way, for short runs); each value is the median of the samples in the 30 s
 * from there, and in the last 30 s, so that one sample taken just before or after a collection decides nothing.
 */
export function memoryWindows(loopSeconds: number) {
  const warmFrom = Math.min(Math.max(60, 0.2 * loopSeconds), 0.5 * loopSeconds);
  return { warm: [warmFrom, warmFrom + 30] as const, end: [loopSeconds - 30, loopSeconds + 5] as const };
}

export interface MemoryRow {
  label: string;
  startMb: number | null;
  warmMb: number;
  endMb: number;
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
    const warmMb = median(within(i, w.warm));
    const endMb = median(within(i, w.end));
    return {
      label: p.label,
      startMb: samples[0]?.rss[i] ?? null,
      warmMb,
      endMb,
      peakMb: peak[i]!,
      change: (endMb - warmMb) / endMb,
      cpuSeconds: (cpuMs[i] ?? 0) / 1000,
    };
  });
}

/** The largest depth of each queue among the samples of each minute of the open loop. */
export function queuesByMinute(samples: readonly Sample[], minutes: number) {
  return Array.from({ length: minutes }, (_, m) => {
    const inMinute = samples.filter((s) => s.queues && s.t >= 60 * m && s.t < 60 * (m + 1));
    const max = (pick: (q: NonNullable<Sample['queues']>) => number) => Math.max(0, ...inMinute.map((s) => pick(s.queues!)));
    return { honseki: max((q) => q.honseki), outbox: max((q) => q.outbox), dueImports: max((q) => q.dueImports) };
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
