import type { CertificateFailure } from '../../lib/domain/certificates/verify.js';
import { refusalsOf, type Refuse } from '../../lib/platform/graphql/mutation.js';

/**
 * Every code a consent mutation refuses with: granting and revoking the address one-stop consent, and the J-LIS feed
 * (whose signature refusal names every line at fault at once, so jlis.ts throws those together).
 */
export type ConsentRefusal =
  | CertificateFailure
  | 'HOLDER_NOT_FOUND'
  | 'PORTAL_NOT_LINKED'
  | 'NOT_COVERED'
  | 'SIGNATURE_CERTIFICATE_NOT_SUBMITTED'
  | 'CERTIFICATE_HOLDER_MISMATCH'
  | 'CONSENT_DOCUMENT_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'SIGNED_CONSENT_ALREADY_USED'
  | 'NO_CONSENT'
  | 'CONSENT_REVOKED'
  | 'CONSENT_EXPIRED'
  | 'JLIS_SIGNATURE_INVALID';

// Typed where declared, so that TypeScript knows a call ends the procedure (`if (!x) refuse(…)` narrows x).
export const refuse: Refuse<ConsentRefusal> = refusalsOf<ConsentRefusal>();
