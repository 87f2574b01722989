import { HolderInScopeDocument } from './generated/operations.js';
import { apiError } from '../platform/errors.js';
import { GraphUnavailableError } from '../platform/graph-client.js';
import type { HoldersInScope } from '../platform/idempotency/holders-in-scope.js';
import { canReachHolder } from '../platform/identity/authorize.js';
import { PREFECTURE_SCOPED_ROLES } from '../platform/identity/roles.js';

/**
 * For a subgraph that knows holders by id only (consent, portal-link): the caller's scope as far as it needs no
 * prefecture, and for staff, whose scope is their prefecture, the driver's answer to `holder(id:)` asked through the
 * gateway as the caller (a mutation's call carries the caller's token for such nested requests).
 */
export const holdersInScopeThroughGraph: HoldersInScope = async (ctx, holderIds) => {
  const inScope = new Set<string>();
  for (const id of holderIds) {
    if (canReachHolder(ctx.access, { id, residencePrefecture: null })) {
      inScope.add(id);
      continue;
    }
    if (!PREFECTURE_SCOPED_ROLES.includes(ctx.access.identity.role)) continue;
    try {
      const r = await ctx.deps.graph.request(HolderInScopeDocument, { id }, ctx.forward);
      if (r.data?.holder?.id === id) inScope.add(id);
    } catch (e) {
      if (e instanceof GraphUnavailableError) throw apiError('SERVICE_UNAVAILABLE', "the caller's scope could not be checked just now; try again");
      throw e;
    }
  }
  return inScope;
};
