import type { Clock } from '../lib/platform/clock.js';
import { ApplyDueRecordImportsDocument, DeliverRecordChangesDocument } from '../lib/domain/generated/operations.js';
import { answerOf, GraphRefusedError, serviceHeaders, type GraphClient } from '../lib/platform/graph-client.js';
import { createLogger } from '../lib/platform/log.js';
import type { FamilyRegisterClient } from './family-register-client.js';
import { processHonsekiRequests } from './honseki-worker.js';

const log = createLogger('workers');

export interface WorkerIntervals {
  honsekiMs: number;
  dueImportsMs: number;
  outboxMs: number;
}

export const DEFAULT_INTERVALS: WorkerIntervals = { honsekiMs: 2_000, dueImportsMs: 60_000, outboxMs: 15_000 };

/**
 * The durable work of the graph, driven from here and kept in Postgres: 本籍 requests, imports that fall due, and
 * record changes owed by the consent subgraph. Each loop is a client of the gateway with the service identity;
 * stopping waits for the step in progress, so nothing is left half-done by a shutdown.
 */
export function startWorkers(deps: {
  graph: GraphClient;
  serviceToken: () => Promise<string>;
  registry: FamilyRegisterClient;
  clock: Clock;
  intervals?: Partial<WorkerIntervals>;
}): { stop(): Promise<void> } {
  const intervals = { ...DEFAULT_INTERVALS, ...deps.intervals };
  const headers = () => serviceHeaders(deps.serviceToken);
  let stopped = false;
  const running = new Set<Promise<void>>();
  const timers: NodeJS.Timeout[] = [];

  const loop = (name: string, every: number, step: () => Promise<unknown>) => {
    const tick = async () => {
      if (stopped) return;
      const current = step()
        .then((r) => log.debug(`${name} step`, { result: r as Record<string, unknown> }))
        .catch((e: unknown) =>
          log.warn(`${name} step failed; retrying later`, { kind: (e as Error).name, ...(e instanceof GraphRefusedError ? { codes: e.codes } : {}) }),
        );
      running.add(current);
      await current;
      running.delete(current);
      if (!stopped) timers.push(setTimeout(() => void tick(), every));
    };
    timers.push(setTimeout(() => void tick(), Math.min(every, 1_000)));
  };

  loop('honseki', intervals.honsekiMs, () => processHonsekiRequests({ graph: deps.graph, headers, registry: deps.registry, clock: deps.clock }));
  loop('due-imports', intervals.dueImportsMs, async () => answerOf(await deps.graph.request(ApplyDueRecordImportsDocument, { limit: 500 }, await headers())));
  loop('record-change-outbox', intervals.outboxMs, async () =>
    answerOf(await deps.graph.request(DeliverRecordChangesDocument, { limit: 100 }, await headers())),
  );

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(running);
    },
  };
}
