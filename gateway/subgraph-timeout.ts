import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

/** The reason a timed-out call is aborted with: the message `formatApiError` reports as SERVICE_UNAVAILABLE. */
const timeoutReason = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

type Execution = object;

/**
 * Each attempt at a subgraph call gets `ms` to answer, its body included; the runtime's retry then sees the aborted
 * attempt as a failed one. Hive's own `upstreamTimeout` does the same with `AbortSignal.timeout` and a combined
 * signal on every call, some 20 µs a call and weak references for the collector to clear; here it is one
 * AbortController and one timer, both let go when the subgraph's answer is in.
 *
 * The call still stops when the signal the runtime gave it aborts (the gateway disposing its executors). That signal
 * is shared by every call to a subgraph, so it gets one listener that aborts the calls in flight, not one per call:
 * Node checks a new listener against every listener already there.
 */
export function subgraphTimeoutPlugin(ms: number): GatewayPlugin {
  const cleanups = new WeakMap<Execution, (() => void)[]>();
  const inFlight = new WeakMap<AbortSignal, Set<AbortController>>();

  const follow = (outer: AbortSignal | undefined | null, controller: AbortController): (() => void) => {
    if (!outer) return () => {};
    if (outer.aborted) {
      controller.abort(outer.reason);
      return () => {};
    }
    let calls = inFlight.get(outer);
    if (!calls) {
      const fresh = new Set<AbortController>();
      inFlight.set(outer, (calls = fresh));
      outer.addEventListener('abort', () => fresh.forEach((c) => c.abort(outer.reason)), { once: true });
    }
    const these = calls;
    these.add(controller);
    return () => these.delete(controller);
  };

  return {
    onFetch({ executionRequest, options, setOptions }) {
      if (!executionRequest) return;
      const controller = new AbortController();
      const unfollow = follow(options.signal, controller);
      const cleanup = () => {
        clearTimeout(timer);
        unfollow();
      };
      // Let go at the latest when the time is up, should the runtime never report the call's end (a thrown error).
      const timer = setTimeout(() => {
        controller.abort(timeoutReason());
        unfollow();
      }, ms).unref();
      const pending = cleanups.get(executionRequest);
      if (pending) pending.push(cleanup);
      else cleanups.set(executionRequest, [cleanup]);
      setOptions({ ...options, signal: controller.signal });
    },
    onSubgraphExecute({ executionRequest }) {
      // After the last attempt, its answer read in full: nothing is left to abort.
      return () => {
        for (const cleanup of cleanups.get(executionRequest) ?? []) cleanup();
        cleanups.delete(executionRequest);
      };
    },
  };
}
