/**
 * R-ONE-1: the signed consent document must say exactly what the request says (API.md, Signed consent). Pure: the
 * signature and the certificate are checked elsewhere.
 */
export interface ConsentClaim {
  subject: string;
  items: readonly string[];
  termsVersion: string;
  now: Date;
}

export type DocumentProblem = { field: string; message: string };

const MAX_DOCUMENT = 4096;
/** How far signedAt may lie from the server's clock: terminals' clocks drift, an old signature is a replay. */
const SKEW_MS = 5 * 60_000;
const MAX_AGE_MS = 24 * 3_600_000;

export function documentProblem(document: string, claim: ConsentClaim): DocumentProblem | null {
  if (document.length > MAX_DOCUMENT) return { field: 'document', message: `must be at most ${MAX_DOCUMENT} characters` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return { field: 'document', message: 'is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { field: 'document', message: 'is not a JSON object' };
  const d = parsed as Record<string, unknown>;
  if (d.subject !== claim.subject) return { field: 'document.subject', message: 'does not name the holder of the request' };
  const items = Array.isArray(d.items) ? d.items : null;
  const same = items !== null && items.length === claim.items.length && claim.items.every((i) => items.includes(i));
  if (!same) return { field: 'document.items', message: 'are not the items of the request' };
  if (d.termsVersion !== claim.termsVersion) return { field: 'document.termsVersion', message: 'is not the terms version of the request' };
  const signedAt = typeof d.signedAt === 'string' ? Date.parse(d.signedAt) : Number.NaN;
  if (Number.isNaN(signedAt)) return { field: 'document.signedAt', message: 'must be an ISO 8601 instant' };
  if (signedAt > claim.now.getTime() + SKEW_MS || signedAt < claim.now.getTime() - MAX_AGE_MS) {
    return { field: 'document.signedAt', message: 'must be within the last 24 hours' };
  }
  return null;
}
