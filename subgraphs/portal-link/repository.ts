import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../lib/db/database.js';
import {
  honsekiChangeRequests,
  portalLinks,
  signatureCertificates,
  type HonsekiChangeRequestRow,
  type PortalLinkRow,
  type SignatureCertificateRow,
} from './tables.js';

/** The certificate on file per holder: the latest M1 submission. */
export const findLatestCertificates = (db: Db, holderIds: readonly string[]): Promise<SignatureCertificateRow[]> =>
  db
    .selectDistinctOn([signatureCertificates.holderId])
    .from(signatureCertificates)
    .where(inArray(signatureCertificates.holderId, [...holderIds]))
    .orderBy(signatureCertificates.holderId, desc(signatureCertificates.submittedAt), desc(signatureCertificates.id));

export const findLinksByHolderIds = (db: Db, holderIds: readonly string[]): Promise<PortalLinkRow[]> =>
  db.select().from(portalLinks).where(inArray(portalLinks.holderId, [...holderIds]));

export const findLinksByPseudonyms = (db: Db, pseudonyms: readonly string[]): Promise<PortalLinkRow[]> =>
  db.select().from(portalLinks).where(inArray(portalLinks.pseudonym, [...pseudonyms]));

export const findHonsekiRequestsByHolderIds = (db: Db, holderIds: readonly string[]): Promise<HonsekiChangeRequestRow[]> =>
  db
    .select()
    .from(honsekiChangeRequests)
    .where(inArray(honsekiChangeRequests.holderId, [...holderIds]))
    .orderBy(desc(honsekiChangeRequests.submittedAt), desc(honsekiChangeRequests.id));

export const findLinkByHolderId = async (db: Db, holderId: string) =>
  (await db.select().from(portalLinks).where(eq(portalLinks.holderId, holderId)))[0] ?? null;
