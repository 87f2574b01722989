import { apiError, forbidden } from './errors.js';
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

/**
 * For list positions and entity batches: the error replaces the one holder, the others are still answered.
 * `admit` is a further check for an in-scope holder (the driver's budget of distinct holders read).
 */
export function holderAccessError(
  ctx: SubgraphContext,
  holder: { id: string; residencePrefecture?: string | null },
  fields: string | readonly string[],
  action: AccessAction = 'READ',
  admit: () => boolean = () => true,
): Error | null {
  const inScope = !!holder.residencePrefecture && canReadHolderOf(ctx.access, holder.residencePrefecture);
  const admitted = inScope && admit();
  ctx.audit.note(holder.id, action, admitted ? 'ALLOWED' : 'DENIED', fields);
  if (!inScope) return forbidden("this holder is outside the caller's prefecture");
  if (!admitted) return apiError('RATE_LIMITED', 'too many different holders were read in a short time; try again later');
  return null;
}
