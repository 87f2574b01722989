import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

/** The reason a timed-out call is aborted with: the message `formatApiError` reports as SERVICE_UNAVAILABLE. */
const timeoutReason = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as Promise<unknown> | null)?.then === 'function';

/**
 * Controllers of the calls in flight, by a signal they must stop with. The HTTP executor hands every fetch the
 * signal its executor is disposed with, one signal for all calls to a subgraph: it gets a single listener that
 * aborts whatever is in flight, instead of one listener per call (Node checks each new listener against all those
 * already there, and Hive's combined signals leave theirs until the collector runs).
 */
class AbortFollowers {
  private readonly bySignal = new WeakMap<AbortSignal, Set<AbortController>>();

  follow(signal: AbortSignal | null | undefined, controller: AbortController): () => void {
    if (!signal) return () => {};
    if (signal.aborted) {
      controller.abort(signal.reason);
      return () => {};
    }
    let followers = this.bySignal.get(signal);
    if (!followers) {
      const fresh = new Set<AbortController>();
      this.bySignal.set(signal, (followers = fresh));
      signal.addEventListener(
        'abort',
        () => {
          for (const c of fresh) c.abort(signal.reason);
        },
        { once: true },
      );
    }
    const these = followers;
    these.add(controller);
    return () => these.delete(controller);
  }
}

/**
 * Each attempt at a subgraph call gets `ms` to answer, its body included. Registered before the retry plugin, so it
 * wraps every attempt and the retry sees a timed-out attempt as a failed one. Hive's own `upstreamTimeout` does the
 * same with `AbortSignal.timeout` and combined signals per call; here it is one AbortController and one timer per
 * attempt, let go as soon as the attempt settles.
 *
 * Every attempt gets a copy of the execution request: the HTTP executor takes the propagated headers (the subgraph
 * token among them) out of the request it is given, and a retry sent with the same object would go without them.
 * The copy carries no signal of ours (the executor would combine it with its own, per call); the attempt's signal is
 * set on its fetch instead.
 */
export function subgraphTimeoutPlugin(ms: number): GatewayPlugin {
  const attempts = new WeakMap<object, { controller: AbortController; unfollow: (() => void)[] }>();
  const followers = new AbortFollowers();
  return {
    onSubgraphExecute({ executor, setExecutor }) {
      const attemptWithTimeout = (request: Parameters<typeof executor>[0]) => {
        const attempt = { ...request };
        const controller = new AbortController();
        const unfollow = [followers.follow(request.signal, controller)];
        // The fetch hook is told of the request the runtime planned, not of the copy: attempts are one at a time.
        attempts.set(request, { controller, unfollow });
        const timer = setTimeout(() => controller.abort(timeoutReason()), ms);
        const settle = () => {
          clearTimeout(timer);
          for (const u of unfollow) u();
        };
        let result: unknown;
        try {
          result = executor(attempt);
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
    onFetch({ executionRequest, options, setOptions }) {
      const attempt = executionRequest && attempts.get(executionRequest);
      if (!attempt) return;
      // Let go when the attempt settles, its answer read.
      attempt.unfollow.push(followers.follow(options.signal, attempt.controller));
      setOptions({ ...options, signal: attempt.controller.signal });
    },
  };
}
