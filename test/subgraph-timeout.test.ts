import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { subgraphTimeoutPlugin } from '../gateway/subgraph-timeout.js';

type Hooks = {
  onFetch(p: { executionRequest?: object; options: { signal?: AbortSignal }; setOptions(o: { signal?: AbortSignal }): void }): void;
  onSubgraphExecute(p: { executionRequest: object }): () => void;
};

/** One subgraph call as the runtime makes it: the execute hook, then a fetch per attempt; returns each attempt's signal. */
function call(plugin: Hooks, outer: AbortSignal, attempts = 1) {
  const executionRequest = {};
  const done = plugin.onSubgraphExecute({ executionRequest });
  const signals: AbortSignal[] = [];
  for (let i = 0; i < attempts; i++) {
    plugin.onFetch({ executionRequest, options: { signal: outer }, setOptions: (o) => signals.push(o.signal!) });
  }
  return { signals, done };
}

describe('per-subgraph timeout (gateway/subgraph-timeout.ts)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('aborts an attempt that takes longer than the limit, with the reason reported as SERVICE_UNAVAILABLE, each attempt timed on its own', () => {
    const plugin = subgraphTimeoutPlugin(300) as unknown as Hooks;
    const { signals } = call(plugin, new AbortController().signal, 1);
    vi.advanceTimersByTime(299);
    expect(signals[0]!.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signals[0]!.aborted).toBe(true);
    expect((signals[0]!.reason as DOMException).message).toBe('The operation was aborted due to timeout');
  });

  it('lets go of the timer once the answer is in: nothing is aborted later', () => {
    const plugin = subgraphTimeoutPlugin(300) as unknown as Hooks;
    const { signals, done } = call(plugin, new AbortController().signal, 2);
    done();
    vi.advanceTimersByTime(10_000);
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
  });

  it('follows the shared signal with one listener for all calls, aborting only the calls in flight', () => {
    const plugin = subgraphTimeoutPlugin(10_000) as unknown as Hooks;
    const shared = new AbortController();
    const finished = Array.from({ length: 200 }, () => call(plugin, shared.signal));
    for (const c of finished) c.done();
    const running = call(plugin, shared.signal);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    shared.abort(new Error('disposed'));
    expect(running.signals[0]!.aborted).toBe(true);
    expect((running.signals[0]!.reason as Error).message).toBe('disposed');
    expect(finished.some((c) => c.signals[0]!.aborted)).toBe(false);
  });
});
