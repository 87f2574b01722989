import { verifyDocumentSignature, verifySignatureCertificate, type VerifiedCertificate } from '../../lib/certificates/verify.js';
import { UserErrorException, userError } from '../../lib/errors.js';
import { ScheduleRecordImportsDocument } from '../../lib/generated/operations.js';
import { serviceHeaders } from '../../lib/graph-client.js';
import { EXTERNAL_ID_RE, isUuid, PSEUDONYM_RE, PSEUDONYM_RULE } from '../../lib/graphql/input.js';
import { InputCheck } from '../../lib/graphql/mutation.js';
import { lookupHolder, type HolderFacts } from '../../lib/holder-lookup.js';
import { addDays, compareDates, japanDate } from '../../lib/japan-date.js';
import { createLogger } from '../../lib/log.js';
import type { ConsentContext } from './context.js';
import {
  countPendingOutbox,
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
import { documentProblem } from './rules/signed-consent.js';
import type { ConsentRow, RecordChangeOutboxRow } from './tables.js';

const log = createLogger('subgraph-consent');
const CONSENT_ITEMS = ['ADDRESS', 'NAME', 'BIRTH_DATE'] as const;
type Item = (typeof CONSENT_ITEMS)[number];

const refuse = (code: string, message: string, field?: string[]): never => {
  throw new UserErrorException([userError(code, message, field)]);
};

/** Who the request is for, by the channel the caller's role implies: staff name a holder id, Myna Portal a pseudonym. */
function subjectOf(ctx: ConsentContext, input: { holderId?: string | null; pseudonym?: string | null }) {
  const channel = ctx.access.identity.role === 'MYNA_PORTAL' ? ('MYNA_PORTAL' as const) : ('CENTER' as const);
  const check = new InputCheck();
  if (channel === 'CENTER') {
    check.require(input.pseudonym == null, 'pseudonym', 'is given by Myna Portal only; a centre names holderId');
    check.require(input.holderId != null && isUuid(input.holderId), 'holderId', 'must be a holder id (a UUID)');
  } else {
    check.require(input.holderId == null, 'holderId', 'is given by a centre only; Myna Portal names pseudonym');
    check.require(input.pseudonym != null && PSEUDONYM_RE.test(input.pseudonym), 'pseudonym', PSEUDONYM_RULE);
  }
  check.done();
  const by = channel === 'CENTER' ? { id: input.holderId!.toLowerCase() } : { pseudonym: input.pseudonym! };
  return { channel, by, subject: channel === 'CENTER' ? input.holderId! : input.pseudonym! };
}

async function holderFor(ctx: ConsentContext, channel: 'CENTER' | 'MYNA_PORTAL', by: { id: string } | { pseudonym: string }): Promise<HolderFacts> {
  const holder = await lookupHolder(ctx.deps.graph, ctx.forward, by);
  if (holder) return holder;
  return channel === 'CENTER'
    ? refuse('HOLDER_NOT_FOUND', 'no holder has this id', ['input', 'holderId'])
    : refuse('PORTAL_NOT_LINKED', 'no holder is linked to this pseudonym', ['input', 'pseudonym']);
}

async function verifyConsentCertificate(ctx: ConsentContext, pem: string): Promise<VerifiedCertificate> {
  const field = ['input', 'signedConsent', 'certificatePem'];
  const check = verifySignatureCertificate(pem, { trust: ctx.deps.trust, now: ctx.now });
  if (!check.ok) return refuse(check.code, check.message, field);
  if (await isRevokedSerial(ctx.db, check.certificate.serialNumber)) return refuse('CERTIFICATE_REVOKED', 'the certificate has been revoked', field);
  return check.certificate;
}

/**
 * R-ONE-1/3 and R-ONE-6 ②: a consent, signed with a verified certificate over a document that says what the request
 * says, for a Myna-only holder who did M1 (and M2 on Myna Portal). At a centre it is signed with the M1 certificate;
 * on Myna Portal a newer certificate is accepted and its information is taken into the record.
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
    .require(input.items.length > 0, 'items', 'must name at least one item')
    .require(new Set(input.items).size === input.items.length, 'items', 'must not repeat an item')
    .require(EXTERNAL_ID_RE.test(input.termsVersion), 'termsVersion', 'must be 1–64 visible ASCII characters')
    .done();
  const problem = documentProblem(input.signedConsent.document, { subject, items: input.items, termsVersion: input.termsVersion, now: ctx.now });
  if (problem) refuse('CONSENT_DOCUMENT_MISMATCH', `${problem.field} ${problem.message}`, ['input', 'signedConsent', 'document']);
  const cert = await verifyConsentCertificate(ctx, input.signedConsent.certificatePem);
  if (!verifyDocumentSignature(cert.certificate, input.signedConsent.document, input.signedConsent.signature)) {
    refuse('SIGNATURE_INVALID', 'the signature does not verify over the document with this certificate', ['input', 'signedConsent', 'signature']);
  }

  const holder = await holderFor(ctx, channel, by);
  if (holder.holdingForm !== 'MYNA_LICENSE_ONLY' && holder.holdingForm !== 'MYNA_HISTORY_ONLY') {
    refuse('NOT_COVERED', 'the address one-stop service is for holders of a マイナ免許証 or マイナ経歴証明書 only (R-ELIG-1)', ['input']);
  }
  const m1 = holder.signatureCertificate;
  if (!m1) return refuse('SIGNATURE_CERTIFICATE_NOT_SUBMITTED', 'submit the signature certificate at a licence centre first', ['input']);
  if (channel === 'CENTER' && cert.serialNumber !== m1.serialNumber) {
    refuse('CERTIFICATE_MISMATCH', 'at a centre the consent is signed with the certificate submitted there', ['input', 'signedConsent', 'certificatePem']);
  }
  if (channel === 'MYNA_PORTAL' && !holder.portalLink) refuse('PORTAL_NOT_LINKED', 'Myna Portal linkage is not done', ['input', 'pseudonym']);

  const newCertificate = channel === 'MYNA_PORTAL' && cert.serialNumber !== m1.serialNumber;
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
    if (!newCertificate) return { consent, outbox: null };
    const values: Record<Item, string | null> = { ADDRESS: cert.address, NAME: cert.name, BIRTH_DATE: cert.birthDate };
    const changes = consent.items.flatMap((item) => (values[item as Item] ? [{ item, newValue: values[item as Item]! }] : []));
    if (changes.length === 0) return { consent, outbox: null };
    // Effective two days after the new certificate's issue, so at once when that has passed (R-ONE-6 ②).
    const issued = japanDate(cert.notBefore);
    const due = addDays(issued, 2);
    const today = japanDate(ctx.now);
    const outbox = await insertOutbox(tx, {
      consentId: consent.id, holderId: holder.id, changes, filedOn: issued,
      effectiveOn: compareDates(due, today) < 0 ? today : due, createdAt: ctx.now,
    });
    return { consent, outbox };
  });
  ctx.audit.note(holder.id, 'WRITE', 'ALLOWED', 'addressOneStopConsent');
  if (outbox) await deliverRecordChanges(ctx, 1, [outbox.id]).catch((e: unknown) => log.warn('record change delivery deferred', { consentId: consent.id, kind: (e as Error).name }));
  return { consent };
}

/** R-ONE-4: revoke the holder's consent, at a centre or on Myna Portal for a linked holder. */
export async function revokeConsent(ctx: ConsentContext, input: { holderId?: string | null; pseudonym?: string | null }): Promise<{ consent: ConsentRow }> {
  const { channel, by } = subjectOf(ctx, input);
  const holder = await holderFor(ctx, channel, by);
  if (channel === 'MYNA_PORTAL' && !holder.portalLink) refuse('PORTAL_NOT_LINKED', 'Myna Portal linkage is not done', ['input', 'pseudonym']);
  return ctx.db.transaction(async (tx) => {
    await lockHolderConsents(tx, holder.id);
    const latest = await latestConsentForUpdate(tx, holder.id);
    if (!latest) return refuse('NO_CONSENT', 'the holder has not consented', ['input']);
    const status = consentStatus(latest, ctx.now);
    if (status === 'REVOKED') refuse('CONSENT_REVOKED', 'the consent is already revoked', ['input']);
    if (status === 'EXPIRED') refuse('CONSENT_EXPIRED', 'the consent has expired', ['input']);
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
        holderId: r.holderId, item: c.item as Item, newValue: c.newValue, source: 'ADDRESS_ONE_STOP' as const,
        sourceRef: `consent:${r.consentId}`, filedOn: r.filedOn, effectiveOn: r.effectiveOn,
      })),
    );
  const headers = await serviceHeaders(ctx.deps.serviceToken, ctx.access.requestId);
  let ok = false;
  try {
    const result = await ctx.deps.graph.request(ScheduleRecordImportsDocument, { input }, headers);
    ok = !result.errors?.length && (result.data?.scheduleRecordImports.userErrors.length ?? 1) === 0;
  } finally {
    // Undelivered rows are released at once for the next attempt rather than waiting out the lease.
    await settleOutbox(ctx.db, rows.map((r) => r.id), ok ? ctx.now : null);
  }
  return { delivered: ok ? rows.length : 0, pending: await countPendingOutbox(ctx.db) };
}

const LEASE_MS = 60_000;
