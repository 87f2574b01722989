import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const OPERATION_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATIONS = 200;

/** The counters and the histogram of one operation or one subgraph, bound to its labels. */
interface Series {
  ok: { inc(): void };
  error: { inc(): void };
  seconds: { observe(value: number): void };
}

export interface WorkCount {
  queue: string;
  state: string;
  count: number;
}

/**
 * One service's Prometheus metrics, served on its own `/metrics`: requests and latency per operation, calls and
 * latency per subgraph (the gateway), and the depth of its durable work queues, counted when scraped. Labels carry
 * operation and subgraph names only, never anything of a request's content.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly requestSeconds: Histogram<'operation'>;
  private readonly subgraphCalls: Counter<'subgraph' | 'outcome'>;
  private readonly subgraphSeconds: Histogram<'subgraph'>;
  private readonly operations = new Set<string>();
  private readonly requestSeries = new Map<string, Series>();
  private readonly subgraphSeries = new Map<string, Series>();

  /**
   * @param scrapeToken the bearer token `/metrics` asks for (METRICS_TOKEN); without one it answers anyone.
   * @param work the durable work queues' depths, counted at each scrape.
   */
  constructor(
    service: string,
    private readonly scrapeToken: string | undefined,
    work?: () => Promise<WorkCount[]>,
  ) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'renkei_' });
    this.requests = new Counter({
      name: 'renkei_requests_total',
      help: 'GraphQL requests answered, by operation and outcome',
      labelNames: ['operation', 'outcome'],
      registers: [this.registry],
    });
    this.requestSeconds = new Histogram({
      name: 'renkei_request_duration_seconds',
      help: 'GraphQL request latency by operation',
      labelNames: ['operation'],
      buckets: SECONDS,
      registers: [this.registry],
    });
    this.subgraphCalls = new Counter({
      name: 'renkei_subgraph_requests_total',
      help: 'Gateway calls to subgraphs, by subgraph and outcome',
      labelNames: ['subgraph', 'outcome'],
      registers: [this.registry],
    });
    this.subgraphSeconds = new Histogram({
      name: 'renkei_subgraph_request_duration_seconds',
      help: 'Gateway call latency by subgraph',
      labelNames: ['subgraph'],
      buckets: SECONDS,
      registers: [this.registry],
    });
    if (work) {
      const registry = this.registry;
      new Gauge({
        name: 'renkei_work_items',
        help: 'Durable work items by queue and state (FAILED record imports are the import failures awaiting a person)',
        labelNames: ['queue', 'state'],
        registers: [registry],
        async collect() {
          this.reset();
          for (const w of await work()) this.set({ queue: w.queue, state: w.state }, w.count);
        },
      });
    }
  }

  /** Operation names become labels only while they are names and few: anything else counts as one bucket. */
  private label(operation: string | null | undefined): string {
    if (!operation || !OPERATION_RE.test(operation)) return 'anonymous';
    if (this.operations.has(operation)) return operation;
    if (this.operations.size >= MAX_OPERATIONS) return 'other';
    this.operations.add(operation);
    return operation;
  }

  observeRequest(operation: string | null | undefined, ok: boolean, seconds: number): void {
    const op = this.label(operation);
    this.observe(
      this.requestSeries,
      op,
      () => ({
        ok: this.requests.labels({ operation: op, outcome: 'ok' }),
        error: this.requests.labels({ operation: op, outcome: 'error' }),
        seconds: this.requestSeconds.labels({ operation: op }),
      }),
      ok,
      seconds,
    );
  }

  observeSubgraph(subgraph: string, ok: boolean, seconds: number): void {
    this.observe(
      this.subgraphSeries,
      subgraph,
      () => ({
        ok: this.subgraphCalls.labels({ subgraph, outcome: 'ok' }),
        error: this.subgraphCalls.labels({ subgraph, outcome: 'error' }),
        seconds: this.subgraphSeconds.labels({ subgraph }),
      }),
      ok,
      seconds,
    );
  }

  /**
   * prom-client hashes the label object on every call; the series of one operation or subgraph are looked up once.
   * Both maps stay small: operations are capped by `label`, subgraphs are the graph's three.
   */
  private observe(cache: Map<string, Series>, key: string, bind: () => Series, ok: boolean, seconds: number): void {
    let series = cache.get(key);
    if (!series) cache.set(key, (series = bind()));
    (ok ? series.ok : series.error).inc();
    series.seconds.observe(seconds);
  }

  /** Whether a scrape presents the token, compared in constant time (digests of equal length). */
  admits(authorization: string | undefined): boolean {
    if (!this.scrapeToken) return true;
    const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
    return timingSafeEqual(digest(presented), digest(this.scrapeToken));
  }

  async serve(res: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
    res.end(body);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `GET /metrics`, with the scrape token when one is configured; true when it answered. */
export async function metricsRoute(req: IncomingMessage, res: ServerResponse, metrics: ServiceMetrics | undefined): Promise<boolean> {
  if (!metrics || req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') return false;
  if (!metrics.admits(req.headers.authorization)) {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' });
    res.end(
      JSON.stringify({ errors: [{ message: '/metrics needs the scrape token (METRICS_TOKEN) as a bearer token', extensions: { code: 'UNAUTHENTICATED' } }] }),
    );
    return true;
  }
  await metrics.serve(res);
  return true;
}

export const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
