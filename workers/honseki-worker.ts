import type { Clock } from '../lib/platform/clock.js';
import { sameSubject } from '../lib/domain/certificates/subject-digest.js';
import {
  ClaimHonsekiRequestsDocument,
  HolderIdentityDocument,
  ScheduleRecordImportsDocument,
  SettleHonsekiRequestDocument,
} from '../lib/domain/generated/operations.js';
import { answerOf, type GraphClient } from '../lib/platform/graph-client.js';
import { japanDate } from '../lib/platform/japan-date.js';
import { RegistryUnavailableError, type FamilyRegisterClient } from './family-register-client.js';

type Settlement = { settlement: 'APPLIED' | 'FAILED' | 'RETRY'; reason: string | null };

/**
 * R-HON-2: takes the 本籍 requests that are due, fetches each 戸籍電子証明書 with its code, checks it is the
 * holder's, and writes the new 本籍 through the graph (an import applied at once, idempotent on the request id).
 * An unavailable registry leaves the request for a later attempt; a crash leaves it leased until the lease runs out.
 */
export async function processHonsekiRequests(deps: {
  graph: GraphClient;
  headers: () => Promise<Record<string, string>>;
  registry: FamilyRegisterClient;
  clock: Clock;
  limit?: number;
}): Promise<{ claimed: number; outcomes: Record<string, number> }> {
  const headers = await deps.headers();
  const claimed = answerOf(await deps.graph.request(ClaimHonsekiRequestsDocument, { limit: deps.limit ?? 10 }, headers));
  const requests = claimed.claimHonsekiRequests.requests;
  const outcomes: Record<string, number> = {};
  for (const r of requests) {
    const result = await settleOne(deps, headers, r);
    await deps.graph.request(SettleHonsekiRequestDocument, { input: { id: r.id, ...result } }, headers);
    const key = result.reason ? `${result.settlement}:${result.reason}` : result.settlement;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  return { claimed: requests.length, outcomes };
}

/**
 * The names the holder is known by (R-HON-2): the record's, and any J-LIS has reported that the record does not hold
 * yet — a NAME change pending its effective day (filed + 2 days) or failed awaiting 記載事項変更の登録 — since the
 * 戸籍 already carries the new name. Each is compared tolerating 代替文字 (R-CHAR-1).
 */
function knownNames(holder: { name: string; recordImports: readonly { item: string; newValue: string; source: string; status: string }[] }): string[] {
  const reported = holder.recordImports
    .filter((i) => i.item === 'NAME' && i.source === 'ADDRESS_ONE_STOP' && (i.status === 'PENDING' || i.status === 'FAILED'))
    .map((i) => i.newValue);
  return [holder.name, ...reported];
}

async function settleOne(
  deps: { graph: GraphClient; registry: FamilyRegisterClient; clock: Clock },
  headers: Record<string, string>,
  r: { id: string; holderId: string; identifierCode: string },
): Promise<Settlement> {
  let cert: Awaited<ReturnType<typeof deps.registry.fetchCertificate>>;
  try {
    cert = await deps.registry.fetchCertificate(r.identifierCode);
  } catch (e) {
    if (e instanceof RegistryUnavailableError) return { settlement: 'RETRY', reason: 'REGISTRY_UNAVAILABLE' };
    throw e;
  }
  if (cert.kind === 'UNKNOWN_CODE') return { settlement: 'FAILED', reason: 'INVALID_CODE' };
  if (cert.kind === 'CODE_EXPIRED') return { settlement: 'FAILED', reason: 'CODE_EXPIRED' };
  if (cert.kind === 'MALFORMED') return { settlement: 'FAILED', reason: 'REGISTRY_ANSWER_INVALID' };
  const holder = (await deps.graph.request(HolderIdentityDocument, { id: r.holderId }, headers)).data?.holder;
  if (!holder) return { settlement: 'RETRY', reason: 'RECORD_UNAVAILABLE' };
  if (!knownNames(holder).some((name) => sameSubject(cert, { name, birthDate: holder.birthDate }))) return { settlement: 'FAILED', reason: 'PERSON_MISMATCH' };
  const scheduled = await deps.graph.request(
    ScheduleRecordImportsDocument,
    {
      input: [
        {
          holderId: r.holderId,
          item: 'HONSEKI',
          newValue: cert.honseki,
          source: 'HONSEKI_ONLINE',
          sourceRef: `honseki:${r.id}`,
          filedOn: cert.issuedOn,
          effectiveOn: japanDate(deps.clock.now()),
        },
      ],
    },
    headers,
  );
  const res = scheduled.data?.scheduleRecordImports.results[0];
  if (!res) return { settlement: 'RETRY', reason: 'RECORD_UNAVAILABLE' };
  if (res.outcome === 'STALE') return { settlement: 'FAILED', reason: 'STALE_CERTIFICATE' };
  if (res.outcome === 'APPLIED' || res.outcome === 'NO_CHANGE') return { settlement: 'APPLIED', reason: null };
  if (res.outcome === 'DUPLICATE' && res.recordImport?.status === 'APPLIED') return { settlement: 'APPLIED', reason: null };
  return { settlement: 'FAILED', reason: res.recordImport?.failureReason ?? res.outcome };
}
