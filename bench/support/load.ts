import { Agent, request as httpRequest } from 'node:http';

/**
 * A closed-loop load generator: `connections` loops each send a request as soon as the previous one is answered,
 * for `seconds`. Every latency is kept, so the percentiles are exact. A failed or non-2xx answer fails the run:
 * a benchmark of errors measures nothing.
 */
export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
}

export async function runLoad(once: () => Promise<void>, opts: { connections: number; seconds: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + opts.seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const t = performance.now();
      await once();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

/** One GraphQL POST (the body may change per request) whose answer must be a 200 without errors. */
export function graphqlPost(url: string, headers: Record<string, string>, body: string | (() => string), check?: (json: unknown) => void): () => Promise<void> {
  return async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : body(),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
    const json = JSON.parse(text) as { errors?: unknown };
    if (json.errors) throw new Error(`${url} answered errors: ${text.slice(0, 300)}`);
    check?.(json);
  };
}

/**
 * Seconds of load each engine gets before anything is measured (BENCH_WARMUP, default 10). A process's CPU per card
 * keeps falling for tens of seconds as V8 optimises it (a HolderCard's 9.4 → 7.5 ms over the first 40 s); after 3 s,
 * what was read was mostly how cold the code still was.
 */
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 10);

/**
 * The things compared in the order of round `round`: forward, then mirrored (A B C, C B A, …). The processes go on
 * warming up for tens of seconds of load (a card's p50 fell 72 → 59 → 53 ms over three 5 s rounds), so in a fixed
 * order the first of every round ran on the coldest code; pairs of mirrored rounds cancel a steady drift.
 */
export const roundOrder = <T>(items: readonly T[], round: number): readonly T[] => (round % 2 === 0 ? items : [...items].reverse());

/** The mean of several rounds of the same load: rounds alternate between the things compared, so drift hits all. */
export function meanOfRounds(rounds: readonly LoadResult[]): Omit<LoadResult, 'requests'> {
  const mean = (pick: (r: LoadResult) => number) => rounds.reduce((a, r) => a + pick(r), 0) / rounds.length;
  return { rps: mean((r) => r.rps), p50: mean((r) => r.p50), p99: mean((r) => r.p99) };
}

/**
 * One POST of a JSON body over `agent`, answered with its status and text; rejects on a transport error, or after
 * `timeoutMs` without an answer.
 */
export function postOver(
  agent: Agent,
  target: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs?: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body);
    const req = httpRequest(
      target,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * One POST over node:http with keep-alive connections (one per load loop) whose answer must be a 200 without
 * `"errors"`. Lighter on the load generator than `fetch`, for engines fast enough that the generator, which shares
 * the machine, would otherwise be what is measured; the answer is checked as text, not parsed, for the same reason.
 */
export function keepAlivePost(
  url: string,
  headers: Record<string, string>,
  body: () => string,
  connections: number,
): { once: () => Promise<void>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  return {
    once: async () => {
      const { status, text } = await postOver(agent, target, headers, body());
      if (status !== 200) throw new Error(`${url} answered ${status}: ${text.slice(0, 300)}`);
      if (text.includes('"errors"')) throw new Error(`${url} answered errors: ${text.slice(0, 300)}`);
    },
    close: () => agent.destroy(),
  };
}
