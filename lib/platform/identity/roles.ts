/**
 * The roles a caller's token may carry: those of API.md, plus SERVICE, the identity of Renkei's own workers and
 * cross-subgraph steps (J-LIS scheduling, 本籍 application, due imports), never issued to a person or an integrator.
 */
export const CALLER_ROLES = ['COUNTER_STAFF', 'SUPERVISOR', 'NPA_ADMIN', 'AUDITOR', 'MYNA_PORTAL', 'JLIS_FEED', 'SERVICE'] as const;
/**
 * Every role a subgraph may be told of: the callers', and GATEWAY, the gateway asking a subgraph for itself (which
 * holders the pseudonyms of a Myna Portal request name). No caller's token carries it; the gateway alone signs it.
 */
export const ROLES = [...CALLER_ROLES, 'GATEWAY'] as const;
export type Role = (typeof ROLES)[number];

export const PURPOSES = ['HOLDER_INQUIRY', 'COUNTER_PROCEDURE', 'IMPORT_CORRECTION', 'AUDIT', 'SYSTEM'] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * Who may name which purpose. A person at a counter reads a holder for an inquiry (with the identity verification
 * R-INQ-1 asks for), a procedure or an import correction; AUDIT is the auditors', the supervisors' and the agency's;
 * SYSTEM is the systems' (and the agency's). A clerk naming SYSTEM or AUDIT would read without the verification.
 */
const PURPOSE_ROLES: Partial<Record<Purpose, readonly Role[]>> = {
  AUDIT: ['AUDITOR', 'SUPERVISOR', 'NPA_ADMIN'],
  SYSTEM: ['MYNA_PORTAL', 'JLIS_FEED', 'SERVICE', 'GATEWAY', 'NPA_ADMIN'],
};
export const purposeAllowed = (role: Role, purpose: Purpose): boolean => PURPOSE_ROLES[purpose]?.includes(role) ?? true;

/** Staff of a licence centre or the NPA: the roles that read holders by id. */
export const STAFF_ROLES: readonly Role[] = ['COUNTER_STAFF', 'SUPERVISOR', 'NPA_ADMIN', 'AUDITOR'];
/** Staff who carry out counter procedures (write). */
export const COUNTER_ROLES: readonly Role[] = ['COUNTER_STAFF', 'SUPERVISOR', 'NPA_ADMIN'];
/** Roles bound to one prefecture (住所地公安委員会): they see only holders residing there. */
export const PREFECTURE_SCOPED_ROLES: readonly Role[] = ['COUNTER_STAFF', 'SUPERVISOR'];
/** Roles allowed to read a Myna Portal pseudonym. */
export const PSEUDONYM_READERS: readonly Role[] = ['SUPERVISOR', 'NPA_ADMIN', 'MYNA_PORTAL'];

export interface Identity {
  subject: string;
  role: Role;
  /** JIS X 0401 code "01"–"47"; present for prefecture-scoped roles. */
  prefecture: string | null;
}

/** What a request says about itself besides who sends it (R-INQ-1). */
export interface RequestAccess {
  identity: Identity;
  purpose: Purpose | null;
  identityVerification: string | null;
  requestId: string;
  /**
   * MYNA_PORTAL only: the holders of the pseudonyms this request names, which the gateway resolved and signed into
   * the subgraph token. Myna Portal reaches these holders and no others.
   */
  holderScope?: readonly string[];
}

export const PREFECTURE_RE = /^(0[1-9]|[1-3][0-9]|4[0-7])$/;
export const isPrefectureCode = (value: string) => PREFECTURE_RE.test(value);
