import { forbidden, invalidArgument } from '../../lib/platform/errors.js';
import { decodeCursor, pageSize, toConnection } from '../../lib/platform/graphql/pagination.js';
import { scalarResolvers } from '../../lib/platform/graphql/scalars.js';
import { authorizeHolder, vouchedHolder } from '../../lib/domain/holder-access.js';
import { canReachHolder, requireHolderPurpose, requireRole } from '../../lib/platform/identity/authorize.js';
import { isUuid } from '../../lib/platform/graphql/input.js';
import type { ConsentContext } from './context.js';
import type { ConsentRow } from './models.js';
import { japanDate } from '../../lib/platform/japan-date.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { findConsentsExpiring, latestConsentRevocations } from './repository.js';
import { deliverRecordChanges, grantConsent, revokeConsent } from './procedures.js';
import { ingestJlisNotifications } from './jlis.js';
import { inMutation } from '../../lib/platform/graphql/mutation.js';
import { COUNTER_ROLES } from '../../lib/platform/identity/roles.js';
import { consentStatus, followedCertificateStatus } from './rules/consent-period.js';

/**
 * Myna Portal reads, of the consent of a holder its request does not name, only what the expiry notice needs (R-ONE-2):
 * id, items, expiresOn, status and the pseudonym portal-link adds. Every other field — and the holder — is FORBIDDEN
 * there; everyone else reaches a consent only through its holder or as NPA_ADMIN.
 */
function requireWholeConsent(ctx: ConsentContext, c: ConsentRow, field: string): void {
  if (ctx.access.identity.role !== 'MYNA_PORTAL' || ctx.access.holderScope?.includes(c.holderId)) return;
  ctx.audit.note(c.holderId, 'READ', 'DENIED', `addressOneStopConsent.${field}`);
  throw forbidden(`Myna Portal reads ${field} only of the consents of holders its request names by pseudonym`);
}

/** A consent field that Myna Portal reads only for the holders it names. */
const whole =
  <T>(field: string, value: (c: ConsentRow, ctx: ConsentContext) => T) =>
  (c: ConsentRow, _args: unknown, ctx: ConsentContext): T => {
    requireWholeConsent(ctx, c, field);
    return value(c, ctx);
  };

/** Holders one consentRevocations request may name; the driver's due run asks in chunks of this many. */
export const MAX_REVOCATION_HOLDERS = 500;

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    async consentsExpiring(_root, { before, first, after }, ctx) {
      requireRole(ctx.access, ['NPA_ADMIN', 'MYNA_PORTAL'], 'consentsExpiring');
      requireHolderPurpose(ctx.access);
      const size = pageSize(first);
      const cursor = decodeCursor(after, ['date', 'uuid']);
      const today = japanDate(ctx.now);
      if (before <= today) throw invalidArgument('before', 'must be a day after today');
      const rows = await findConsentsExpiring(ctx.db, {
        today,
        before,
        after: cursor ? [cursor[0]!, cursor[1]!] : null,
        limit: size + 1,
      });
      // Each consent listed is a read of that holder's consent state (R-INQ-1).
      for (const r of rows.slice(0, size)) ctx.audit.note(r.holderId, 'READ', 'ALLOWED', 'addressOneStopConsent');
      return toConnection(rows, size, (r) => [r.expiresOn, r.id]);
    },
    async consentRevocations(_root, { holderIds }, ctx) {
      requireRole(ctx.access, ['SERVICE'], 'consentRevocations');
      if (holderIds.length > MAX_REVOCATION_HOLDERS) throw invalidArgument('holderIds', `must name at most ${MAX_REVOCATION_HOLDERS} holders`);
      if (!holderIds.every(isUuid)) throw invalidArgument('holderIds', 'must be holder ids (UUIDs)');
      const rows = await latestConsentRevocations(ctx.db, [...new Set(holderIds.map((id) => id.toLowerCase()))]);
      for (const r of rows) ctx.audit.note(r.holderId, 'READ', 'ALLOWED', 'addressOneStopConsent.revokedAt');
      return rows;
    },
  },
  Mutation: {
    grantAddressOneStopConsent(_root, { input }, ctx) {
      requireRole(ctx.access, [...COUNTER_ROLES, 'MYNA_PORTAL'], 'grantAddressOneStopConsent');
      requireHolderPurpose(ctx.access);
      return inMutation(() => grantConsent(ctx, input));
    },
    revokeAddressOneStopConsent(_root, { input }, ctx) {
      requireRole(ctx.access, [...COUNTER_ROLES, 'MYNA_PORTAL'], 'revokeAddressOneStopConsent');
      requireHolderPurpose(ctx.access);
      return inMutation(() => revokeConsent(ctx, input));
    },
    ingestJlisNotifications(_root, { input }, ctx) {
      requireRole(ctx.access, ['JLIS_FEED'], 'ingestJlisNotifications');
      return inMutation(() => ingestJlisNotifications(ctx, input), { results: [] });
    },
    deliverRecordChanges(_root, { limit }, ctx) {
      requireRole(ctx.access, ['SERVICE'], 'deliverRecordChanges');
      const n = limit ?? 100;
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalidArgument('limit', 'must be between 1 and 1000');
      return inMutation(() => deliverRecordChanges(ctx, n), { delivered: 0, pending: 0 });
    },
  },
  Holder: {
    // Taken at what the driver vouched for: a prefecture written into the representation by anyone else is ignored.
    __resolveReference: (ref, ctx) => vouchedHolder(ctx, ref),
    addressOneStopConsentRead(holder, _args, ctx) {
      authorizeHolder(ctx, holder, 'addressOneStopConsent');
      return true;
    },
    async addressOneStopConsent(holder, _args, ctx) {
      authorizeHolder(ctx, holder, 'addressOneStopConsent');
      return ctx.loaders.latestConsentByHolderId.load(holder.id);
    },
  },
  Consent: {
    /**
     * No plan of this graph fetches a consent from here by its key (only this subgraph hands out consents); a direct
     * call is answered as the holder's scope allows, and a prefecture-bound role, whose scope needs the holder's
     * prefecture, is refused.
     */
    async __resolveReference(ref, ctx) {
      requireHolderPurpose(ctx.access);
      if (!isUuid(ref.id)) return null;
      const c = await ctx.loaders.consentById.load(ref.id.toLowerCase());
      if (!c) return null;
      authorizeHolder(ctx, { id: c.holderId, residencePrefecture: null }, 'addressOneStopConsent');
      return c;
    },
    items: (c) => ['ADDRESS', 'NAME', 'BIRTH_DATE'].filter((i) => c.items.includes(i)) as ('ADDRESS' | 'NAME' | 'BIRTH_DATE')[],
    status: (c, _args, ctx) => consentStatus(c, ctx.now),
    channel: whole('channel', (c) => c.channel as 'CENTER' | 'MYNA_PORTAL'),
    consentedAt: whole('consentedAt', (c) => c.consentedAt),
    revokedAt: whole('revokedAt', (c) => c.revokedAt),
    revokedVia: whole('revokedVia', (c) => (c.revokedVia as 'CENTER' | 'MYNA_PORTAL' | null) ?? null),
    termsVersion: whole('termsVersion', (c) => c.termsVersion),
    followedCertificate: whole('followedCertificate', (c, ctx) => ({
      serialNumber: c.certificateSerial,
      notAfter: c.certificateNotAfter,
      status: followedCertificateStatus(c, ctx.now),
    })),
    // Myna Portal reaches the holder only when its request names the holder's pseudonym; for staff the driver, which
    // knows the holder's prefecture, decides when the gateway fetches the holder's fields there.
    holder(c, _args, ctx) {
      if (ctx.access.identity.role === 'MYNA_PORTAL' && !canReachHolder(ctx.access, { id: c.holderId, residencePrefecture: null })) {
        ctx.audit.note(c.holderId, 'READ', 'DENIED', 'holder');
        throw forbidden('Myna Portal reaches only the holders its request names by pseudonym');
      }
      return { id: c.holderId, residencePrefecture: null, vouched: false };
    },
    noticeScope: (c, _args, ctx) => ctx.deps.scope.vouchForConsent(c.id, c.holderId, ctx.access.requestId),
  },
};
