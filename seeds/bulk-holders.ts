import type { Db } from '../lib/platform/db/database.js';
import type { SubgraphName } from '../schema/subgraphs.js';
import { consents } from '../subgraphs/consent/tables.js';
import { holders } from '../subgraphs/driver/tables.js';
import { portalLinks, signatureCertificates } from '../subgraphs/portal-link/tables.js';

export const bulkId = (i: number) => `22222222-2222-4222-8222-${String(i).padStart(12, '0')}`;
export const bulkSerial = (i: number) => `C0${String(i).padStart(8, '0')}`;

/**
 * `n` Myna-only holders in prefecture 13, each with M1, M2 and an ADDRESS consent following certificate
 * bulkSerial(i), written straight into each subgraph's own tables (tests and benchmarks; never `npm start`).
 */
export async function insertBulkHolders(graph: { dbs: Record<SubgraphName, Db> }, n: number): Promise<void> {
  const at = new Date('2025-05-01T10:00:00+09:00');
  const notAfter = new Date('2029-01-01T00:00:00Z');
  for (let from = 0; from < n; from += 500) {
    const range = Array.from({ length: Math.min(500, n - from) }, (_, k) => from + k);
    await graph.dbs.driver.insert(holders).values(
      range.map((i) => ({
        id: bulkId(i),
        licenseNumber: String(400000000000 + i),
        name: `試験 ${i}`,
        birthDate: '1990-01-01',
        address: '東京都千代田区1-1',
        honseki: '東京都千代田区1番',
        residencePrefecture: '13',
        cards: ['MYNA_LICENSE'],
      })),
    );
    await graph.dbs['portal-link'].insert(signatureCertificates).values(
      range.map((i) => ({
        holderId: bulkId(i),
        serialNumber: bulkSerial(i),
        issuer: 'CN=test',
        notBefore: at,
        notAfter,
        faceMatched: true,
        cardValid: true,
        addressMatched: true,
        submittedBy: 'test',
        submittedAt: at,
      })),
    );
    await graph.dbs['portal-link']
      .insert(portalLinks)
      .values(
        range.map((i) => ({ holderId: bulkId(i), pseudonym: `pseudonym-${String(i).padStart(6, '0')}`, certificateSerial: bulkSerial(i), linkedAt: at })),
      );
    await graph.dbs.consent.insert(consents).values(
      range.map((i) => ({
        holderId: bulkId(i),
        items: ['ADDRESS'],
        channel: 'CENTER',
        termsVersion: 't1',
        consentedAt: at,
        expiresOn: '2035-05-01',
        certificateSerial: bulkSerial(i),
        certificateNotAfter: notAfter,
      })),
    );
  }
}
