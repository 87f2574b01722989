import { apiError, forbidden } from '../errors.js';
import { HEADER } from './request.js';
import { PREFECTURE_SCOPED_ROLES, PSEUDONYM_READERS, type RequestAccess, type Role } from './roles.js';

/** Pure authorization decisions shared by every subgraph; resolvers call them before touching data. */

export function requireRole(access: RequestAccess, roles: readonly Role[], operation: string): void {
  if (!roles.includes(access.identity.role)) {
    throw forbidden(`${operation} is not available to role ${access.identity.role}`);
  }
}

/** Every read or write of a holder's data states its purpose; an inquiry also states how identity was verified (R-INQ-1). */
export function requireHolderPurpose(access: RequestAccess): void {
  if (!access.purpose) {
    throw apiError('PURPOSE_REQUIRED', `header "${HEADER.purpose}" is required to read or change a holder's data`, { header: HEADER.purpose });
  }
  if (access.purpose === 'HOLDER_INQUIRY' && !access.identityVerification) {
    throw apiError('PURPOSE_REQUIRED', `purpose HOLDER_INQUIRY needs header "${HEADER.identityVerification}" (R-INQ-1)`, {
      header: HEADER.identityVerification,
    });
  }
}

/**
 * Whether the caller may reach this holder, the one rule every path to a holder applies (`holder(id:)`, lists,
 * `_entities` in every subgraph, a consent's or an import's holder, the access log, an idempotent replay): staff of a
 * prefecture only holders residing there; NPA_ADMIN, AUDITOR and Renkei's own SERVICE every holder; MYNA_PORTAL only
 * the holders of the pseudonyms its request names, as the gateway resolved and signed them; JLIS_FEED (which sends
 * notifications and reads nobody) and the gateway's own identity none. `residencePrefecture` is null where it is not
 * known (a subgraph that knows the holder by id only): then no prefecture-bound role reaches the holder.
 */
export function canReachHolder(access: RequestAccess, holder: { id: string; residencePrefecture: string | null }): boolean {
  const { role, prefecture } = access.identity;
  if (role === 'NPA_ADMIN' || role === 'AUDITOR' || role === 'SERVICE') return true;
  if (role === 'MYNA_PORTAL') return access.holderScope?.includes(holder.id) ?? false;
  if (PREFECTURE_SCOPED_ROLES.includes(role)) return !!holder.residencePrefecture && prefecture === holder.residencePrefecture;
  return false;
}

export const canReadPseudonym = (access: RequestAccess) => PSEUDONYM_READERS.includes(access.identity.role);
