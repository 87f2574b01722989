import { hasForbiddenCharacter } from '../lib/platform/graphql/text-arguments.js';
import { isDateInRange } from '../lib/platform/japan-date.js';

/**
 * The adapter to the family register system: one call, a timeout per attempt, and a few quick retries for a
 * registry that does not answer. What is still unavailable after that is the caller's to retry later.
 */
export type KosekiResult =
  | { kind: 'OK'; honseki: string; name: string; birthDate: string; issuedOn: string }
  | { kind: 'UNKNOWN_CODE' }
  | { kind: 'CODE_EXPIRED' }
  /** An answer the record could not take as it is: not the shape agreed, or dates out of range, or forbidden characters. */
  | { kind: 'MALFORMED' };

export class RegistryUnavailableError extends Error {
  override name = 'RegistryUnavailableError';
}

export interface FamilyRegisterClient {
  fetchCertificate(identifierCode: string): Promise<KosekiResult>;
}

const text = (v: unknown) => typeof v === 'string' && v.trim() !== '' && v.length <= 1000 && !hasForbiddenCharacter(v);

/**
 * The registry's answer at the boundary, as every input is taken (lib/platform/graphql/text-arguments.ts): texts without
 * control characters and in NFC, dates inside the range the graph takes, a birth date not after the certificate.
 */
function certificateFrom(body: unknown): KosekiResult {
  const b = (body ?? {}) as Record<string, unknown>;
  if (!text(b.honseki) || !text(b.name) || typeof b.birthDate !== 'string' || typeof b.issuedOn !== 'string') return { kind: 'MALFORMED' };
  if (!isDateInRange(b.birthDate) || !isDateInRange(b.issuedOn) || b.birthDate > b.issuedOn) return { kind: 'MALFORMED' };
  const nfc = (v: unknown) => (v as string).normalize('NFC');
  return { kind: 'OK', honseki: nfc(b.honseki), name: nfc(b.name), birthDate: b.birthDate, issuedOn: b.issuedOn };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createFamilyRegisterClient(opts: { baseUrl: () => string; timeoutMs?: number; attempts?: number }): FamilyRegisterClient {
  const attempts = opts.attempts ?? 3;
  return {
    async fetchCertificate(identifierCode) {
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await fetch(`${opts.baseUrl()}/v1/koseki-certificates`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ identifierCode }),
            signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
          });
          if (res.status === 200) return certificateFrom(await res.json());
          if (res.status === 404) return { kind: 'UNKNOWN_CODE' };
          if (res.status === 410) return { kind: 'CODE_EXPIRED' };
          if (res.status < 500) throw new Error(`the registry refused the request (${res.status})`);
        } catch (e) {
          const transient = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError' || e instanceof TypeError;
          if (!transient) throw e;
        }
        if (attempt >= attempts) throw new RegistryUnavailableError('the family register system did not answer');
        await sleep(100 * 2 ** attempt);
      }
    },
  };
}
