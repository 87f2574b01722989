import { japanDate } from '../../lib/platform/japan-date.js';
import type { Db } from '../../lib/platform/db/database.js';
import { DEMO_HOLDERS, demoId } from '../../seeds/demo-holders.js';
import { consentExpiresOn } from './rules/consent-period.js';
import { consents } from './tables.js';

/** The consent part of the demo data; fixed ids make it harmless to repeat. */
export async function seedConsent(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const h of DEMO_HOLDERS) {
      if (!h.consent || !h.certificate) continue;
      const c = h.consent;
      const consentedAt = new Date(c.consentedAt);
      await tx
        .insert(consents)
        .values({
          id: demoId(1000 + h.n),
          holderId: demoId(h.n),
          items: c.items,
          channel: c.channel,
          termsVersion: 'demo-1',
          consentedAt,
          expiresOn: consentExpiresOn(japanDate(consentedAt)),
          revokedAt: c.revokedAt ? new Date(c.revokedAt) : null,
          revokedVia: c.revokedVia ?? null,
          certificateSerial: h.certificate.serial,
          certificateNotAfter: new Date(c.certificateNotAfter ?? h.certificate.notAfter),
          certificateRevokedAt: c.certificateRevokedAt ? new Date(c.certificateRevokedAt) : null,
        })
        .onConflictDoNothing();
    }
  });
}
