import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

/** The reason a timed-out call is aborted with: the message `formatApiError` reports as SERVICE_UNAVAILABLE. */
const timeoutReason = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as Promise<unknown> | null)?.then === 'function';

/**
 * Each attempt at a subgraph call gets `ms` to answer, its body included, and stops too when the client's request
 * is aborted. Registered before the retry plugin, so it wraps every attempt and the retry sees a timed-out attempt
 * as a failed one. Hive's own `upstreamTimeout` does the same with `AbortSignal.timeout` and a combined signal per
 * call (some 20 µs a call, and weak references for the collector to clear); here it is one AbortController and one
 * timer, let go as soon as the attempt settles.
 *
 * Every attempt gets a copy of the execution request: the HTTP executor takes the propagated headers (the subgraph
 * token among them) out of the request it is given, and a retry sent with the same object would go without them.
 */
export function subgraphTimeoutPlugin(ms: number): GatewayPlugin {
  return {
    onSubgraphExecute({ executor, setExecutor }) {
      const attemptWithTimeout = (request: Parameters<typeof executor>[0]) => {
        const controller = new AbortController();
        const outer = request.signal;
        const followOuter = () => controller.abort(outer?.reason);
        if (outer?.aborted) controller.abort(outer.reason);
        else outer?.addEventListener('abort', followOuter, { once: true });
        const timer = setTimeout(() => controller.abort(timeoutReason()), ms);
        const settle = () => {
          clearTimeout(timer);
          outer?.removeEventListener('abort', followOuter);
        };
        let result: unknown;
        try {
          result = executor({ ...request, signal: controller.signal });
        } catch (e) {
          settle();
          throw e;
        }
        if (!isPromise(result)) {
          settle();
          return result;
        }
        return result.finally(settle);
      };
      setExecutor(attemptWithTimeout as typeof executor);
    },
  };
}
