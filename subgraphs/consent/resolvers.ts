import { invalidArgument } from '../../lib/errors.js';
import { decodeCursor, pageSize, toConnection } from '../../lib/graphql/pagination.js';
import { scalarResolvers } from '../../lib/graphql/scalars.js';
import { authorizeHolder } from '../../lib/holder-access.js';
import { requireHolderPurpose, requireRole } from '../../lib/identity/authorize.js';
import { japanDate } from '../../lib/japan-date.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { findConsentsExpiring } from './repository.js';
import { deliverRecordChanges, grantConsent, revokeConsent } from './procedures.js';
import { ingestJlisNotifications } from './jlis.js';
import { inMutation } from '../../lib/graphql/mutation.js';
import { COUNTER_ROLES } from '../../lib/identity/roles.js';
import { consentStatus, followedCertificateStatus } from './rules/consent-period.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    async consentsExpiring(_root, { before, first, after }, ctx) {
      requireRole(ctx.access, ['NPA_ADMIN', 'MYNA_PORTAL'], 'consentsExpiring');
      requireHolderPurpose(ctx.access);
      const size = pageSize(first);
      const cursor = decodeCursor(after, 2);
      const today = japanDate(ctx.now);
      if (before <= today) throw invalidArgument('before', 'must be a day after today');
      const rows = await findConsentsExpiring(ctx.db, {
        today,
        before,
        after: cursor ? [cursor[0]!, cursor[1]!] : null,
        limit: size + 1,
      });
      return toConnection(rows, size, (r) => [r.expiresOn, r.id]);
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
    __resolveReference: (ref) => ref,
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
    items: (c) => ['ADDRESS', 'NAME', 'BIRTH_DATE'].filter((i) => c.items.includes(i)) as ('ADDRESS' | 'NAME' | 'BIRTH_DATE')[],
    channel: (c) => c.channel as 'CENTER' | 'MYNA_PORTAL',
    revokedVia: (c) => (c.revokedVia as 'CENTER' | 'MYNA_PORTAL' | null) ?? null,
    status: (c, _args, ctx) => consentStatus(c, ctx.now),
    holder: (c) => ({ id: c.holderId }),
    followedCertificate: (c, _args, ctx) => ({
      serialNumber: c.certificateSerial,
      notAfter: c.certificateNotAfter,
      status: followedCertificateStatus(c, ctx.now),
    }),
  },
};
