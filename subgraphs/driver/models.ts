import type { CertificateStatus, ConsentStatus } from './rules/eligibility.js';
import type { HolderRow, RecordImportRow } from './tables.js';

export type { HolderRow, RecordImportRow };

/** The fields other subgraphs contribute that eligibility @requires; present only on entity calls from the gateway. */
export interface RequiredByEligibility {
  signatureCertificate?: { status: CertificateStatus } | null;
  portalLink?: { linkedAt: string } | null;
  addressOneStopConsent?: { items: string[]; status: ConsentStatus; followedCertificate: { status: CertificateStatus } } | null;
  portalLinkRead?: boolean | null;
  addressOneStopConsentRead?: boolean | null;
}

/** A Holder as resolvers pass it: the driver row, plus the required fields when the gateway sent them. */
export type HolderParent = HolderRow & RequiredByEligibility;

export type { AccessRecordRow } from '../../lib/audit/tables.js';
