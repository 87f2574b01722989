import { invalidArgument } from '../../lib/platform/errors.js';
import { decodeCursor, pageSize, toConnection } from '../../lib/platform/graphql/pagination.js';
import { isUuid, parseId, parseLicenseNumber, parsePrefecture } from '../../lib/platform/graphql/input.js';
import { inMutation } from '../../lib/platform/graphql/mutation.js';
import { applyDueRecordImports, registerRecordChange, scheduleRecordImports } from './imports.js';
import { changeCards, registerHolder } from './procedures.js';
import { scalarResolvers } from '../../lib/platform/graphql/scalars.js';
import { authorizeHolder, holderAccessError } from '../../lib/domain/holder-access.js';
import { selectedFields } from '../../lib/platform/graphql/selected-fields.js';
import { MAX_HOLDER_IDS_PER_REQUEST } from '../../lib/platform/graphql/holder-ids.js';
import { findAccessRecords } from '../../lib/platform/audit/queries.js';
import { requireHolderPurpose, requireRole } from '../../lib/platform/identity/authorize.js';
import { STAFF_ROLES } from '../../lib/platform/identity/roles.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { holderParent, type HolderParent, type HolderRow, type RequiredByEligibility } from './models.js';
import type { DriverContext } from './context.js';
import { searchImports } from './repository.js';
import { eligibility } from './rules/eligibility.js';
import { importFailureMessage, type ImportFailure } from './rules/import-validation.js';
import { japanDate } from '../../lib/platform/japan-date.js';
import { CARD_KINDS, holdingForm, holdsLicence } from './rules/holding-form.js';

export const MAX_HOLDERS_PER_REQUEST = MAX_HOLDER_IDS_PER_REQUEST;
/** The service identity and the J-LIS feed read as the system does, not as a person; the budget is for people. */
const BUDGET_EXEMPT = new Set(['SERVICE', 'JLIS_FEED']);

/** Authorizes a holder read and spends the reader's budget of distinct holders; either refusal replaces the holder. */
function readError(ctx: DriverContext, row: HolderRow, fields: readonly string[]): Error | null {
  const { identity } = ctx.access;
  return holderAccessError(ctx, row, fields, 'READ', () => BUDGET_EXEMPT.has(identity.role) || ctx.readBudget.admit(identity.subject, row.id, ctx.now));
}
/** Staff, and the service identity for the steps of procedures that need the record (the 本籍 worker). */
const HOLDER_READERS = [...STAFF_ROLES, 'SERVICE' as const];
const STAFF_WRITERS = ['COUNTER_STAFF', 'SUPERVISOR', 'NPA_ADMIN'] as const;

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    async holder(_root, args, ctx, info) {
      requireRole(ctx.access, HOLDER_READERS, 'holder');
      requireHolderPurpose(ctx.access);
      const byId = args.id !== undefined && args.id !== null;
      const byNumber = args.licenseNumber !== undefined && args.licenseNumber !== null;
      if (byId === byNumber) throw invalidArgument(byId ? 'licenseNumber' : 'id', 'give exactly one of "id" and "licenseNumber"');
      const row = byId
        ? await ctx.loaders.holderById.load(parseId(args.id!, 'id'))
        : await ctx.loaders.holderByLicenseNumber.load(parseLicenseNumber(args.licenseNumber!, 'licenseNumber'));
      if (!row) return null;
      const refused = readError(ctx, row, selectedFields(info, 'Holder'));
      if (refused) throw refused;
      return row;
    },
    async holders(_root, { ids }, ctx, info) {
      requireRole(ctx.access, HOLDER_READERS, 'holders');
      requireHolderPurpose(ctx.access);
      // Over every holders field of the request (aliases each call this), as the gateway counts them: a request the
      // gateway let through by mistake, or one sent past it, still reads no more than the maximum.
      ctx.holderIdsRequested.count += ids.length;
      if (ctx.holderIdsRequested.count > MAX_HOLDERS_PER_REQUEST) {
        throw invalidArgument('ids', `must hold at most ${MAX_HOLDERS_PER_REQUEST} ids over all holders fields of a request`);
      }
      const bad = ids.findIndex((id) => !isUuid(id));
      if (bad >= 0) throw invalidArgument('ids', `holds a value at index ${bad} that is not a holder id (a UUID)`);
      const rows = await ctx.loaders.holderById.loadMany(ids.map((id) => id.toLowerCase()));
      // An out-of-scope holder is null with FORBIDDEN at its own position; the others are answered.
      const fields = selectedFields(info, 'Holder');
      return rows.map((row) => {
        if (row instanceof Error) throw row;
        if (!row) return null;
        return readError(ctx, row, fields) ?? row;
      }) as HolderParent[];
    },
    async accessLog(_root, { holderId, first, after }, ctx) {
      requireRole(ctx.access, ['AUDITOR', 'SUPERVISOR'], 'accessLog');
      requireHolderPurpose(ctx.access);
      const id = parseId(holderId, 'holderId');
      const size = pageSize(first);
      const cursor = decodeCursor(after, ['seq']);
      const holder = await ctx.loaders.holderById.load(id);
      if (!holder) return toConnection([], size, () => []);
      // Reading who accessed a holder is itself an access to that holder, and is recorded as one.
      authorizeHolder(ctx, holder, 'accessLog');
      const rows = await findAccessRecords(ctx.db, id, cursor ? Number(cursor[0]) : null, size + 1);
      return toConnection(rows, size, (r) => [String(r.seq)]);
    },
    async recordImports(_root, { filter, first, after }, ctx) {
      requireRole(ctx.access, STAFF_ROLES, 'recordImports');
      requireHolderPurpose(ctx.access);
      const { identity } = ctx.access;
      let prefecture = filter.prefecture ?? null;
      if (prefecture !== null) parsePrefecture(prefecture, 'filter.prefecture');
      if (identity.prefecture && (identity.role === 'COUNTER_STAFF' || identity.role === 'SUPERVISOR')) {
        if (prefecture && prefecture !== identity.prefecture) {
          throw invalidArgument('filter.prefecture', "must be the caller's own prefecture");
        }
        prefecture = identity.prefecture;
      }
      const size = pageSize(first);
      const cursor = decodeCursor(after, ['date', 'uuid']);
      const rows = await searchImports(ctx.db, {
        status: filter.status ?? null,
        prefecture,
        effectiveFrom: filter.effectiveFrom ?? null,
        effectiveTo: filter.effectiveTo ?? null,
        after: cursor ? [cursor[0]!, cursor[1]!] : null,
        limit: size + 1,
      });
      return toConnection(rows, size, (r) => [r.effectiveOn, r.id]);
    },
  },
  AccessLogEntry: {
    actor: (r) => r.subject,
  },
  Mutation: {
    registerHolder(_root, { input }, ctx) {
      requireRole(ctx.access, ['SUPERVISOR', 'NPA_ADMIN'], 'registerHolder');
      requireHolderPurpose(ctx.access);
      return inMutation(() => registerHolder(ctx, input));
    },
    registerRecordChange(_root, { input }, ctx) {
      requireRole(ctx.access, STAFF_WRITERS, 'registerRecordChange');
      requireHolderPurpose(ctx.access);
      return inMutation(() => registerRecordChange(ctx, input));
    },
    scheduleRecordImports(_root, { input }, ctx) {
      requireRole(ctx.access, ['SERVICE'], 'scheduleRecordImports');
      return inMutation(() => scheduleRecordImports(ctx, input), { results: [] });
    },
    applyDueRecordImports(_root, { limit }, ctx) {
      requireRole(ctx.access, ['SERVICE'], 'applyDueRecordImports');
      const n = limit ?? 500;
      if (!Number.isInteger(n) || n < 1 || n > 5000) throw invalidArgument('limit', 'must be between 1 and 5000');
      return inMutation(() => applyDueRecordImports(ctx, n), { applied: 0, failed: 0, ended: 0 });
    },
    changeCards(_root, { input }, ctx) {
      requireRole(ctx.access, STAFF_WRITERS, 'changeCards');
      requireHolderPurpose(ctx.access);
      return inMutation(() => changeCards(ctx, input));
    },
  },
  Holder: {
    async __resolveReference(ref, ctx, info) {
      const row = await ctx.loaders.holderById.load(ref.id);
      if (!row) return null;
      requireHolderPurpose(ctx.access);
      const refused = readError(ctx, row, selectedFields(info, 'Holder'));
      if (refused) throw refused;
      // The gateway sends the fields eligibility @requires with the key; keep them beside the row.
      return holderParent(row, ref as RequiredByEligibility);
    },
    // Only a holder the caller may read gets here (root fields and __resolveReference authorize first), so the
    // other subgraphs learn the prefecture of nobody else.
    accessScope: (h, _args, ctx) => ctx.deps.scope.vouchForHolder(h.id, h.residencePrefecture, ctx.access.requestId),
    licenseNumber: (h) => (holdsLicence(h.cards) ? h.licenseNumber : null),
    cards: (h) => CARD_KINDS.filter((k) => h.cards.includes(k)),
    holdingForm: (h) => holdingForm(h.cards),
    eligibility: (h) =>
      eligibility({
        cards: h.cards,
        signatureCertificate: h.signatureCertificate ?? null,
        portalLink: h.portalLink ?? null,
        consent: h.addressOneStopConsent ?? null,
        portalLinkKnown: h.portalLinkRead === true,
        consentKnown: h.addressOneStopConsentRead === true,
      }),
    async recordImports(h, { status }, ctx) {
      const all = await ctx.loaders.importsByHolderId.load(h.id);
      return status ? all.filter((i) => i.status === status) : all;
    },
  },
  RecordImport: {
    // Imports failed before messages were stored get theirs from the code, with today's maxima.
    failureMessage: (r, _args, ctx) =>
      r.failureMessage ??
      (r.failureReason ? importFailureMessage(r.failureReason as ImportFailure, r.item, r.newValue, { ...ctx.recordLimits, today: japanDate(ctx.now) }) : null),
    async __resolveReference(ref, ctx) {
      const row = await ctx.loaders.importById.load(ref.id);
      if (!row) return null;
      const holder = await ctx.loaders.holderById.load(row.holderId);
      authorizeHolder(ctx, { id: row.holderId, residencePrefecture: holder?.residencePrefecture ?? null }, 'recordImports');
      return row;
    },
    // The holder behind an import is read exactly as holder(id:) reads it: scope, budget and the fields selected.
    async holder(r, _args, ctx, info) {
      const row = await ctx.loaders.holderById.load(r.holderId);
      if (!row) throw new Error('record import without holder');
      requireHolderPurpose(ctx.access);
      const refused = readError(ctx, row, selectedFields(info, 'Holder'));
      if (refused) throw refused;
      return row;
    },
  },
};
