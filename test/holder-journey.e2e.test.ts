import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/platform/config.js';
import { createGraphClient, serviceHeaders } from '../lib/platform/graph-client.js';
import { serviceTokenSource } from '../lib/platform/identity/service-token.js';
import { startFamilyRegisterSimulator, type RunningSimulator } from '../simulators/family-register.js';
import { createFamilyRegisterClient } from '../workers/family-register-client.js';
import { processHonsekiRequests } from '../workers/honseki-worker.js';
import { certFor } from './support/certificates.js';
import { signedConsent } from './support/consent.js';
import { gql, startTestGraph, type Caller, type TestGraph } from './support/graph.js';
import { signed } from './support/jlis.js';

const op = (f: string) => readFileSync(new URL(`../schema/operations/${f}.graphql`, import.meta.url), 'utf8');
const supervisor: Caller = { role: 'SUPERVISOR', prefecture: '14', purpose: 'COUNTER_PROCEDURE' };
const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '14', purpose: 'COUNTER_PROCEDURE' };
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const feed: Caller = { role: 'JLIS_FEED', purpose: 'SYSTEM' };
const person = { name: '横浜 花子', birthDate: '1985-07-07', address: '神奈川県横浜市中区日本大通1' };

let graph: TestGraph;
let registry: RunningSimulator;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
  registry = await startFamilyRegisterSimulator({ port: 0, clock: graph.clock });
});
afterAll(async () => {
  await registry?.stop();
  await graph?.close();
});

describe('one holder through every procedure of the notice, through the gateway', () => {
  it('M1 → M2 → consent → J-LIS change → applied record → 本籍 change → revoke', async () => {
    const card = async (id: string) => (await gql(graph.gatewayUrl, { role: 'SUPERVISOR', prefecture: '14' }, op('HolderDetail'), { id })).data.holder;

    // A マイナ免許証 holder is registered; no measure taken yet is a valid state (R-ELIG-4).
    const reg = await gql(graph.gatewayUrl, supervisor, op('RegisterHolder'), {
      input: { licenseNumber: '451234567890', ...person, honseki: '神奈川県横浜市中区日本大通1番', residencePrefecture: '14', cards: ['MYNA_LICENSE'] },
    });
    const id: string = reg.data.registerHolder.holder.id;
    expect((await card(id)).eligibility.honsekiOnlineChange.eligible).toBe(false);

    // M1 at the centre (R-CERT-1/2), then M2 from Myna Portal (R-LINK-1).
    const cert = await certFor(graph.ca, person);
    const m1 = await gql(
      graph.gatewayUrl,
      clerk,
      `mutation($input: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $input) { userErrors { code } } }`,
      {
        input: { holderId: id, certificatePem: cert.certPem, checks: { faceMatched: true, cardValid: true, addressMatched: true } },
      },
    );
    expect(m1.data.submitSignatureCertificate.userErrors).toEqual([]);
    const m2 = await gql(graph.gatewayUrl, portal, `mutation($input: LinkMynaPortalInput!) { linkMynaPortal(input: $input) { userErrors { code } } }`, {
      input: { certificatePem: cert.certPem, pseudonym: 'journey-pseudonym-1' },
    });
    expect(m2.data.linkMynaPortal.userErrors).toEqual([]);
    expect((await card(id)).eligibility.honsekiOnlineChange.eligible).toBe(true);

    // Consent at the centre, signed with the M1 certificate (R-ONE-1): address and name.
    const items = ['ADDRESS', 'NAME'];
    const grant = await gql(graph.gatewayUrl, clerk, op('GrantAddressOneStopConsent'), {
      input: { holderId: id, items, termsVersion: 'v1', signedConsent: signedConsent(cert, { subject: id, items, signedAt: graph.clock.now().toISOString() }) },
    });
    expect(grant.data.grantAddressOneStopConsent.userErrors).toEqual([]);

    // The holder moves; the municipality issues a new certificate and J-LIS notifies (R-ONE-5).
    const ingest = await gql(graph.gatewayUrl, feed, op('IngestJlisNotifications'), {
      input: [
        signed({
          notificationId: 'JOURNEY-1',
          kind: 'CERTIFICATE_RENEWED',
          previousSerial: cert.serial,
          serial: 'ABCDEF01',
          notBefore: '2026-04-01T09:00:00+09:00',
          notAfter: '2031-04-01T00:00:00+09:00',
          name: person.name,
          address: '神奈川県川崎市川崎区宮本町1',
          birthDate: person.birthDate,
          filedOn: '2026-04-01',
        }),
      ],
    });
    expect(ingest.data.ingestJlisNotifications.results).toEqual([{ notificationId: 'JOURNEY-1', outcome: 'SCHEDULED', reason: null }]);
    expect((await card(id)).address).toBe(person.address);

    // Two days later the import falls due and the worker applies it (R-IMP-1).
    graph.clock.set('2026-04-03T00:05:00+09:00');
    const headers = () => serviceHeaders(serviceTokenSource(parseConfig({ NODE_ENV: 'test' })));
    const client = createGraphClient(() => graph.gatewayUrl);
    const applied = await client.request(
      (await import('../lib/domain/generated/operations.js')).ApplyDueRecordImportsDocument,
      { limit: 100 },
      await headers(),
    );
    expect(applied.data?.applyDueRecordImports.applied).toBe(1);
    const moved = await card(id);
    expect(moved.address).toBe('神奈川県川崎市川崎区宮本町1');
    expect(moved.recordImports.map((i: { status: string }) => i.status)).toEqual(['APPLIED']);

    // The 本籍 changes at the municipality; the holder sends the identifier code through Myna Portal (R-HON-2).
    registry.issue('4444333322221111', { ...person, honseki: '神奈川県川崎市川崎区宮本町1番', issuedOn: '2026-04-02' });
    const code = await gql(graph.gatewayUrl, portal, op('SubmitHonsekiIdentifierCode'), {
      input: { pseudonym: 'journey-pseudonym-1', identifierCode: '4444333322221111' },
    });
    expect(code.data.submitHonsekiIdentifierCode.request.status).toBe('RECEIVED');
    const fr = createFamilyRegisterClient({ baseUrl: () => registry.url });
    await processHonsekiRequests({ graph: client, headers, registry: fr, clock: graph.clock });
    const rehomed = await card(id);
    expect(rehomed.honseki).toBe('神奈川県川崎市川崎区宮本町1番');
    expect(rehomed.honsekiChangeRequests[0].status).toBe('APPLIED');

    // Finally the holder revokes the consent on Myna Portal (R-ONE-4): address one-stop stops, 本籍 online stays.
    const revoke = await gql(graph.gatewayUrl, portal, op('RevokeAddressOneStopConsent'), { input: { pseudonym: 'journey-pseudonym-1' } });
    expect(revoke.data.revokeAddressOneStopConsent.consent.status).toBe('REVOKED');
    const last = await card(id);
    expect(last.eligibility.addressOneStop.reasons.map((r: { code: string }) => r.code)).toEqual(['CONSENT_REVOKED']);
    expect(last.eligibility.honsekiOnlineChange.eligible).toBe(true);
  });
});
