import type { HonsekiChangeRequestRow, PortalLinkRow, SignatureCertificateRow } from './tables.js';

export type { HonsekiChangeRequestRow, PortalLinkRow, SignatureCertificateRow };

/** A Holder as the gateway hands it to this subgraph: its key plus the prefecture this subgraph @requires. */
export interface HolderReference {
  id: string;
  residencePrefecture?: string;
}

export type { AccessRecordRow } from '../../lib/audit/tables.js';
