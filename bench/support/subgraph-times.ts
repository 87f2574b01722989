/** Seconds and calls per subgraph, as the gateway's own `/metrics` counts them. */
export type SubgraphTimes = Map<string, { seconds: number; calls: number }>;

const SERIES_RE = /^renkei_subgraph_request_duration_seconds_(sum|count)\{[^}]*subgraph="([^"]+)"[^}]*\} (\S+)$/;

/** The gateway's running totals of its subgraph calls (one gateway process: the benchmarks run one worker). */
export async function subgraphTimes(gatewayUrl: string): Promise<SubgraphTimes> {
  // Scraped as Prometheus would, with the run's scrape token when it has one (production runs).
  const token = process.env.METRICS_TOKEN;
  const text = await (await fetch(new URL('/metrics', gatewayUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} })).text();
  const out: SubgraphTimes = new Map();
  for (const line of text.split('\n')) {
    const m = SERIES_RE.exec(line);
    if (!m) continue;
    const entry = out.get(m[2]!) ?? { seconds: 0, calls: 0 };
    if (m[1] === 'sum') entry.seconds = Number(m[3]);
    else entry.calls = Number(m[3]);
    out.set(m[2]!, entry);
  }
  return out;
}

/** What happened between two readings, added to `into`. */
export function addSince(into: SubgraphTimes, before: SubgraphTimes, after: SubgraphTimes): void {
  for (const [name, a] of after) {
    const b = before.get(name) ?? { seconds: 0, calls: 0 };
    const sum = into.get(name) ?? { seconds: 0, calls: 0 };
    into.set(name, { seconds: sum.seconds + a.seconds - b.seconds, calls: sum.calls + a.calls - b.calls });
  }
}

/** `driver 2 × 31.0 ms, consent 1 × 44.2 ms`: calls per request and the mean time of one call, as the gateway saw them. */
export function describeCalls(times: SubgraphTimes, requests: number): string {
  return [...times]
    .filter(([, t]) => t.calls > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, t]) => `${name} ${(t.calls / requests).toFixed(0)} × ${((1000 * t.seconds) / t.calls).toFixed(1)} ms`)
    .join(', ');
}
