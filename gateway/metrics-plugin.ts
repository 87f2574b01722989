import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST } from 'graphql';
import { HEADER } from '../lib/platform/identity/request.js';
import type { Logger } from '../lib/platform/log.js';
import { secondsSince, type ServiceMetrics } from '../lib/platform/metrics.js';
import { nameActiveOperation, startSubgraphSpan } from '../lib/platform/tracing.js';

/**
 * Counts and times each request by operation and each subgraph call by subgraph, and logs one line per request with
 * the request id the subgraphs log too. Names and outcomes only; nothing of the variables or the answer.
 */
export function metricsPlugin(metrics: ServiceMetrics, log: Logger): GatewayPlugin {
  const requests = new WeakMap<Request, { start: bigint; operation: string | null }>();
  return {
    onRequest({ request }) {
      requests.set(request, { start: process.hrtime.bigint(), operation: null });
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const entry = request && requests.get(request);
      if (entry) entry.operation = getOperationAST(args.document, args.operationName)?.name?.value ?? null;
      nameActiveOperation(entry ? entry.operation : null);
    },
    onResultProcess({ request, result }) {
      const entry = requests.get(request);
      if (!entry) return;
      requests.delete(request);
      const errors = Array.isArray(result) ? result.some((r) => r.errors?.length) : !!(result as { errors?: unknown[] } | undefined)?.errors?.length;
      const seconds = secondsSince(entry.start);
      metrics.observeRequest(entry.operation, !errors, seconds);
      log.info('request', { requestId: request.headers.get(HEADER.requestId), operation: entry.operation, ok: !errors, ms: Math.round(seconds * 1000) });
    },
    onSubgraphExecute({ subgraphName, executionRequest }) {
      const start = process.hrtime.bigint();
      const span = startSubgraphSpan(subgraphName, executionRequest.operationName);
      return ({ result }) => {
        const ok = !(result as { errors?: unknown[] }).errors?.length;
        metrics.observeSubgraph(subgraphName, ok, secondsSince(start));
        span.end(ok);
      };
    },
  };
}
