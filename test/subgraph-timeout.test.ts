import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { subgraphTimeoutPlugin } from '../gateway/subgraph-timeout.js';

type Request = { signal?: AbortSignal; extensions?: Record<string, unknown> };
type Executor = (r: Request) => unknown;
type FetchOptions = { signal?: AbortSignal };
type Hooks = {
  onSubgraphExecute(p: { executor: Executor; setExecutor(e: Executor): void }): void;
  onFetch(p: { executionRequest?: object; options: FetchOptions; setOptions(o: FetchOptions): void }): void;
};

/**
 * A subgraph call as the runtime makes it: the plugin's executor around the HTTP executor, which hands its fetch
 * the signal it is disposed with (`disposal`, shared by every call) and tells the fetch hook of the planned request.
 * `answer` decides what the subgraph does with the fetch's final signal; a call may bring its own.
 */
type Answer = (signal: AbortSignal, r: Request) => Promise<unknown>;
function subgraph(ms: number, disposal: AbortSignal, answer: Answer) {
  const plugin = subgraphTimeoutPlugin(ms) as unknown as Hooks;
  const signals: AbortSignal[] = [];
  return {
    signals,
    call(planned: Request, answerThis: Answer = answer) {
      let attempt: Executor = () => undefined;
      const http: Executor = (r) => {
        let options: FetchOptions = { signal: disposal };
        plugin.onFetch({ executionRequest: planned, options, setOptions: (o) => (options = o) });
        signals.push(options.signal!);
        return answerThis(options.signal!, r);
      };
      plugin.onSubgraphExecute({ executor: http, setExecutor: (e) => (attempt = e) });
      return attempt(planned) as Promise<unknown>;
    },
  };
}

/** Never answers by itself; settles when its signal aborts, as the HTTP executor reports an aborted fetch. */
const hangs = (signal: AbortSignal) =>
  new Promise((resolve) => signal.addEventListener('abort', () => resolve({ errors: [{ message: (signal.reason as Error).message }] })));
const answers = () => Promise.resolve({ data: {} });

describe('per-subgraph timeout (gateway/subgraph-timeout.ts)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('aborts an attempt that takes longer than the limit, with the reason reported as SERVICE_UNAVAILABLE', async () => {
    const s = subgraph(300, new AbortController().signal, hangs);
    const result = s.call({});
    vi.advanceTimersByTime(299);
    expect(s.signals[0]!.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    await expect(result).resolves.toEqual({ errors: [{ message: 'The operation was aborted due to timeout' }] });
  });

  it('times each attempt on its own and lets go of its timer once it settles', async () => {
    const s = subgraph(300, new AbortController().signal, answers);
    const planned = {};
    await s.call(planned);
    vi.advanceTimersByTime(200);
    await s.call(planned);
    vi.advanceTimersByTime(10_000);
    expect(s.signals.map((x) => x.aborted)).toEqual([false, false]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('follows the shared disposal signal with one listener for all calls, aborting only the calls in flight', async () => {
    const disposal = new AbortController();
    const s = subgraph(10_000, disposal.signal, answers);
    for (let i = 0; i < 200; i++) await s.call({});
    const result = s.call({}, hangs);
    expect(getEventListeners(disposal.signal, 'abort')).toHaveLength(1);
    disposal.abort(new Error('disposed'));
    await expect(result).resolves.toEqual({ errors: [{ message: 'disposed' }] });
    expect(s.signals.slice(0, 200).some((x) => x.aborted)).toBe(false);
  });

  it('hands every attempt its own copy, so what the executor takes out of one (the subgraph token) is there for the retry', async () => {
    const sent: unknown[] = [];
    // As @graphql-tools/executor-http does: the headers leave the extensions of the request it is given.
    const s = subgraph(300, new AbortController().signal, (_signal, r) => {
      const { headers, ...rest } = r.extensions ?? {};
      sent.push(headers);
      r.extensions = rest;
      return answers();
    });
    const planned: Request = { extensions: { headers: { authorization: 'Bearer t' } } };
    await s.call(planned);
    await s.call(planned);
    expect(sent).toEqual([{ authorization: 'Bearer t' }, { authorization: 'Bearer t' }]);
  });
});
