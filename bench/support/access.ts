import { createGatewayTokenSigner } from '../../lib/identity/gateway-token.js';
import { HEADER, subgraphHeaders } from '../../lib/identity/request.js';
import type { RequestAccess } from '../../lib/identity/roles.js';
import { signDevToken } from '../../lib/identity/tokens.js';
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
    const entries = await Promise.all(SUBGRAPHS.map(async (s) => [s.name, subgraphHeaders(await sign(s.name, BENCH_ACCESS), BENCH_ACCESS.requestId, null)] as const));
    headers = Object.fromEntries(entries);
  };
  await refresh();
  setInterval(() => void refresh(), 30_000).unref();
  return (subgraph) => headers[subgraph] ?? {};
}
