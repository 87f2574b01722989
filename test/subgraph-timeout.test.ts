import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { subgraphTimeoutPlugin } from '../gateway/subgraph-timeout.js';

type Request = { signal?: AbortSignal; extensions?: Record<string, unknown> };
type Executor = (r: Request) => unknown;
type Hooks = { onSubgraphExecute(p: { executor: Executor; setExecutor(e: Executor): void }): void };

/** The executor the plugin puts around `inner`, as the runtime would call it for each attempt. */
function wrap(ms: number, inner: Executor): Executor {
  let wrapped: Executor = inner;
  (subgraphTimeoutPlugin(ms) as unknown as Hooks).onSubgraphExecute({ executor: inner, setExecutor: (e) => (wrapped = e) });
  return wrapped;
}

/** A subgraph call that never answers by itself; it settles when its signal aborts, as the HTTP executor does. */
const hanging: (seen: AbortSignal[]) => Executor = (seen) => (r) => {
  seen.push(r.signal!);
  return new Promise((resolve) => r.signal!.addEventListener('abort', () => resolve({ errors: [{ message: (r.signal!.reason as Error).message }] })));
};

describe('per-subgraph timeout (gateway/subgraph-timeout.ts)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('aborts an attempt that takes longer than the limit, with the reason reported as SERVICE_UNAVAILABLE', async () => {
    const seen: AbortSignal[] = [];
    const attempt = wrap(300, hanging(seen));
    const result = attempt({ signal: new AbortController().signal }) as Promise<unknown>;
    vi.advanceTimersByTime(299);
    expect(seen[0]!.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    await expect(result).resolves.toEqual({ errors: [{ message: 'The operation was aborted due to timeout' }] });
  });

  it('times each attempt on its own and lets go of the timer and the client signal once an attempt settles', async () => {
    const client = new AbortController();
    const seen: AbortSignal[] = [];
    const attempt = wrap(300, (r) => (seen.push(r.signal!), Promise.resolve({ data: {} })));
    await attempt({ signal: client.signal });
    vi.advanceTimersByTime(200);
    await attempt({ signal: client.signal });
    vi.advanceTimersByTime(10_000);
    client.abort(new Error('client gone'));
    expect(seen.map((s) => s.aborted)).toEqual([false, false]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops an attempt in flight when the client request is aborted', async () => {
    const client = new AbortController();
    const seen: AbortSignal[] = [];
    const result = wrap(10_000, hanging(seen))({ signal: client.signal }) as Promise<unknown>;
    client.abort(new Error('client gone'));
    await expect(result).resolves.toEqual({ errors: [{ message: 'client gone' }] });
  });

  it('hands every attempt its own copy, so what the executor takes out of one (the subgraph token) is there for the retry', async () => {
    const sent: unknown[] = [];
    // As @graphql-tools/executor-http does: the headers leave the extensions of the request it is given.
    const attempt = wrap(300, (r) => {
      const { headers, ...rest } = r.extensions ?? {};
      sent.push(headers);
      r.extensions = rest;
      return Promise.resolve({ data: {} });
    });
    const request: Request = { extensions: { headers: { authorization: 'Bearer t' } } };
    await attempt(request);
    await attempt(request);
    expect(sent).toEqual([{ authorization: 'Bearer t' }, { authorization: 'Bearer t' }]);
  });
});
