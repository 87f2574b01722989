import { sameSubject, subjectDigest, subjectDigests } from '../../lib/domain/certificates/subject-digest.js';
import { CERTIFICATE_MESSAGES, verifySignatureCertificate, type VerifiedCertificate } from '../../lib/domain/certificates/verify.js';
import type { CertificateKind } from '../../lib/domain/certificates/x509.js';
import { UserErrorException, userError, type UserError } from '../../lib/platform/errors.js';
import { refuse } from './refusals.js';
import { isUuid, PSEUDONYM_RE, PSEUDONYM_RULE } from '../../lib/platform/graphql/input.js';
import { InputCheck } from '../../lib/platform/graphql/mutation.js';
import { lookupHolder } from '../../lib/domain/holder-lookup.js';
import type { PortalLinkContext } from './context.js';
import {
  anyCertificateWithSubject,
  claimCertificateSerial,
  findHoldersWithCurrentSerial,
  findRequestWithCode,
  insertHonsekiRequest,
  leaseHonsekiRequests,
  lockHonsekiRequest,
  updateHonsekiRequest,
  findLinkByHolderIdForUpdate,
  findLinkByPseudonymForUpdate,
  insertCertificate,
  isSerialRevoked,
  saveLink,
} from './repository.js';
import type { HonsekiChangeRequestRow, PortalLinkRow, SignatureCertificateRow } from './tables.js';
import { HONSEKI_REFUSAL_MESSAGES, honsekiRefusal, isIdentifierCode, retryDelayMs } from './rules/honseki.js';

/**
 * R-CERT-2 for a certificate presented now, of the kinds the procedure accepts (R-CERT-4); a refusal is a userError
 * naming the failed check. A smartphone certificate whose card certificate is known revoked is refused with it.
 */
export async function verifyPresentedCertificate(
  ctx: PortalLinkContext,
  pem: string,
  kinds: readonly CertificateKind[] = ['CARD'],
): Promise<VerifiedCertificate> {
  const field = ['input', 'certificatePem'];
  const check = verifySignatureCertificate(pem, { trust: ctx.deps.trust, now: ctx.now, kinds });
  if (!check.ok) return refuse(check.code, check.message, field);
  const serials = [check.certificate.serialNumber, check.certificate.linkedCardSerial].filter((s): s is string => s !== null);
  for (const serial of serials) {
    if (await isSerialRevoked(ctx.db, serial)) refuse('CERTIFICATE_REVOKED', CERTIFICATE_MESSAGES.CERTIFICATE_REVOKED, field);
  }
  return check.certificate;
}

/** R-CERT-1: what the clerk confirmed at the counter, and what each failure tells the clerk to do. */
const COUNTER_CHECKS = [
  ['faceMatched', 'FACE_NOT_MATCHED', '本人の容貌が個人番号カードの顔写真と一致しません'],
  ['cardValid', 'CARD_NOT_VALID', '個人番号カードが有効ではありません'],
  [
    'addressMatched',
    'ADDRESS_NOT_MATCHED',
    '個人番号カードの券面に記載された住所等（住所、氏名及び生年月日）が運転者管理システムの記録と一致しません。先に記載事項変更の登録をしてください',
  ],
] as const;

/** M1 (R-CERT-1/2): the three counter checks, the certificate, then the holder it must belong to. */
export async function submitSignatureCertificate(
  ctx: PortalLinkContext,
  input: { holderId: string; certificatePem: string; checks: { faceMatched: boolean; cardValid: boolean; addressMatched: boolean } },
): Promise<{ signatureCertificate: SignatureCertificateRow }> {
  new InputCheck().require(isUuid(input.holderId), 'holderId', '運転者のID（UUID）を指定してください').done();
  const failed: UserError[] = COUNTER_CHECKS.filter(([key]) => !input.checks[key]).map(([key, code, message]) =>
    userError(code, message, ['input', 'checks', key]),
  );
  if (failed.length > 0) throw new UserErrorException(failed);
  const cert = await verifyPresentedCertificate(ctx, input.certificatePem);
  const holder = await lookupHolder(ctx.deps.graph, ctx.forward, { id: input.holderId.toLowerCase() });
  if (!holder) return refuse('HOLDER_NOT_FOUND', '指定された運転者は運転者管理システムに記録されていません', ['input', 'holderId']);
  if (holder.holdingForm === 'LICENSE_CARD_ONLY' || holder.holdingForm === 'OTHER') {
    refuse('NOT_MYNA_CARD_HOLDER', 'マイナ免許証又はマイナ経歴証明書を保有していない者です', ['input', 'holderId']);
  }
  // The name as the certificate carries it may use 代替文字 where the record holds the original (R-CHAR-1).
  if (!sameSubject(cert, holder)) {
    refuse('CERTIFICATE_HOLDER_MISMATCH', '個人番号カード用署名用電子証明書の氏名又は生年月日が運転者管理システムの記録と一致しません', [
      'input',
      'certificatePem',
    ]);
  }
  const row = await ctx.db.transaction(async (tx) => {
    // One certificate is one person's: a serial already submitted for another holder is refused, whoever asks first wins.
    if ((await claimCertificateSerial(tx, cert.serialNumber, holder.id, ctx.now)) !== holder.id) {
      refuse('CERTIFICATE_SERIAL_IN_USE', 'この署名用電子証明書は既に他の者の署名用電子証明書として提出されています', ['input', 'certificatePem']);
    }
    return insertCertificate(tx, {
      holderId: holder.id,
      serialNumber: cert.serialNumber,
      issuer: cert.issuer,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      subjectDigest: subjectDigest(cert.name, cert.birthDate),
      faceMatched: true,
      cardValid: true,
      addressMatched: true,
      submittedBy: ctx.access.identity.subject,
      submittedAt: ctx.now,
    });
  });
  ctx.audit.note(holder.id, 'WRITE', 'ALLOWED', 'signatureCertificate');
  return { signatureCertificate: row };
}

/**
 * M2 (R-LINK-1): the certificate again, its serial equal to the M1 serial on file, then the pseudonym stored. A
 * 移動端末設備用署名用電子証明書 stands for the card certificate J-LIS issued it under (R-CERT-4): that one must be the
 * M1 certificate on file.
 */
export async function linkMynaPortal(ctx: PortalLinkContext, input: { certificatePem: string; pseudonym: string }): Promise<{ portalLink: PortalLinkRow }> {
  new InputCheck().require(PSEUDONYM_RE.test(input.pseudonym), 'pseudonym', PSEUDONYM_RULE).done();
  const cert = await verifyPresentedCertificate(ctx, input.certificatePem, ['CARD', 'MOBILE']);
  const cardSerial = cert.kind === 'MOBILE' ? cert.linkedCardSerial! : cert.serialNumber;
  const holders = await findHoldersWithCurrentSerial(ctx.db, cardSerial);
  if (holders.length !== 1) {
    const didM1Otherwise = holders.length === 0 && (await anyCertificateWithSubject(ctx.db, subjectDigests(cert.name, cert.birthDate)));
    if (didM1Otherwise)
      refuse('CERTIFICATE_MISMATCH', '免許センター等で提出された個人番号カード用署名用電子証明書と異なる署名用電子証明書です', ['input', 'certificatePem']);
    refuse('SIGNATURE_CERTIFICATE_NOT_SUBMITTED', '先に免許センター等で個人番号カード用署名用電子証明書を提出してください（利用開始手続）', [
      'input',
      'certificatePem',
    ]);
  }
  const holderId = holders[0]!;
  return ctx.db.transaction(async (tx) => {
    const byPseudonym = await findLinkByPseudonymForUpdate(tx, input.pseudonym);
    if (byPseudonym && byPseudonym.holderId !== holderId) {
      refuse('PSEUDONYM_TAKEN', 'この仮名は既に他の者と連携されています', ['input', 'pseudonym']);
    }
    const existing = await findLinkByHolderIdForUpdate(tx, holderId);
    if (existing && existing.pseudonym !== input.pseudonym) {
      refuse('ALREADY_LINKED', 'この者は既に別の仮名でマイナポータルと連携されています', ['input', 'pseudonym']);
    }
    const portalLink = await saveLink(tx, {
      holderId,
      pseudonym: input.pseudonym,
      certificateSerial: cardSerial,
      linkedAt: existing?.linkedAt ?? ctx.now,
    });
    ctx.audit.note(holderId, 'WRITE', 'ALLOWED', 'portalLink');
    return { portalLink };
  });
}

/** M3 (R-HON-1): a 16-digit code from Myna Portal for a linked holder eligible under R-ELIG-2; the worker takes it from here. */
export async function submitHonsekiIdentifierCode(
  ctx: PortalLinkContext,
  input: { pseudonym: string; identifierCode: string },
): Promise<{ request: HonsekiChangeRequestRow }> {
  new InputCheck()
    .require(PSEUDONYM_RE.test(input.pseudonym), 'pseudonym', PSEUDONYM_RULE)
    .require(isIdentifierCode(input.identifierCode), 'identifierCode', '識別符号は16桁の数字です')
    .done();
  const holder = await lookupHolder(ctx.deps.graph, ctx.forward, { pseudonym: input.pseudonym });
  if (!holder) refuse('PORTAL_NOT_LINKED', 'この仮名でマイナポータルと連携している者はいません', ['input', 'pseudonym']);
  const refusal = honsekiRefusal(holder);
  if (refusal) refuse(refusal, HONSEKI_REFUSAL_MESSAGES[refusal], ['input', 'pseudonym']);
  return ctx.db.transaction(async (tx) => {
    const existing = await findRequestWithCode(tx, holder.id, input.identifierCode);
    if (existing) return { request: existing };
    const request = await insertHonsekiRequest(tx, {
      holderId: holder.id,
      identifierCode: input.identifierCode,
      status: 'RECEIVED',
      submittedAt: ctx.now,
      nextAttemptAt: ctx.now,
    });
    ctx.audit.note(holder.id, 'WRITE', 'ALLOWED', 'honsekiChangeRequests');
    return { request };
  });
}

const HONSEKI_LEASE_MS = 120_000;

export async function claimHonsekiRequests(ctx: PortalLinkContext, limit: number) {
  const rows = await ctx.db.transaction((tx) => leaseHonsekiRequests(tx, { now: ctx.now, until: new Date(ctx.now.getTime() + HONSEKI_LEASE_MS), limit }));
  return { requests: rows.map((r) => ({ id: r.id, holderId: r.holderId, identifierCode: r.identifierCode ?? '', attempts: r.attempts })) };
}

/** Records a worker's result; the code is forgotten once the request is settled for good. */
export async function settleHonsekiRequest(
  ctx: PortalLinkContext,
  input: { id: string; settlement: 'APPLIED' | 'FAILED' | 'RETRY'; reason?: string | null },
): Promise<{ request: HonsekiChangeRequestRow }> {
  new InputCheck()
    .require(isUuid(input.id), 'id', '請求のID（UUID）を指定してください')
    .require(input.reason == null || /^[A-Z_]{1,64}$/.test(input.reason), 'reason', '理由は英大文字及び「_」のコードで指定してください')
    .require(input.settlement !== 'FAILED' || !!input.reason, 'reason', 'FAILED には理由のコードが必要です')
    .done();
  return ctx.db.transaction(async (tx) => {
    const current = await lockHonsekiRequest(tx, input.id.toLowerCase());
    if (current?.status !== 'FETCHING') {
      refuse('REQUEST_NOT_LEASED', 'この請求は取得処理中ではありません', ['input', 'id']);
    }
    const set =
      input.settlement === 'RETRY'
        ? { failureReason: input.reason ?? 'REGISTRY_UNAVAILABLE', nextAttemptAt: new Date(ctx.now.getTime() + retryDelayMs(current.attempts)) }
        : {
            status: input.settlement,
            failureReason: input.settlement === 'FAILED' ? input.reason! : null,
            completedAt: ctx.now,
            identifierCode: null,
            nextAttemptAt: null,
          };
    return { request: await updateHonsekiRequest(tx, current.id, set) };
  });
}
