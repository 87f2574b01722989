import { sameSubject } from '../../lib/domain/certificates/subject-digest.js';
import { CERTIFICATE_MESSAGES, verifyDocumentSignature, verifySignatureCertificate, type VerifiedCertificate } from '../../lib/domain/certificates/verify.js';
import { ScheduleRecordImportsDocument } from '../../lib/domain/generated/operations.js';
import { serviceHeaders } from '../../lib/platform/graph-client.js';
import { EXTERNAL_ID_RE, isUuid, PSEUDONYM_RE } from '../../lib/platform/graphql/input.js';
import { InputCheck } from '../../lib/platform/graphql/mutation.js';
import { lookupHolder, type HolderFacts } from '../../lib/domain/holder-lookup.js';
import { addDays, compareDates, japanDate } from '../../lib/platform/japan-date.js';
import { createLogger } from '../../lib/platform/log.js';
import type { ConsentContext } from './context.js';
import { refuse } from './refusals.js';
import {
  claimSignedConsent,
  countPendingOutbox,
  followsRenewedSerial,
  insertConsent,
  insertOutbox,
  isRevokedSerial,
  latestConsentForUpdate,
  lockHolderConsents,
  leaseOutbox,
  settleOutbox,
  updateConsent,
} from './repository.js';
import { consentExpiresOn, consentStatus } from './rules/consent-period.js';
import { documentProblem, signedConsentDigest } from './rules/signed-consent.js';
import type { ConsentRow, RecordChangeOutboxRow } from './tables.js';

const log = createLogger('subgraph-consent');
const CONSENT_ITEMS = ['ADDRESS', 'NAME', 'BIRTH_DATE'] as const;
type Item = (typeof CONSENT_ITEMS)[number];

/** What the clerk or the holder reads for each refusal of a consent procedure (R-CHAR-2); the codes stay English. */
const MESSAGES = {
  HOLDER_NOT_FOUND: '指定された運転者は運転者管理システムに記録されていません',
  PSEUDONYM_NOT_LINKED: 'この仮名でマイナポータル連携が行われている者はいません',
  PORTAL_NOT_LINKED: 'マイナポータル連携が行われていません',
  SIGNATURE_INVALID: '同意データの電子署名をこの署名用電子証明書で検証できません',
  NOT_COVERED: '住所変更ワンストップサービス等は、マイナ免許証又はマイナ経歴証明書のみを保有する者が利用できます。',
  SIGNATURE_CERTIFICATE_NOT_SUBMITTED: 'マイナポータルで同意するには、先に免許センター等で署名用電子証明書を提出してください',
  CERTIFICATE_HOLDER_MISMATCH:
    '署名用電子証明書の氏名又は生年月日が運転者管理システムの記録と一致しません。本人の個人番号カード用署名用電子証明書で署名してください',
  SIGNED_CONSENT_ALREADY_USED: 'この署名済みの同意データは既に使用されています。同意するには、改めて同意データに署名してください',
  NO_CONSENT: '住所変更ワンストップサービス等の利用に係る同意がありません',
  CONSENT_REVOKED: '同意は既に取り消されています',
  CONSENT_EXPIRED: '同意の有効期間（10年）が経過しています',
} as const;

/** Who the request is for, by the channel the caller's role implies: staff name a holder id, Myna Portal a pseudonym. */
function subjectOf(ctx: ConsentContext, input: { holderId?: string | null; pseudonym?: string | null }) {
  const channel = ctx.access.identity.role === 'MYNA_PORTAL' ? ('MYNA_PORTAL' as const) : ('CENTER' as const);
  const check = new InputCheck();
  if (channel === 'CENTER') {
    check.require(input.pseudonym == null, 'pseudonym', '仮名はマイナポータルからの手続でのみ指定します。免許センター等では holderId を指定してください');
    check.require(input.holderId != null && isUuid(input.holderId), 'holderId', '運転者の ID（UUID）を指定してください');
  } else {
    check.require(
      input.holderId == null,
      'holderId',
      '運転者の ID は免許センター等からの手続でのみ指定します。マイナポータルでは pseudonym を指定してください',
    );
    check.require(input.pseudonym != null && PSEUDONYM_RE.test(input.pseudonym), 'pseudonym', '仮名は8〜128文字の英数字、_ 又は - で指定してください');
  }
  check.done();
  const by = channel === 'CENTER' ? { id: input.holderId!.toLowerCase() } : { pseudonym: input.pseudonym! };
  return { channel, by, subject: channel === 'CENTER' ? input.holderId! : input.pseudonym! };
}

async function holderFor(ctx: ConsentContext, channel: 'CENTER' | 'MYNA_PORTAL', by: { id: string } | { pseudonym: string }): Promise<HolderFacts> {
  const holder = await lookupHolder(ctx.deps.graph, ctx.forward, by);
  if (holder) return holder;
  return channel === 'CENTER'
    ? refuse('HOLDER_NOT_FOUND', MESSAGES.HOLDER_NOT_FOUND, ['input', 'holderId'])
    : refuse('PORTAL_NOT_LINKED', MESSAGES.PSEUDONYM_NOT_LINKED, ['input', 'pseudonym']);
}

async function verifyConsentCertificate(ctx: ConsentContext, pem: string): Promise<VerifiedCertificate> {
  const field = ['input', 'signedConsent', 'certificatePem'];
  const check = verifySignatureCertificate(pem, { trust: ctx.deps.trust, now: ctx.now });
  if (!check.ok) return refuse(check.code, check.message, field);
  if (await isRevokedSerial(ctx.db, check.certificate.serialNumber)) return refuse('CERTIFICATE_REVOKED', CERTIFICATE_MESSAGES.CERTIFICATE_REVOKED, field);
  return check.certificate;
}

/**
 * R-ONE-1: the certificate that signed the consent is the holder's own — its name (代替文字, width and spacing aside,
 * R-CHAR-1) and birth date are the record's, or (R-ONE-6) J-LIS renewed the certificate a consent of this holder
 * followed into this one, which may carry a new name before the record has taken it. Anything else would let one
 * person's certificate, and the address it carries, into another's record.
 */
async function requireOwnCertificate(ctx: ConsentContext, cert: VerifiedCertificate, holder: HolderFacts): Promise<void> {
  if (sameSubject(cert, holder)) return;
  if (await followsRenewedSerial(ctx.db, holder.id, cert.serialNumber)) return;
  refuse('CERTIFICATE_HOLDER_MISMATCH', MESSAGES.CERTIFICATE_HOLDER_MISMATCH, ['input', 'signedConsent', 'certificatePem']);
}

/**
 * R-ONE-1/3 and R-ONE-6 ②: a consent, signed with the holder's own verified card certificate over a document that says
 * what the request says and was never used before, for a Myna-only holder. At a centre nothing earlier is needed (M1
 * and M2 are for Myna Portal only, 別紙2①); on Myna Portal the holder did M1 and M2, and a certificate other than the
 * M1 one has its information taken into the record.
 */
export async function grantConsent(
  ctx: ConsentContext,
  input: {
    holderId?: string | null;
    pseudonym?: string | null;
    items: readonly Item[];
    termsVersion: string;
    signedConsent: { document: string; signature: string; certificatePem: string };
  },
): Promise<{ consent: ConsentRow }> {
  const { channel, by, subject } = subjectOf(ctx, input);
  new InputCheck()
    .require(input.items.length > 0, 'items', '同意する項目を1つ以上指定してください')
    .require(new Set(input.items).size === input.items.length, 'items', '同じ項目を重ねて指定することはできません')
    .require(EXTERNAL_ID_RE.test(input.termsVersion), 'termsVersion', '利用規約の版は1〜64文字の半角英数字・記号で指定してください')
    .done();
  const problem = documentProblem(input.signedConsent.document, { subject, items: input.items, termsVersion: input.termsVersion, now: ctx.now });
  if (problem) refuse('CONSENT_DOCUMENT_MISMATCH', problem.message, ['input', 'signedConsent', 'document']);
  const cert = await verifyConsentCertificate(ctx, input.signedConsent.certificatePem);
  if (!verifyDocumentSignature(cert.certificate, input.signedConsent.document, input.signedConsent.signature)) {
    refuse('SIGNATURE_INVALID', MESSAGES.SIGNATURE_INVALID, ['input', 'signedConsent', 'signature']);
  }

  const holder = await holderFor(ctx, channel, by);
  if (holder.holdingForm !== 'MYNA_LICENSE_ONLY' && holder.holdingForm !== 'MYNA_HISTORY_ONLY') {
    refuse('NOT_COVERED', MESSAGES.NOT_COVERED, ['input']);
  }
  // M1 and M2 are needed on Myna Portal only (別紙2①②): a centre takes the consent whether or not M1 was done, and
  // whichever certificate M1 used, once the certificate is the holder's own.
  const m1 = holder.signatureCertificate;
  // The M1 record learns of a revocation too (portal-link): a certificate revoked there signs nothing here either.
  if (m1 && m1.serialNumber.toUpperCase() === cert.serialNumber.toUpperCase() && m1.status === 'REVOKED') {
    refuse('CERTIFICATE_REVOKED', CERTIFICATE_MESSAGES.CERTIFICATE_REVOKED, ['input', 'signedConsent', 'certificatePem']);
  }
  if (channel === 'MYNA_PORTAL') {
    if (!m1) refuse('SIGNATURE_CERTIFICATE_NOT_SUBMITTED', MESSAGES.SIGNATURE_CERTIFICATE_NOT_SUBMITTED, ['input']);
    if (!holder.portalLink) refuse('PORTAL_NOT_LINKED', MESSAGES.PORTAL_NOT_LINKED, ['input', 'pseudonym']);
  }
  await requireOwnCertificate(ctx, cert, holder);

  const newCertificate = channel === 'MYNA_PORTAL' && cert.serialNumber !== m1!.serialNumber;
  const documentDigest = signedConsentDigest(input.signedConsent.document);
  const { consent, outbox } = await ctx.db.transaction(async (tx) => {
    await lockHolderConsents(tx, holder.id);
    const consent = await insertConsent(tx, {
      holderId: holder.id,
      items: [...CONSENT_ITEMS.filter((i) => input.items.includes(i))],
      channel,
      termsVersion: input.termsVersion,
      consentedAt: ctx.now,
      expiresOn: consentExpiresOn(japanDate(ctx.now)),
      certificateSerial: cert.serialNumber,
      certificateNotAfter: cert.notAfter,
      signedDocument: input.signedConsent.document,
      signature: input.signedConsent.signature,
      createdAt: ctx.now,
    });
    // Claimed with the consent: a document used before — revoked since, or sent twice at once — makes no second one.
    if (!(await claimSignedConsent(tx, { documentDigest, consentId: consent.id, usedAt: ctx.now }))) {
      refuse('SIGNED_CONSENT_ALREADY_USED', MESSAGES.SIGNED_CONSENT_ALREADY_USED, ['input', 'signedConsent', 'document']);
    }
    if (!newCertificate) return { consent, outbox: null };
    const values: Record<Item, string | null> = { ADDRESS: cert.address, NAME: cert.name, BIRTH_DATE: cert.birthDate };
    const changes = consent.items.flatMap((item) => (values[item as Item] ? [{ item, newValue: values[item as Item]! }] : []));
    if (changes.length === 0) return { consent, outbox: null };
    // Effective two days after the new certificate's issue, so at once when that has passed (R-ONE-6 ②).
    const issued = japanDate(cert.notBefore);
    const due = addDays(issued, 2);
    const today = japanDate(ctx.now);
    const outbox = await insertOutbox(tx, {
      consentId: consent.id,
      holderId: holder.id,
      changes,
      filedOn: issued,
      effectiveOn: compareDates(due, today) < 0 ? today : due,
      createdAt: ctx.now,
    });
    return { consent, outbox };
  });
  ctx.audit.note(holder.id, 'WRITE', 'ALLOWED', 'addressOneStopConsent');
  if (outbox)
    await deliverRecordChanges(ctx, 1, [outbox.id]).catch((e: unknown) =>
      log.warn('record change delivery deferred', { consentId: consent.id, kind: (e as Error).name }),
    );
  return { consent };
}

/** R-ONE-4: revoke the holder's consent, at a centre or on Myna Portal for a linked holder. */
export async function revokeConsent(ctx: ConsentContext, input: { holderId?: string | null; pseudonym?: string | null }): Promise<{ consent: ConsentRow }> {
  const { channel, by } = subjectOf(ctx, input);
  const holder = await holderFor(ctx, channel, by);
  if (channel === 'MYNA_PORTAL' && !holder.portalLink) refuse('PORTAL_NOT_LINKED', MESSAGES.PORTAL_NOT_LINKED, ['input', 'pseudonym']);
  return ctx.db.transaction(async (tx) => {
    await lockHolderConsents(tx, holder.id);
    const latest = await latestConsentForUpdate(tx, holder.id);
    if (!latest) return refuse('NO_CONSENT', MESSAGES.NO_CONSENT, ['input']);
    const status = consentStatus(latest, ctx.now);
    if (status === 'REVOKED') refuse('CONSENT_REVOKED', MESSAGES.CONSENT_REVOKED, ['input']);
    if (status === 'EXPIRED') refuse('CONSENT_EXPIRED', MESSAGES.CONSENT_EXPIRED, ['input']);
    const consent = await updateConsent(tx, latest.id, { revokedAt: ctx.now, revokedVia: channel });
    ctx.audit.note(holder.id, 'WRITE', 'ALLOWED', 'addressOneStopConsent');
    return { consent };
  });
}

/**
 * Pushes owed record changes to the driver subgraph through the graph, as the service identity. Rows are claimed
 * with SKIP LOCKED, so several workers never deliver one twice; the driver side is idempotent on the consent id.
 */
export async function deliverRecordChanges(ctx: ConsentContext, limit: number, ids?: readonly string[]): Promise<{ delivered: number; pending: number }> {
  const rows: RecordChangeOutboxRow[] = await leaseOutbox(ctx.db, { now: ctx.now, until: new Date(ctx.now.getTime() + LEASE_MS), limit, ids });
  if (rows.length === 0) return { delivered: 0, pending: await countPendingOutbox(ctx.db) };
  const input = rows.flatMap((r) =>
    r.changes.map((c) => ({
      holderId: r.holderId,
      item: c.item as Item,
      newValue: c.newValue,
      source: 'ADDRESS_ONE_STOP' as const,
      sourceRef: `consent:${r.consentId}`,
      filedOn: r.filedOn,
      effectiveOn: r.effectiveOn,
    })),
  );
  const headers = await serviceHeaders(ctx.deps.serviceToken, ctx.access.requestId);
  let ok = false;
  try {
    const result = await ctx.deps.graph.request(ScheduleRecordImportsDocument, { input }, headers);
    ok = !result.errors?.length && (result.data?.scheduleRecordImports.userErrors.length ?? 1) === 0;
  } finally {
    // Undelivered rows are released at once for the next attempt rather than waiting out the lease.
    await settleOutbox(
      ctx.db,
      rows.map((r) => r.id),
      ok ? ctx.now : null,
    );
  }
  return { delivered: ok ? rows.length : 0, pending: await countPendingOutbox(ctx.db) };
}

const LEASE_MS = 60_000;
