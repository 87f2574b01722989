import { sign, verify, type KeyObject } from 'node:crypto';

/**
 * The gateway's per-subgraph tokens as compact JWS with EdDSA (Ed25519), signed and checked with node:crypto
 * directly: both ends are ours, the one algorithm is fixed, and this path runs for every subgraph call, where the
 * general-purpose JOSE library's asynchronous Web Crypto path cost several times as much. Anything that is not
 * exactly three base64url parts with an EdDSA header and a valid signature is refused.
 */
const b64 = (json: object) => Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
const B64URL_RE = /^[A-Za-z0-9_-]+$/;

export function signEdDsa(header: { kid?: string }, payload: object, key: KeyObject): string {
  const input = `${b64({ alg: 'EdDSA', typ: 'JWT', ...header })}.${b64(payload)}`;
  return `${input}.${sign(null, Buffer.from(input, 'ascii'), key).toString('base64url')}`;
}

/** The payload of a token whose EdDSA signature holds under `key`; null for anything else. */
export function verifyEdDsa(token: string, key: KeyObject): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL_RE.test(p))) return null;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: unknown; crit?: unknown };
    if (header.alg !== 'EdDSA' || header.crit !== undefined) return null;
    if (!verify(null, Buffer.from(`${h}.${p}`, 'ascii'), key, Buffer.from(s, 'base64url'))) return null;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
