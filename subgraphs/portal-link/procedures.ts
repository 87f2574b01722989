import { subjectDigest, sameSubject } from '../../lib/certificates/subject-digest.js';
import { verifySignatureCertificate, type VerifiedCertificate } from '../../lib/certificates/verify.js';
import { UserErrorException, userError, type UserError } from '../../lib/errors.js';
import { isUuid, PSEUDONYM_RE, PSEUDONYM_RULE } from '../../lib/graphql/input.js';
import { InputCheck } from '../../lib/graphql/mutation.js';
import { lookupHolder } from '../../lib/holder-lookup.js';
import type { PortalLinkContext } from './context.js';
import {
  anyCertificateWithSubject,
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
import { honsekiRefusal, isIdentifierCode, retryDelayMs } from './rules/honseki.js';


/** R-CERT-2 for a certificate presented now; a refusal is a userError naming the failed check. */
export async function verifyPresentedCertificate(ctx: PortalLinkContext, pem: string): Promise<VerifiedCertificate> {
  const check = verifySignatureCertificate(pem, { trust: ctx.deps.trust, now: ctx.now });
  if (!check.ok) throw new UserErrorException([userError(check.code, check.message, ['input', 'certificatePem'])]);
  if (await isSerialRevoked(ctx.db, check.certificate.serialNumber)) {
    throw new UserErrorException([userError('CERTIFICATE_REVOKED', 'the certificate has been revoked', ['input', 'certificatePem'])]);
  }
  return check.certificate;
}

const COUNTER_CHECKS = [
  ['faceMatched', 'FACE_NOT_MATCHED', 'the face does not match the card photo'],
  ['cardValid', 'CARD_NOT_VALID', 'the My Number card is not valid'],
  ['addressMatched', 'ADDRESS_NOT_MATCHED', 'the address on the card differs from the driver record: register the record change first'],
] as const;

/** M1 (R-CERT-1/2): the three counter checks, the certificate, then the holder it must belong to. */
export async function submitSignatureCertificate(
  ctx: PortalLinkContext,
  input: { holderId: string; certificatePem: string; checks: { faceMatched: boolean; cardValid: boolean; addressMatched: boolean } },
): Promise<{ signatureCertificate: SignatureCertificateRow }> {
  new InputCheck().require(isUuid(input.holderId), 'holderId', 'must be a holder id (a UUID)').done();
  const failed: UserError[] = COUNTER_CHECKS.filter(([key]) => !input.checks[key]).map(([key, code, message]) =>
    userError(code, message, ['input', 'checks', key]),
  );
  if (failed.length > 0) throw new UserErrorException(failed);
  const cert = await verifyPresentedCertificate(ctx, input.certificatePem);
  const holder = await lookupHolder(ctx.deps.graph, ctx.forward, { id: input.holderId.toLowerCase() });
  if (!holder) throw new UserErrorException([userError('HOLDER_NOT_FOUND', 'no holder has this id', ['input', 'holderId'])]);
  if (holder.holdingForm === 'LICENSE_CARD_ONLY' || holder.holdingForm === 'OTHER') {
    throw new UserErrorException([userError('NOT_MYNA_CARD_HOLDER', 'the holder has no マイナ免許証 or マイナ経歴証明書', ['input', 'holderId'])]);
  }
  if (!sameSubject(cert, holder)) {
    throw new UserErrorException([
      userError('CERTIFICATE_HOLDER_MISMATCH', "the certificate's name or birth date differs from the driver record", ['input', 'certificatePem']),
    ]);
  }
  const row = await ctx.db.transaction(async (tx) =>
    insertCertificate(tx, {
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
    }),
  );
  ctx.audit.note(holder.id, 'WRITE', 'ALLOWED', 'signatureCertificate');
  return { signatureCertificate: row };
}

/** M2 (R-LINK-1): the certificate again, its serial equal to the M1 serial on file, then the pseudonym stored. */
export async function linkMynaPortal(ctx: PortalLinkContext, input: { certificatePem: string; pseudonym: string }): Promise<{ portalLink: PortalLinkRow }> {
  new InputCheck().require(PSEUDONYM_RE.test(input.pseudonym), 'pseudonym', PSEUDONYM_RULE).done();
  const cert = await verifyPresentedCertificate(ctx, input.certificatePem);
  const holders = await findHoldersWithCurrentSerial(ctx.db, cert.serialNumber);
  if (holders.length !== 1) {
    const digest = subjectDigest(cert.name, cert.birthDate);
    const didM1Otherwise = holders.length === 0 && digest !== null && (await anyCertificateWithSubject(ctx.db, digest));
    throw new UserErrorException([
      didM1Otherwise
        ? userError('CERTIFICATE_MISMATCH', 'the certificate is not the one submitted at the licence centre', ['input', 'certificatePem'])
        : userError('SIGNATURE_CERTIFICATE_NOT_SUBMITTED', 'submit the signature certificate at a licence centre first', ['input', 'certificatePem']),
    ]);
  }
  const holderId = holders[0]!;
  return ctx.db.transaction(async (tx) => {
    const byPseudonym = await findLinkByPseudonymForUpdate(tx, input.pseudonym);
    if (byPseudonym && byPseudonym.holderId !== holderId) {
      throw new UserErrorException([userError('PSEUDONYM_TAKEN', 'this pseudonym is linked to another holder', ['input', 'pseudonym'])]);
    }
    const existing = await findLinkByHolderIdForUpdate(tx, holderId);
    if (existing && existing.pseudonym !== input.pseudonym) {
      throw new UserErrorException([userError('ALREADY_LINKED', 'the holder is linked to another pseudonym', ['input', 'pseudonym'])]);
    }
    const portalLink = await saveLink(tx, {
      holderId,
      pseudonym: input.pseudonym,
      certificateSerial: cert.serialNumber,
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
    .require(isIdentifierCode(input.identifierCode), 'identifierCode', 'must be 16 digits')
    .done();
  const holder = await lookupHolder(ctx.deps.graph, ctx.forward, { pseudonym: input.pseudonym });
  if (!holder) throw new UserErrorException([userError('PORTAL_NOT_LINKED', 'no holder is linked to this pseudonym', ['input', 'pseudonym'])]);
  const refusal = honsekiRefusal(holder);
  if (refusal) throw new UserErrorException([userError(refusal, '本籍 online change is not available to this holder (R-ELIG-2)', ['input', 'pseudonym'])]);
  return ctx.db.transaction(async (tx) => {
    const existing = await findRequestWithCode(tx, holder.id, input.identifierCode);
    if (existing) return { request: existing };
    const request = await insertHonsekiRequest(tx, {
      holderId: holder.id, identifierCode: input.identifierCode, status: 'RECEIVED', submittedAt: ctx.now, nextAttemptAt: ctx.now,
    });
    ctx.audit.note(holder.id, 'WRITE', 'ALLOWED', 'honsekiChangeRequests');
    return { request };
  });
}

const HONSEKI_LEASE_MS = 120_000;

export async function claimHonsekiRequests(ctx: PortalLinkContext, limit: number) {
  const rows = await ctx.db.transaction((tx) =>
    leaseHonsekiRequests(tx, { now: ctx.now, until: new Date(ctx.now.getTime() + HONSEKI_LEASE_MS), limit }),
  );
  return { requests: rows.map((r) => ({ id: r.id, holderId: r.holderId, identifierCode: r.identifierCode ?? '', attempts: r.attempts })) };
}

/** Records a worker's result; the code is forgotten once the request is settled for good. */
export async function settleHonsekiRequest(
  ctx: PortalLinkContext,
  input: { id: string; settlement: 'APPLIED' | 'FAILED' | 'RETRY'; reason?: string | null },
): Promise<{ request: HonsekiChangeRequestRow }> {
  new InputCheck()
    .require(isUuid(input.id), 'id', 'must be a request id (a UUID)')
    .require(input.reason == null || /^[A-Z_]{1,64}$/.test(input.reason), 'reason', 'must be an upper-case code')
    .require(input.settlement !== 'FAILED' || !!input.reason, 'reason', 'is required for FAILED')
    .done();
  return ctx.db.transaction(async (tx) => {
    const current = await lockHonsekiRequest(tx, input.id.toLowerCase());
    if (!current || current.status !== 'FETCHING') {
      throw new UserErrorException([userError('REQUEST_NOT_LEASED', 'the request is not being fetched', ['input', 'id'])]);
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
