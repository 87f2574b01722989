import { forbidden } from './errors.js';
import { canReadHolderOf, requireHolderPurpose } from './identity/authorize.js';
import type { AccessAction } from './audit/access-records.js';
import type { SubgraphContext } from './subgraph-server.js';

/**
 * The check every subgraph runs before handing out or changing any part of a holder: a stated purpose (R-INQ-1) and
 * the caller's scope. `residencePrefecture` comes from the driver row, or from the representation the gateway built
 * from the driver subgraph (@requires) in the others. Allowed and denied accesses are both recorded.
 */
export function authorizeHolder(
  ctx: SubgraphContext,
  holder: { id: string; residencePrefecture?: string | null },
  fields: string | readonly string[],
  action: AccessAction = 'READ',
): void {
  requireHolderPurpose(ctx.access);
  const error = holderAccessError(ctx, holder, fields, action);
  if (error) throw error;
}

/** For list positions and entity batches: the error replaces the one holder, the others are still answered. */
export function holderAccessError(
  ctx: SubgraphContext,
  holder: { id: string; residencePrefecture?: string | null },
  fields: string | readonly string[],
  action: AccessAction = 'READ',
): Error | null {
  const allowed = !!holder.residencePrefecture && canReadHolderOf(ctx.access, holder.residencePrefecture);
  ctx.audit.note(holder.id, action, allowed ? 'ALLOWED' : 'DENIED', fields);
  return allowed ? null : forbidden("this holder is outside the caller's prefecture");
}
