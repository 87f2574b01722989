const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded generator (mulberry32), so that a run's arrivals and mix can be had again with the same seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The closed loop the maximum is measured with: `connections` loops, each sending as soon as its last is answered. */
export async function closedLoop(once: () => Promise<void>, opts: { connections: number; seconds: number }): Promise<{ requests: number; seconds: number }> {
  const started = performance.now();
  const until = started + opts.seconds * 1000;
  let requests = 0;
  await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      while (performance.now() < until) {
        await once();
        requests++;
      }
    }),
  );
  return { requests, seconds: (performance.now() - started) / 1000 };
}

/**
 * The open loop: requests arrive at `rate` a second as independent clients arrive (exponential gaps, a Poisson
 * process), whether or not earlier ones have been answered, so a server that falls behind shows it as latency and a
 * growing number in flight instead of the load easing off, as a closed loop would. Each arrival's lag (sent after its
 * time) shows whether the generator kept pace; past `maxInFlight` an arrival is dropped and counted, a sign the
 * graph is not keeping up at all.
 */
export async function openLoop(opts: {
  rate: number;
  seconds: number;
  random: () => number;
  launch: () => Promise<void>;
  maxInFlight: number;
  lag: number[];
}): Promise<{ arrivals: number; dropped: number; peakInFlight: number; seconds: number }> {
  const started = performance.now();
  const until = started + opts.seconds * 1000;
  const inFlight = new Set<Promise<void>>();
  let next = started;
  let arrivals = 0;
  let dropped = 0;
  let peakInFlight = 0;
  for (;;) {
    const now = performance.now();
    while (next <= now && next < until) {
      arrivals++;
      if (inFlight.size >= opts.maxInFlight) dropped++;
      else {
        opts.lag.push(now - next);
        const p = opts.launch().finally(() => inFlight.delete(p));
        inFlight.add(p);
        peakInFlight = Math.max(peakInFlight, inFlight.size);
      }
      next += (-Math.log(1 - opts.random()) * 1000) / opts.rate;
    }
    if (next >= until) break;
    await sleep(Math.max(1, Math.min(20, next - performance.now())));
  }
  await sleep(Math.max(0, until - performance.now()));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  return { arrivals, dropped, peakInFlight, seconds };
}
