import type { Db } from '../../lib/platform/db/database.js';
import { DEMO_HOLDERS, demoId } from '../../seeds/demo-holders.js';
import { holders, recordImports } from './tables.js';

/** The driver part of the demo data; run once at start, harmless to repeat. */
export async function seedDriver(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const h of DEMO_HOLDERS) {
      const id = demoId(h.n);
      await tx
        .insert(holders)
        .values({
          id,
          licenseNumber: h.licenseNumber,
          name: h.name,
          birthDate: h.birthDate,
          address: h.address,
          honseki: h.honseki,
          residencePrefecture: h.prefecture,
          cards: h.cards,
        })
        .onConflictDoNothing();
      for (const [i, imp] of (h.imports ?? []).entries()) {
        await tx
          .insert(recordImports)
          .values({
            holderId: id,
            item: imp.item,
            newValue: imp.newValue,
            source: 'ADDRESS_ONE_STOP',
            sourceRef: `DEMO-${h.n}-${i}`,
            filedOn: imp.filedOn,
            effectiveOn: imp.effectiveOn,
            status: imp.status,
            failureReason: imp.failureReason ?? null,
            appliedAt: imp.status === 'APPLIED' ? new Date(`${imp.effectiveOn}T00:00:00+09:00`) : null,
          })
          .onConflictDoNothing();
      }
    }
  });
}
