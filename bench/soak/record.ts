import type { Verdict } from './client.js';

export type Phase = 'setup' | 'max' | 'soak';
type Cls = Verdict['cls'];
const CLASSES: readonly Cls[] = ['ok', 'userError', 'graphql', '4xx', '5xx', 'transport'];

/** The p-th quantile of sorted values (the value at rank ⌊p·n⌋, as bench/support/load.ts takes it). */
export const quantile = (sorted: ArrayLike<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
const sortedCopy = (xs: readonly number[]) => Float64Array.from(xs).sort();

/**
 * Every request of the run: its latency, kept whole so the percentiles are exact, by minute of the open-loop phase and
 * by kind; and every outcome other than `ok` counted by class over all phases, since a 5xx while populating or while
 * the maximum was measured is a finding too. The first few details of each class are kept to say what went wrong.
 */
export class Recorder {
  private readonly minutes: { ms: number[]; byClass: Record<Cls, number> }[] = [];
  private readonly kinds = new Map<string, { ms: number[]; byClass: Record<Cls, number>; codes: Map<string, number> }>();
  readonly byPhase: Record<Phase, Record<Cls, number>> = { setup: zero(), max: zero(), soak: zero() };
  readonly details: Partial<Record<Cls, string[]>> = {};
  /** Milliseconds each open-loop request was sent after its arrival time: the generator keeping pace or not. */
  readonly lag: number[] = [];
  /** Every open-loop request as `seconds,kind,ms,verdict`, kept only when asked for (BENCH_SOAK_TRACE). */
  readonly trace: string[] = [];
  private soakStart = 0;
  private lastMinute = 0;

  constructor(private readonly keepTrace = false) {}

  /** The open loop starts now and lasts `seconds`. */
  startSoak(at: number, seconds: number): void {
    this.soakStart = at;
    this.lastMinute = Math.max(0, Math.ceil(seconds / 60) - 1);
  }

  record(phase: Phase, kind: string, sentAt: number, ms: number, v: Verdict): void {
    this.byPhase[phase][v.cls]++;
    if (v.cls !== 'ok') {
      const list = (this.details[v.cls] ??= []);
      if (list.length < 5) list.push(`${phase} ${kind}: ${v.detail}`);
    }
    if (phase !== 'soak') return;
    if (this.keepTrace) this.trace.push(`${((sentAt - this.soakStart) / 1000).toFixed(3)},${kind},${ms.toFixed(1)},${v.cls}`);
    // A request that arrived in time but was sent just after the end (its certificate still being made) counts in the last minute.
    const minute = Math.min(this.lastMinute, Math.max(0, Math.floor((sentAt - this.soakStart) / 60_000)));
    while (this.minutes.length <= minute) this.minutes.push({ ms: [], byClass: zero() });
    this.minutes[minute]!.ms.push(ms);
    this.minutes[minute]!.byClass[v.cls]++;
    let k = this.kinds.get(kind);
    if (!k) this.kinds.set(kind, (k = { ms: [], byClass: zero(), codes: new Map() }));
    k.ms.push(ms);
    k.byClass[v.cls]++;
    if (v.cls === 'userError') k.codes.set(v.detail, (k.codes.get(v.detail) ?? 0) + 1);
  }

  total(cls: Cls): number {
    return Object.values(this.byPhase).reduce((a, p) => a + p[cls], 0);
  }

  /** Per minute of the open loop: `seconds` is how much of that minute the loop ran (the last may be partial). */
  perMinute(loopSeconds: number) {
    return this.minutes.map((m, i) => {
      const sorted = sortedCopy(m.ms);
      const seconds = Math.min(60, loopSeconds - 60 * i);
      return {
        minute: i + 1,
        seconds,
        requests: sorted.length,
        rps: sorted.length / Math.max(1, seconds),
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        errors5xx: m.byClass['5xx'],
        otherErrors: m.byClass.transport + m.byClass.graphql + m.byClass['4xx'],
        userErrors: m.byClass.userError,
      };
    });
  }

  perKind() {
    return [...this.kinds.entries()].map(([kind, k]) => {
      const sorted = sortedCopy(k.ms);
      return {
        kind,
        requests: sorted.length,
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        notOk: CLASSES.filter((c) => c !== 'ok' && k.byClass[c] > 0).map((c) => `${c} ${k.byClass[c]}`),
        codes: Object.fromEntries(k.codes),
      };
    });
  }

  /** Latencies of the whole open loop, sorted. */
  all(): Float64Array {
    return sortedCopy(this.minutes.flatMap((m) => m.ms));
  }
}

function zero(): Record<Cls, number> {
  return { ok: 0, userError: 0, graphql: 0, '4xx': 0, '5xx': 0, transport: 0 };
}
