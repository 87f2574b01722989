import { forbidden, invalidArgument } from '../../lib/platform/errors.js';
import { scalarResolvers } from '../../lib/platform/graphql/scalars.js';
import { authorizeHolder, vouchedHolder } from '../../lib/domain/holder-access.js';
import { canReadPseudonym, requireHolderPurpose, requireRole } from '../../lib/platform/identity/authorize.js';
import { MAX_SCOPED_HOLDERS } from '../../lib/platform/identity/gateway-token.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { certificateStatus } from './rules/certificate-status.js';
import { decodeCursor, pageSize, toConnection } from '../../lib/platform/graphql/pagination.js';
import { PSEUDONYM_RE, PSEUDONYM_RULE, SERIAL_RE } from '../../lib/platform/graphql/input.js';
import { findAccessRecords } from '../../lib/platform/audit/queries.js';
import { organisationOf } from '../../lib/platform/audit/organisation.js';
import { markSerialsRevoked } from './repository.js';
import { claimHonsekiRequests, linkMynaPortal, settleHonsekiRequest, submitHonsekiIdentifierCode, submitSignatureCertificate } from './procedures.js';
import { inMutation } from '../../lib/platform/graphql/mutation.js';
import { COUNTER_ROLES } from '../../lib/platform/identity/roles.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    /** The gateway's own question, never a caller's: which holders a Myna Portal request's pseudonyms name. */
    async linkedPseudonyms(_root, { pseudonyms }, ctx) {
      requireRole(ctx.access, ['GATEWAY'], 'linkedPseudonyms');
      if (pseudonyms.length > MAX_SCOPED_HOLDERS) throw invalidArgument('pseudonyms', `must hold at most ${MAX_SCOPED_HOLDERS} pseudonyms`);
      const links = await ctx.loaders.linkByPseudonym.loadMany(pseudonyms.filter((p) => PSEUDONYM_RE.test(p)));
      return links.flatMap((l) => {
        if (l instanceof Error) throw l;
        return l ? [{ pseudonym: l.pseudonym, holderId: l.holderId }] : [];
      });
    },
    async holderByPseudonym(_root, { pseudonym }, ctx) {
      requireRole(ctx.access, ['MYNA_PORTAL', 'NPA_ADMIN'], 'holderByPseudonym');
      requireHolderPurpose(ctx.access);
      if (!PSEUDONYM_RE.test(pseudonym)) throw invalidArgument('pseudonym', PSEUDONYM_RULE);
      const link = await ctx.loaders.linkByPseudonym.load(pseudonym);
      if (!link) return null;
      const holder = { id: link.holderId, residencePrefecture: null };
      authorizeHolder(ctx, holder, 'id');
      return holder;
    },
    async myAccessLog(_root, { pseudonym, first, after }, ctx) {
      requireRole(ctx.access, ['MYNA_PORTAL'], 'myAccessLog');
      requireHolderPurpose(ctx.access);
      if (!PSEUDONYM_RE.test(pseudonym)) throw invalidArgument('pseudonym', PSEUDONYM_RULE);
      const size = pageSize(first);
      const cursor = decodeCursor(after, ['seq']);
      const link = await ctx.loaders.linkByPseudonym.load(pseudonym);
      if (!link) return toConnection([], size, () => []);
      authorizeHolder(ctx, { id: link.holderId, residencePrefecture: null }, 'myAccessLog');
      const rows = await findAccessRecords(ctx.db, link.holderId, cursor ? Number(cursor[0]) : null, size + 1);
      return toConnection(rows, size, (r) => [String(r.seq)]);
    },
  },
  Mutation: {
    submitSignatureCertificate(_root, { input }, ctx) {
      requireRole(ctx.access, COUNTER_ROLES, 'submitSignatureCertificate');
      requireHolderPurpose(ctx.access);
      return inMutation(() => submitSignatureCertificate(ctx, input));
    },
    recordCertificateRevocations(_root, { serialNumbers, revokedAt }, ctx) {
      requireRole(ctx.access, ['SERVICE'], 'recordCertificateRevocations');
      if (serialNumbers.length > 1000 || serialNumbers.some((s) => !SERIAL_RE.test(s) || s !== s.toUpperCase())) {
        throw invalidArgument('serialNumbers', 'must be at most 1000 upper-case hexadecimal serials');
      }
      return inMutation(async () => ({ revoked: await markSerialsRevoked(ctx.db, serialNumbers, revokedAt) }), { revoked: 0 });
    },
    submitHonsekiIdentifierCode(_root, { input }, ctx) {
      requireRole(ctx.access, ['MYNA_PORTAL'], 'submitHonsekiIdentifierCode');
      requireHolderPurpose(ctx.access);
      return inMutation(() => submitHonsekiIdentifierCode(ctx, input));
    },
    claimHonsekiRequests(_root, { limit }, ctx) {
      requireRole(ctx.access, ['SERVICE'], 'claimHonsekiRequests');
      const n = limit ?? 20;
      if (!Number.isInteger(n) || n < 1 || n > 500) throw invalidArgument('limit', 'must be between 1 and 500');
      return inMutation(() => claimHonsekiRequests(ctx, n), { requests: [] });
    },
    settleHonsekiRequest(_root, { input }, ctx) {
      requireRole(ctx.access, ['SERVICE'], 'settleHonsekiRequest');
      return inMutation(() => settleHonsekiRequest(ctx, input));
    },
    linkMynaPortal(_root, { input }, ctx) {
      requireRole(ctx.access, ['MYNA_PORTAL'], 'linkMynaPortal');
      requireHolderPurpose(ctx.access);
      return inMutation(() => linkMynaPortal(ctx, input));
    },
  },
  MyAccessLogEntry: {
    organisation: (r) => organisationOf(r.role, r.prefecture),
  },
  Holder: {
    // Taken at what the driver vouched for: a prefecture written into the representation by anyone else is ignored.
    __resolveReference: (ref, ctx) => vouchedHolder(ctx, ref),
    portalLinkRead(holder, _args, ctx) {
      authorizeHolder(ctx, holder, 'portalLink');
      return true;
    },
    async signatureCertificate(holder, _args, ctx) {
      authorizeHolder(ctx, holder, 'signatureCertificate');
      return ctx.loaders.certificateByHolderId.load(holder.id);
    },
    async portalLink(holder, _args, ctx) {
      authorizeHolder(ctx, holder, 'portalLink');
      return ctx.loaders.linkByHolderId.load(holder.id);
    },
    async honsekiChangeRequests(holder, _args, ctx) {
      authorizeHolder(ctx, holder, 'honsekiChangeRequests');
      return ctx.loaders.honsekiRequestsByHolderId.load(holder.id);
    },
  },
  SignatureCertificate: {
    status: (c, _args, ctx) => certificateStatus(c, ctx.now),
  },
  PortalLink: {
    pseudonym(link, _args, ctx) {
      // A counter clerk never needs the pseudonym: null with FORBIDDEN, the rest of the link still answered. The
      // access log says so for this field, beside the ALLOWED record of the link itself.
      const allowed = canReadPseudonym(ctx.access);
      ctx.audit.note(link.holderId, 'READ', allowed ? 'ALLOWED' : 'DENIED', 'portalLink.pseudonym');
      if (!allowed) throw forbidden('the pseudonym is readable by SUPERVISOR, NPA_ADMIN and MYNA_PORTAL only');
      return link.pseudonym;
    },
  },
  Consent: {
    __resolveReference: (ref, ctx) => ({ id: ref.id, holderId: ctx.deps.scope.consentHolder(ref.noticeScope, ref.id, ctx.access.requestId) }),
    /**
     * Myna Portal's expiry notice (R-ONE-2): whom to notify of a consent in `consentsExpiring`, without reaching the
     * holder's record. The holder is the one the consent subgraph vouched for; MYNA_PORTAL and NPA_ADMIN (the roles
     * of that list) only.
     */
    async pseudonym(c, _args, ctx) {
      requireHolderPurpose(ctx.access);
      if (!c.holderId) throw forbidden("the consent's holder could not be verified");
      const { role } = ctx.access.identity;
      const allowed = role === 'MYNA_PORTAL' || role === 'NPA_ADMIN';
      ctx.audit.note(c.holderId, 'READ', allowed ? 'ALLOWED' : 'DENIED', 'portalLink.pseudonym');
      if (!allowed) throw forbidden("a consent's pseudonym is readable by MYNA_PORTAL and NPA_ADMIN only (the expiry notice)");
      return (await ctx.loaders.linkByHolderId.load(c.holderId))?.pseudonym ?? null;
    },
  },
  HonsekiChangeRequest: {
    status: (r) => r.status as 'RECEIVED' | 'FETCHING' | 'APPLIED' | 'FAILED',
  },
};
