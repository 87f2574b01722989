import { createHash } from 'node:crypto';

/**
 * R-ONE-1: the signed consent document must say exactly what the request says (API.md, Signed consent), and is
 * accepted once. Pure: the signature and the certificate are checked elsewhere, the claim of a document is stored
 * elsewhere.
 */
export interface ConsentClaim {
  subject: string;
  items: readonly string[];
  termsVersion: string;
  now: Date;
}

/** `message` is what the clerk or holder reads (R-CHAR-2): Japanese, naming the field. */
export type DocumentProblem = { field: string; message: string };

const MAX_DOCUMENT = 4096;
/**
 * How far signedAt may lie from the server's clock: a terminal's clock drifts a little (5 minutes ahead), and a
 * document signed more than a day ago is not the consent being given now (24 hours back). Single use (below) is what
 * stops a replay inside the window.
 */
const SKEW_MS = 5 * 60_000;
const MAX_AGE_MS = 24 * 3_600_000;

/**
 * An ISO 8601 instant as RFC 3339 writes it: date, `T`, time to the second, an optional fraction, and `Z` or an
 * offset. No other shape: `Date.parse` would take "Nov 30 2026 10:00" in the server's own zone, which is no instant.
 */
const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch of a strict instant, or null when it is not one (also 2026-02-30, 24:00, +25:00). */
export function parseInstant(text: string): number | null {
  const m = INSTANT_RE.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  // The day must exist in its month: Date.UTC would carry 2026-02-30 into March.
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, 0);
  return utc.getTime() + Math.floor(fraction) - offsetMinutes * 60_000;
}

export function documentProblem(document: string, claim: ConsentClaim): DocumentProblem | null {
  if (document.length > MAX_DOCUMENT) {
    return { field: 'document', message: `同意データ（document）は${MAX_DOCUMENT}文字以内でなければなりません` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return { field: 'document', message: '同意データ（document）が JSON ではありません' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { field: 'document', message: '同意データ（document）が JSON のオブジェクトではありません' };
  }
  // JSON.parse keeps the last of two equal keys; the signer's screen may have shown the first.
  if (hasDuplicateKey(document)) {
    return { field: 'document', message: '同意データ（document）に同じ項目名が重複しています' };
  }
  const d = parsed as Record<string, unknown>;
  if (d.subject !== claim.subject) {
    return { field: 'document.subject', message: '同意データの対象者（document.subject）が申請の対象者と一致しません' };
  }
  const items = Array.isArray(d.items) ? d.items : null;
  const same = items !== null && items.length === claim.items.length && claim.items.every((i) => items.includes(i));
  if (!same) return { field: 'document.items', message: '同意データの項目（document.items）が申請の項目と一致しません' };
  if (d.termsVersion !== claim.termsVersion) {
    return { field: 'document.termsVersion', message: '同意データの利用規約の版（document.termsVersion）が申請の版と一致しません' };
  }
  const signedAt = typeof d.signedAt === 'string' ? parseInstant(d.signedAt) : null;
  if (signedAt === null) {
    return {
      field: 'document.signedAt',
      message: '同意データの署名日時（document.signedAt）は、時差又は Z を付けた ISO 8601 形式の日時（例：2026-11-30T16:00:00+09:00）でなければなりません',
    };
  }
  if (signedAt > claim.now.getTime() + SKEW_MS || signedAt < claim.now.getTime() - MAX_AGE_MS) {
    return { field: 'document.signedAt', message: '同意データの署名日時（document.signedAt）が直近24時間以内ではありません' };
  }
  return null;
}

/**
 * What identifies a signed consent once used: the SHA-256 of the document's UTF-8 bytes. The signature covers exactly
 * those bytes, so any other document needs a new signature by the certificate's key, while the same document is the
 * same consent however its signature is encoded (R-ONE-1: accepted once, also after a revocation).
 */
export function signedConsentDigest(document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('hex');
}

/**
 * Whether an object of a valid JSON text names one key twice, at any depth. A scan of the text: the parsed value has
 * already kept only one of them.
 */
export function hasDuplicateKey(json: string): boolean {
  const frames: { keys: Set<string> | null; expectKey: boolean }[] = [];
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      while (end < json.length && json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const top = frames.at(-1);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return true;
        top.keys.add(key);
        top.expectKey = false;
      }
      i = end;
    } else if (c === '{') frames.push({ keys: new Set(), expectKey: true });
    else if (c === '[') frames.push({ keys: null, expectKey: false });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',') {
      const top = frames.at(-1);
      if (top?.keys) top.expectKey = true;
    }
  }
  return false;
}
