import { forbidden, invalidArgument } from '../../lib/errors.js';
import { scalarResolvers } from '../../lib/graphql/scalars.js';
import { authorizeHolder } from '../../lib/holder-access.js';
import { canReadPseudonym, requireHolderPurpose, requireRole } from '../../lib/identity/authorize.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { certificateStatus } from './rules/certificate-status.js';
import { decodeCursor, pageSize, toConnection } from '../../lib/graphql/pagination.js';
import { PSEUDONYM_RE, PSEUDONYM_RULE, SERIAL_RE } from '../../lib/graphql/input.js';
import { findAccessRecords } from '../../lib/audit/queries.js';
import { organisationOf } from '../../lib/audit/organisation.js';
import { markSerialsRevoked } from './repository.js';
import { claimHonsekiRequests, linkMynaPortal, settleHonsekiRequest, submitHonsekiIdentifierCode, submitSignatureCertificate } from './procedures.js';
import { inMutation } from '../../lib/graphql/mutation.js';
import { COUNTER_ROLES } from '../../lib/identity/roles.js';


export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    async holderByPseudonym(_root, { pseudonym }, ctx) {
      requireRole(ctx.access, ['MYNA_PORTAL', 'NPA_ADMIN'], 'holderByPseudonym');
      requireHolderPurpose(ctx.access);
      if (!PSEUDONYM_RE.test(pseudonym)) throw invalidArgument('pseudonym', PSEUDONYM_RULE);
      const link = await ctx.loaders.linkByPseudonym.load(pseudonym);
      return link ? { id: link.holderId } : null;
    },
    async myAccessLog(_root, { pseudonym, first, after }, ctx) {
      requireRole(ctx.access, ['MYNA_PORTAL'], 'myAccessLog');
      requireHolderPurpose(ctx.access);
      if (!PSEUDONYM_RE.test(pseudonym)) throw invalidArgument('pseudonym', PSEUDONYM_RULE);
      const size = pageSize(first);
      const cursor = decodeCursor(after, 1);
      const link = await ctx.loaders.linkByPseudonym.load(pseudonym);
      if (!link) return toConnection([], size, () => []);
      ctx.audit.note(link.holderId, 'READ', 'ALLOWED', 'myAccessLog');
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
    __resolveReference: (ref) => ref,
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
      // A counter clerk never needs the pseudonym: null with FORBIDDEN, the rest of the link still answered.
      if (!canReadPseudonym(ctx.access)) throw forbidden('the pseudonym is readable by SUPERVISOR, NPA_ADMIN and MYNA_PORTAL only');
      return link.pseudonym;
    },
  },
  HonsekiChangeRequest: {
    status: (r) => r.status as 'RECEIVED' | 'FETCHING' | 'APPLIED' | 'FAILED',
  },
};
