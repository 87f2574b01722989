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
 * Staff of a prefecture see only holders residing there; national roles see all. Myna Portal reaches a holder only
 * through a pseudonym-keyed root field (holderByPseudonym and its mutations), which the portal-link subgraph scopes;
 * the entity fields the gateway then fetches for that holder are allowed here.
 */
export function canReadHolderOf(access: RequestAccess, residencePrefecture: string): boolean {
  const { role, prefecture } = access.identity;
  if (role === 'NPA_ADMIN' || role === 'AUDITOR' || role === 'MYNA_PORTAL' || role === 'SERVICE') return true;
  if (PREFECTURE_SCOPED_ROLES.includes(role)) return prefecture === residencePrefecture;
  return false;
}

export const canReadPseudonym = (access: RequestAccess) => PSEUDONYM_READERS.includes(access.identity.role);
