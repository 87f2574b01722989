import type { SubgraphUrls } from './supergraph.js';

/** The gateway can serve when every subgraph answers its own readiness check (and so reaches its database). */
export async function subgraphsReady(urls: SubgraphUrls): Promise<boolean> {
  const checks = Object.values(urls).map(async (url) => {
    const res = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  });
  return (await Promise.all(checks.map((c) => c.catch(() => false)))).every(Boolean);
}
