import type { Db } from '../../lib/platform/db/database.js';
import { DEMO_HOLDERS, demoId } from '../../seeds/demo-holders.js';
import { certificateHolders, honsekiChangeRequests, portalLinks, signatureCertificates } from './tables.js';

/** The certificate, linkage and 本籍-request part of the demo data; fixed ids make it harmless to repeat. */
export async function seedPortalLink(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const h of DEMO_HOLDERS) {
      const holderId = demoId(h.n);
      if (h.certificate) {
        const c = h.certificate;
        await tx
          .insert(signatureCertificates)
          .values({
            id: demoId(2000 + h.n),
            holderId,
            serialNumber: c.serial,
            issuer: 'CN=Demo J-LIS CA',
            notBefore: new Date(c.notBefore),
            notAfter: new Date(c.notAfter),
            revokedAt: c.revokedAt ? new Date(c.revokedAt) : null,
            faceMatched: true,
            cardValid: true,
            addressMatched: true,
            submittedBy: 'demo-seed',
            submittedAt: new Date(c.submittedAt),
          })
          .onConflictDoNothing();
        await tx
          .insert(certificateHolders)
          .values({ serialNumber: c.serial, holderId, firstSubmittedAt: new Date(c.submittedAt) })
          .onConflictDoNothing();
      }
      if (h.link && h.certificate) {
        await tx
          .insert(portalLinks)
          .values({ holderId, pseudonym: h.link.pseudonym, certificateSerial: h.certificate.serial, linkedAt: new Date(h.link.linkedAt) })
          .onConflictDoNothing();
      }
      for (const [i, r] of (h.honsekiRequests ?? []).entries()) {
        await tx
          .insert(honsekiChangeRequests)
          .values({
            id: demoId(3000 + h.n * 10 + i),
            holderId,
            status: r.status,
            submittedAt: new Date(r.submittedAt),
            completedAt: r.completedAt ? new Date(r.completedAt) : null,
            failureReason: r.failureReason ?? null,
            attempts: 1,
          })
          .onConflictDoNothing();
      }
    }
  });
}
