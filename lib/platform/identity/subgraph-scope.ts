import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';
import { DEV_ONLY_SUBGRAPH_SCOPE_KEY } from './dev-keys.js';

/**
 * What one subgraph vouches for to another within one request, so that no subgraph authorizes from a value that
 * anything holding a gateway token could have written into a representation:
 * - the driver, the record's owner, vouches for a holder's residence prefecture (`Holder.accessScope`), from which
 *   consent and portal-link authorize staff;
 * - the consent subgraph vouches for whose a consent is (`Consent.noticeScope`), from which portal-link answers the
 *   pseudonym of Myna Portal's expiry notice.
 * Each value is what it vouches for, an expiry a few minutes ahead and an HMAC-SHA256 (cut to 128 bits) over those,
 * the request id and the kind of value, with the key the subgraphs share (SUBGRAPH_SCOPE_KEY). Bound to the request
 * id, a value copied out of one request is worthless in another; its expiry bounds even a replay under the same id.
 */
const LIFETIME_S = 300;
const MAC_BYTES = 16;
const MAC_RE = /^[A-Za-z0-9_-]{22}$/;
const EXP_RE = /^[0-9]{1,12}$/;
const PREFECTURE_RE = /^[0-9]{2}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface SubgraphScope {
  /** `Holder.accessScope`: the holder's residence prefecture, for this request. */
  vouchForHolder(holderId: string, prefecture: string, requestId: string): string;
  /** The prefecture `value` vouches for; null unless this key made it for this holder and request, and it is current. */
  holderPrefecture(value: unknown, holderId: string, requestId: string): string | null;
  /** `Consent.noticeScope`: the holder the consent belongs to, for this request. */
  vouchForConsent(consentId: string, holderId: string, requestId: string): string;
  /** The holder `value` vouches for; null unless this key made it for this consent and request, and it is current. */
  consentHolder(value: unknown, consentId: string, requestId: string): string | null;
}

export function createSubgraphScope(cfg: Pick<Config, 'NODE_ENV' | 'SUBGRAPH_SCOPE_KEY'>): SubgraphScope {
  if (!cfg.SUBGRAPH_SCOPE_KEY && cfg.NODE_ENV === 'production') throw new Error('SUBGRAPH_SCOPE_KEY is required in production');
  const key = Buffer.from(cfg.SUBGRAPH_SCOPE_KEY ?? DEV_ONLY_SUBGRAPH_SCOPE_KEY, 'utf8');
  const mac = (kind: string, subject: string, vouched: string, requestId: string, exp: string) =>
    createHmac('sha256', key).update(`${kind}\n${subject}\n${vouched}\n${requestId}\n${exp}`).digest().subarray(0, MAC_BYTES);
  const make = (kind: string, subject: string, vouched: string, requestId: string) => {
    const exp = String(Math.floor(Date.now() / 1000) + LIFETIME_S);
    return `${vouched}.${exp}.${mac(kind, subject, vouched, requestId, exp).toString('base64url')}`;
  };
  const check = (kind: string, value: unknown, subject: string, requestId: string, shape: RegExp): string | null => {
    if (typeof value !== 'string') return null;
    const parts = value.split('.');
    if (parts.length !== 3) return null;
    const [vouched, exp, given] = parts as [string, string, string];
    if (!shape.test(vouched) || !EXP_RE.test(exp) || !MAC_RE.test(given)) return null;
    if (Number(exp) <= Date.now() / 1000) return null;
    return timingSafeEqual(Buffer.from(given, 'base64url'), mac(kind, subject, vouched, requestId, exp)) ? vouched : null;
  };
  return {
    vouchForHolder: (holderId, prefecture, requestId) => make('holder', holderId, prefecture, requestId),
    holderPrefecture: (value, holderId, requestId) => check('holder', value, holderId, requestId, PREFECTURE_RE),
    vouchForConsent: (consentId, holderId, requestId) => make('consent', consentId, holderId, requestId),
    consentHolder: (value, consentId, requestId) => check('consent', value, consentId, requestId, UUID_RE),
  };
}
