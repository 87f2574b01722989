import { HEADER } from '../lib/identity/request.js';

/**
 * The client headers every subgraph needs to enforce access itself: the bearer token (each subgraph verifies it
 * again), the purpose and identity verification (R-INQ-1), and the request id that ties the logs together.
 */
export const FORWARDED_HEADERS = [HEADER.authorization, HEADER.purpose, HEADER.identityVerification] as const;

export function forwardedHeaders(get: (name: string) => string | null | undefined, requestId: string): Record<string, string> {
  const out: Record<string, string> = { [HEADER.requestId]: requestId };
  for (const name of FORWARDED_HEADERS) {
    const value = get(name);
    if (value) out[name] = value;
  }
  return out;
}
