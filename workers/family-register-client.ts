/**
 * The adapter to the family register system: one call, a timeout per attempt, and a few quick retries for a
 * registry that does not answer. What is still unavailable after that is the caller's to retry later.
 */
export type KosekiResult =
  | { kind: 'OK'; honseki: string; name: string; birthDate: string; issuedOn: string }
  | { kind: 'UNKNOWN_CODE' }
  | { kind: 'CODE_EXPIRED' };

export class RegistryUnavailableError extends Error {
  override name = 'RegistryUnavailableError';
}

export interface FamilyRegisterClient {
  fetchCertificate(identifierCode: string): Promise<KosekiResult>;
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
          if (res.status === 200) {
            const b = (await res.json()) as { honseki: string; name: string; birthDate: string; issuedOn: string };
            return { kind: 'OK', honseki: b.honseki, name: b.name, birthDate: b.birthDate, issuedOn: b.issuedOn };
          }
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
