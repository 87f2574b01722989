import { assertCanReadHolderOf, canReadHolderOf, requireHolderPurpose } from './identity/authorize.js';
import { forbidden } from './errors.js';
import type { RequestAccess } from './identity/roles.js';

/**
 * The check every subgraph runs before handing out any part of a holder: a stated purpose (R-INQ-1) and the
 * caller's scope. `residencePrefecture` comes from the driver row, or from the representation the gateway built
 * from the driver subgraph (@requires) in the others.
 */
export function authorizeHolder(access: RequestAccess, residencePrefecture: string | undefined | null): void {
  requireHolderPurpose(access);
  if (!residencePrefecture) throw forbidden('the holder scope could not be established');
  assertCanReadHolderOf(access, residencePrefecture);
}

/** For list positions and entity batches: the error replaces the one holder, the others are still answered. */
export function holderAccessError(access: RequestAccess, residencePrefecture: string): Error | null {
  return canReadHolderOf(access, residencePrefecture) ? null : forbidden("this holder is outside the caller's prefecture");
}
