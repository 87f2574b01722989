import type { CertificateFailure } from '../../lib/domain/certificates/verify.js';
import { refusalsOf, type Refuse } from '../../lib/platform/graphql/mutation.js';

/** Every code a portal-link mutation refuses with: M1, M2, M3 and the 本籍 worker's settlement. */
export type PortalLinkRefusal =
  | CertificateFailure
  | 'FACE_NOT_MATCHED'
  | 'CARD_NOT_VALID'
  | 'ADDRESS_NOT_MATCHED'
  | 'HOLDER_NOT_FOUND'
  | 'NOT_MYNA_CARD_HOLDER'
  | 'CERTIFICATE_HOLDER_MISMATCH'
  | 'CERTIFICATE_SERIAL_IN_USE'
  | 'CERTIFICATE_MISMATCH'
  | 'SIGNATURE_CERTIFICATE_NOT_SUBMITTED'
  | 'PSEUDONYM_TAKEN'
  | 'ALREADY_LINKED'
  | 'PORTAL_NOT_LINKED'
  | 'HISTORY_CERTIFICATE_NOT_COVERED'
  | 'HOLDS_LICENSE_CARD'
  | 'REQUEST_NOT_LEASED';

// Typed where declared, so that TypeScript knows a call ends the procedure (`if (!x) refuse(…)` narrows x).
export const refuse: Refuse<PortalLinkRefusal> = refusalsOf<PortalLinkRefusal>();
