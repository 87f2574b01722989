import { apiError, UserErrorException, userError } from '../../lib/platform/errors.js';
import { checkJlisSignature, MAX_JLIS_BATCH } from '../../lib/domain/certificates/jlis-feed.js';
import { createLogger } from '../../lib/platform/log.js';
import { japanDate } from '../../lib/platform/japan-date.js';
import { RecordCertificateRevocationsDocument, ScheduleRecordImportsDocument } from '../../lib/domain/generated/operations.js';
import { GraphUnavailableError, serviceHeaders } from '../../lib/platform/graph-client.js';
import { InputCheck } from '../../lib/platform/graphql/mutation.js';
import { EXTERNAL_ID_RE, SERIAL_RE } from '../../lib/platform/graphql/input.js';
import type { ConsentContext } from './context.js';
import {
  applyConsentCertificateChanges,
  latestConsentsFollowing,
  recordNotificationsOnce,
  recordRevokedSerials,
  seenNotificationIds,
  type ConsentCertificateChange,
} from './repository.js';
import { decide, renewalOutcome, type Decision, type FollowingConsent, type JlisNotification } from './rules/jlis-decision.js';

const log = createLogger('subgraph-consent');

export interface JlisResult {
  notificationId: string;
  outcome: 'SCHEDULED' | 'NO_CHANGE' | 'DUPLICATE' | 'SKIPPED';
  reason: string | null;
}

/**
 * A malformed notification refuses the whole batch, naming it; nothing of the batch is processed. The messages are
 * Japanese (R-CHAR-2) and name the line by its place in the batch, never its content.
 */
function checkBatch(input: readonly JlisNotification[], today: string): void {
  const check = new InputCheck().require(input.length > 0 && input.length <= MAX_JLIS_BATCH, 'input', `1件から${MAX_JLIS_BATCH}件までの通知を送ってください。`);
  input.forEach((n, i) => {
    const line = `${i + 1}件目の通知`;
    check
      .require(EXTERNAL_ID_RE.test(n.notificationId), `${i}.notificationId`, `${line}の通知番号（notificationId）は1〜64文字の半角英数記号としてください。`)
      .require(
        SERIAL_RE.test(n.previousSerial),
        `${i}.previousSerial`,
        `${line}の従前の署名用電子証明書のシリアル番号（previousSerial）が16進数ではありません。`,
      )
      .require(n.filedOn <= today, `${i}.filedOn`, `${line}の届出日（filedOn）が本日より後の日付です。`);
    if (n.kind === 'CERTIFICATE_RENEWED') {
      check
        .require(
          !!n.serial && SERIAL_RE.test(n.serial),
          `${i}.serial`,
          `${line}は更新の通知ですが、新しい署名用電子証明書のシリアル番号（serial）がないか16進数ではありません。`,
        )
        .require(
          !!n.notBefore && !!n.notAfter && n.notBefore < n.notAfter,
          `${i}.notAfter`,
          `${line}の有効期間（notBefore、notAfter）がないか、開始が終了より後です。`,
        )
        .require(
          !!(n.name || n.address || n.birthDate),
          `${i}`,
          `${line}は更新の通知ですが、新しい署名用電子証明書の記録情報（氏名、住所、生年月日）がありません。`,
        );
    }
  });
  check.done();
}

/**
 * Issue 15.7: a notification rewrites names and addresses, so the feed's bearer token is not enough. Every line must
 * carry J-LIS's signature by a key of JLIS_FEED_PUBLIC_KEYS_FILE, checked on the fields as received (before serials
 * are put in capitals); one that is missing or does not verify refuses the whole batch, naming each such line, and
 * nothing of it is recorded: J-LIS resends a batch whole, and a forged line skipped quietly would hide an attack.
 */
async function checkSignatures(ctx: ConsentContext, input: readonly JlisNotification[]): Promise<void> {
  const checks = await Promise.all(input.map((n) => checkJlisSignature(n, n.signature, ctx.deps.jlisFeedKeys)));
  const errors = checks.flatMap((c, i) =>
    c === 'VALID'
      ? []
      : [
          userError(
            'JLIS_SIGNATURE_INVALID',
            c === 'MISSING'
              ? `${i + 1}件目の通知に地方公共団体情報システム機構（J-LIS）の署名（signature）がありません。このバッチは処理していません。`
              : `${i + 1}件目の通知の署名（signature）を、信頼する地方公共団体情報システム機構（J-LIS）の鍵で検証できません（内容の改ざん、または信頼していない鍵による署名）。このバッチは処理していません。`,
            ['input', String(i), 'signature'],
          ),
        ],
  );
  if (errors.length > 0) {
    // Who sent what is in the access log; here only how many lines failed, never their content.
    log.warn('J-LIS batch refused: signature check failed', { lines: errors.length, batch: input.length, requestId: ctx.access.requestId });
    throw new UserErrorException(errors);
  }
}

/**
 * Serials compared in capitals, absent fields as null. Spelt out rather than spread: V8's generic object copy took
 * some 3 µs a notification, longer than deciding it.
 */
const normalised = (n: JlisNotification): JlisNotification => ({
  notificationId: n.notificationId,
  kind: n.kind,
  previousSerial: n.previousSerial.toUpperCase(),
  serial: n.serial?.toUpperCase() ?? null,
  notBefore: n.notBefore ?? null,
  notAfter: n.notAfter ?? null,
  name: n.name ?? null,
  address: n.address ?? null,
  birthDate: n.birthDate ?? null,
  filedOn: n.filedOn,
});

/**
 * R-ONE-5/6/7: decides every notification of the batch, schedules the resulting changes in the driver record in
 * one idempotent call, then records each notification with its consent change in one transaction. A crash between
 * the two steps is healed by a rerun: the driver answers DUPLICATE for what it has, and the ledger is written once.
 */
export async function ingestJlisNotifications(ctx: ConsentContext, raw: readonly JlisNotification[]): Promise<{ results: JlisResult[] }> {
  const input = raw.map(normalised);
  checkBatch(input, japanDate(ctx.now));
  // The signatures are checked in the thread pool while the ledger and the consents are read (reads only: a refused
  // batch has changed nothing); nothing is decided before every signature has verified.
  const signatures = checkSignatures(ctx, raw);
  signatures.catch(() => {}); // awaited below; this only keeps a refusal from counting as unhandled meanwhile
  const seen = await seenNotificationIds(
    ctx.db,
    input.map((n) => n.notificationId),
  );
  const followingRows = await latestConsentsFollowing(ctx.db, [...new Set(input.map((n) => n.previousSerial))]);
  await signatures;
  const following = new Map<string, FollowingConsent>(followingRows.map((c) => [c.certificateSerial, c]));

  // Decide in file order, letting a renewal earlier in the batch move its consent to the new serial.
  const decisions = new Map<string, Decision>();
  // Each new notification id's first occurrence in the batch; a repeat is a DUPLICATE of it.
  const firstOf = new Map<string, JlisNotification>();
  for (const n of input) {
    if (seen.has(n.notificationId) || firstOf.has(n.notificationId)) continue;
    firstOf.set(n.notificationId, n);
    const consent = following.get(n.previousSerial) ?? null;
    const d = decide(n, consent);
    decisions.set(n.notificationId, d);
    if (d.action === 'RENEW' && consent) {
      following.delete(n.previousSerial);
      following.set(d.follow.serial, { ...consent, certificateNotAfter: d.follow.notAfter });
    }
  }

  const headers = await serviceHeaders(ctx.deps.serviceToken, ctx.access.requestId);
  const schedule = [...decisions.entries()].flatMap(([id, d]) =>
    d.action === 'RENEW'
      ? d.changes.map((c) => ({
          holderId: d.holderId,
          item: c.item,
          newValue: c.newValue,
          source: 'ADDRESS_ONE_STOP' as const,
          sourceRef: id,
          filedOn: firstOf.get(id)!.filedOn,
          effectiveOn: d.effectiveOn,
        }))
      : [],
  );
  const itemOutcomes = new Map<string, string[]>();
  if (schedule.length > 0) {
    const r = await ctx.deps.graph.request(ScheduleRecordImportsDocument, { input: schedule }, headers).catch((e: unknown) => {
      if (e instanceof GraphUnavailableError)
        throw apiError('INTERNAL_SERVER_ERROR', '運転者管理システムに接続できないため、このバッチは処理していません。同じバッチを再送してください。');
      throw e;
    });
    const payload = r.data?.scheduleRecordImports;
    if (!payload || payload.userErrors.length > 0 || r.errors?.length) {
      throw apiError('INTERNAL_SERVER_ERROR', '運転者管理システムがこのバッチを受け付けなかったため、処理していません。同じバッチを再送してください。');
    }
    for (const res of payload.results) itemOutcomes.set(res.sourceRef, [...(itemOutcomes.get(res.sourceRef) ?? []), res.outcome]);
  }
  const revoked = input.filter((n) => decisions.get(n.notificationId) && n.kind === 'CERTIFICATE_REVOKED').map((n) => n.previousSerial);
  if (revoked.length > 0) {
    // The M1 record learns of the revocation too (R-CERT-2 there); idempotent, so a rerun repeats it harmlessly.
    await ctx.deps.graph.request(RecordCertificateRevocationsDocument, { serialNumbers: revoked, revokedAt: ctx.now.toISOString() }, headers);
  }

  // The ledger, the revoked serials and the consents change together, each in one statement for the whole batch.
  const entries = input.map((n): { n: JlisNotification; d: Decision | null; outcome: JlisResult['outcome']; reason: string | null } => {
    const d = decisions.get(n.notificationId);
    if (!d || !firstOf.delete(n.notificationId)) return { n, d: null, outcome: 'DUPLICATE', reason: null };
    const { outcome, reason } =
      d.action === 'SKIP'
        ? { outcome: 'SKIPPED' as const, reason: d.reason }
        : d.action === 'REVOKE'
          ? { outcome: 'NO_CHANGE' as const, reason: 'CERTIFICATE_REVOKED_AWAITING_NEW' }
          : renewalOutcome(itemOutcomes.get(n.notificationId) ?? []);
    return { n, d, outcome, reason };
  });
  await ctx.db.transaction(async (tx) => {
    const fresh = await recordNotificationsOnce(
      tx,
      entries.flatMap(({ n, d, outcome, reason }) =>
        d
          ? [
              {
                notificationId: n.notificationId,
                kind: n.kind,
                consentId: d.action === 'SKIP' ? null : d.consentId,
                filedOn: n.filedOn,
                outcome,
                reason,
                receivedAt: ctx.now,
              },
            ]
          : [],
      ),
    );
    const revokedSerials: { serialNumber: string; revokedAt: Date; notificationId: string }[] = [];
    const changes = new Map<string, ConsentCertificateChange>();
    for (const e of entries) {
      if (!e.d || !fresh.has(e.n.notificationId)) {
        e.outcome = 'DUPLICATE';
        e.reason = null;
        continue;
      }
      const { n, d } = e;
      if (n.kind === 'CERTIFICATE_REVOKED') revokedSerials.push({ serialNumber: n.previousSerial, revokedAt: ctx.now, notificationId: n.notificationId });
      // In file order, so a consent renewed and then revoked in one batch ends revoked, and the other way round.
      if (d.action === 'REVOKE') {
        changes.set(d.consentId, { ...changes.get(d.consentId), consentId: d.consentId, revokedAt: ctx.now });
        ctx.audit.note(d.holderId, 'WRITE', 'ALLOWED', 'addressOneStopConsent');
      }
      if (d.action === 'RENEW') {
        changes.set(d.consentId, { consentId: d.consentId, serial: d.follow.serial, notAfter: d.follow.notAfter, revokedAt: null });
        ctx.audit.note(d.holderId, 'WRITE', 'ALLOWED', 'addressOneStopConsent');
      }
    }
    await recordRevokedSerials(tx, revokedSerials);
    await applyConsentCertificateChanges(tx, [...changes.values()]);
  });
  const results: JlisResult[] = entries.map((e) => ({ notificationId: e.n.notificationId, outcome: e.outcome, reason: e.reason }));
  return { results };
}
