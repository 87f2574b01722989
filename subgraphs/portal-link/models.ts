import type { HonsekiChangeRequestRow, PortalLinkRow, SignatureCertificateRow } from './tables.js';

export type { HonsekiChangeRequestRow, PortalLinkRow, SignatureCertificateRow };

/** A Holder as this subgraph takes it from the gateway: its key and the prefecture the driver vouched for (@requires). */
export type { HolderInQuestion as HolderReference } from '../../lib/domain/holder-access.js';

/** A Consent as this subgraph takes it from the gateway: its key and the holder the consent subgraph vouched for. */
export interface ConsentReference {
  id: string;
  /** Null when the consent subgraph's vouching did not verify. */
  holderId: string | null;
}

export type { AccessRecordRow } from '../../lib/platform/audit/tables.js';
