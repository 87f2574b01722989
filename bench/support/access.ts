import { createGatewayTokenSigner } from '../../lib/platform/identity/gateway-token.js';
import { HEADER, subgraphHeaders } from '../../lib/platform/identity/request.js';
import type { RequestAccess } from '../../lib/platform/identity/roles.js';
import { createSubgraphScope } from '../../lib/platform/identity/subgraph-scope.js';
import { signDevToken } from '../../lib/platform/identity/tokens.js';
import { SUBGRAPHS } from '../../schema/subgraphs.js';
import { productionRun } from './documents.js';

/** The caller every benchmark request is made as: a supervisor at a Tokyo licence centre, at the counter. */
export const BENCH_ACCESS: RequestAccess = {
  identity: { subject: 'bench-clerk', role: 'SUPERVISOR', prefecture: '13' },
  purpose: 'HOLDER_INQUIRY',
  identityVerification: 'MYNA_CARD_FACE',
  requestId: 'bench',
};

/** The headers a front-end sends through the gateway: a token of the run's identity provider, else the dev key's. */
export async function clientHeaders(): Promise<Record<string, string>> {
  const token = process.env.BENCH_CLIENT_TOKEN ?? (await signDevToken({ role: 'SUPERVISOR', prefecture: '13', subject: 'bench-clerk' }));
  return {
    [HEADER.authorization]: `Bearer ${token}`,
    [HEADER.purpose]: BENCH_ACCESS.purpose!,
    [HEADER.identityVerification]: BENCH_ACCESS.identityVerification!,
  };
}

/**
 * Per-subgraph headers for calls that bypass our gateway (the peer engines and the direct calls): our subgraphs
 * answer only a token the gateway key signed for them, valid a minute, so they are signed again every 30 s.
 */
export async function subgraphHeaderSource(): Promise<(subgraph: string) => Record<string, string>> {
  const sign = await createGatewayTokenSigner({ NODE_ENV: productionRun() ? 'production' : 'test', GATEWAY_SIGNING_JWK: process.env.GATEWAY_SIGNING_JWK });
  let headers: Record<string, Record<string, string>> = {};
  const refresh = async () => {
    const entries = await Promise.all(
      SUBGRAPHS.map(async (s) => [s.name, subgraphHeaders(await sign(s.name, BENCH_ACCESS), BENCH_ACCESS.requestId, null)] as const),
    );
    headers = Object.fromEntries(entries);
  };
  await refresh();
  setInterval(() => void refresh(), 30_000).unref();
  return (subgraph) => headers[subgraph] ?? {};
}

/**
 * Recorded subgraph bodies made fit to send again: each Holder representation carries the prefecture the driver
 * vouched for, bound to the recorded request's id and valid for minutes (lib/platform/identity/subgraph-scope.ts), so the
 * replay vouches for it again under the replay's request id, as the driver would, each body once a minute.
 */
export function revouchedBodies(): (body: string) => string {
  const scope = createSubgraphScope({ NODE_ENV: productionRun() ? 'production' : 'test', SUBGRAPH_SCOPE_KEY: process.env.SUBGRAPH_SCOPE_KEY });
  const made = new Map<string, { body: string; until: number }>();
  return (body) => {
    const known = made.get(body);
    if (known && Date.now() < known.until) return known.body;
    const parsed = JSON.parse(body) as { variables?: { representations?: { __typename?: string; id?: string; accessScope?: unknown }[] } };
    for (const r of parsed.variables?.representations ?? []) {
      if (r.__typename === 'Holder' && r.id && typeof r.accessScope === 'string') {
        r.accessScope = scope.vouchForHolder(r.id, r.accessScope.split('.')[0]!, BENCH_ACCESS.requestId);
      }
    }
    const fresh = JSON.stringify(parsed);
    made.set(body, { body: fresh, until: Date.now() + 60_000 });
    return fresh;
  };
}
