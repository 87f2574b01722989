import { apiError, forbidden } from '../platform/errors.js';
import { canReachHolder, requireHolderPurpose } from '../platform/identity/authorize.js';
import type { AccessAction } from '../platform/audit/access-records.js';
import type { SubgraphContext } from '../platform/subgraph-server.js';

/**
 * A holder as a subgraph authorizes it: its id and what is known of its residence prefecture — from the driver row,
 * or, in the other subgraphs, as the driver vouched for it (`vouchedHolder`); null where only the id is known.
 * `vouched: false` marks a representation whose vouching did not verify: nobody reaches it.
 */
export interface HolderInQuestion {
  id: string;
  residencePrefecture: string | null;
  vouched?: boolean;
}

/**
 * A Holder representation the gateway sent to consent or portal-link, taken at what the driver vouched for
 * (`Holder.accessScope`, lib/platform/identity/subgraph-scope.ts) and at nothing else the representation says.
 */
export function vouchedHolder(ctx: SubgraphContext, ref: { id: string; accessScope?: string | null }): HolderInQuestion {
  const residencePrefecture = ctx.deps.scope.holderPrefecture(ref.accessScope, ref.id, ctx.access.requestId);
  return { id: ref.id, residencePrefecture, vouched: residencePrefecture !== null };
}

/**
 * The check every subgraph runs before handing out or changing any part of a holder: a stated purpose (R-INQ-1) and
 * the caller's scope (`canReachHolder`). Allowed and denied accesses are both recorded.
 */
export function authorizeHolder(ctx: SubgraphContext, holder: HolderInQuestion, fields: string | readonly string[], action: AccessAction = 'READ'): void {
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
  holder: HolderInQuestion,
  fields: string | readonly string[],
  action: AccessAction = 'READ',
  admit: () => boolean = () => true,
): Error | null {
  const inScope = holder.vouched !== false && canReachHolder(ctx.access, holder);
  const admitted = inScope && admit();
  ctx.audit.note(holder.id, action, admitted ? 'ALLOWED' : 'DENIED', fields);
  if (holder.vouched === false) return forbidden("the holder's scope could not be verified");
  if (!inScope) return forbidden("this holder is outside the caller's scope");
  if (!admitted) return apiError('RATE_LIMITED', 'too many different holders were read in a short time; try again later');
  return null;
}
