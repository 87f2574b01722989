import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type Caller, type TestGraph } from './support/graph.js';

/**
 * Arbitrary Unicode, sizes and shapes into every mutation: never a 500, never a value of the request or of the
 * record echoed in an error, and the domain tables unchanged whenever the mutation refused.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const DOMAIN_TABLES = [
  ['driver', 'driver.holders'], ['driver', 'driver.record_imports'], ['driver', 'driver.record_changes'],
  ['consent', 'consent.consents'], ['consent', 'consent.jlis_notifications'], ['consent', 'consent.record_change_outbox'],
  ['portal-link', 'portal_link.signature_certificates'], ['portal-link', 'portal_link.portal_links'], ['portal-link', 'portal_link.honseki_change_requests'],
] as const;

async function snapshot(): Promise<string> {
  const parts: string[] = [];
  for (const [sub, table] of DOMAIN_TABLES) {
    const r = await graph.dbs[sub].execute(sql.raw(`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as s from ${table} t`));
    parts.push(String((r as unknown as { rows?: { s: string }[] }).rows?.[0]?.s ?? (r as unknown as { s: string }[])[0]?.s));
  }
  return parts.join(',');
}

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '東京都千代田区', '髙', '0'.repeat(16), '1'.repeat(15), 'a'.repeat(5000), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', demoId(1)),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const id = fc.oneof(text, fc.constantFrom(demoId(1), demoId(12), '11111111-1111-4111-8111-999999999999'));
const cards = fc.array(fc.constantFrom('LICENSE_CARD', 'MYNA_LICENSE', 'HISTORY_CARD', 'MYNA_HISTORY'), { maxLength: 5 });
const items = fc.array(fc.constantFrom('ADDRESS', 'NAME', 'BIRTH_DATE'), { maxLength: 4 });
const anyShape = fc.oneof(fc.constant(null), fc.integer(), text, fc.array(text, { maxLength: 3 }), fc.dictionary(text, text, { maxKeys: 3 }));

const staff: Caller = { role: 'SUPERVISOR', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const feed: Caller = { role: 'JLIS_FEED', purpose: 'SYSTEM' };
const service: Caller = { role: 'SERVICE', purpose: 'SYSTEM' };

const MUTATIONS: [string, Caller, string, fc.Arbitrary<unknown>][] = [
  ['registerHolder', staff, 'RegisterHolderInput!', fc.record({ licenseNumber: maybe(text), name: text, birthDate: text, address: text, honseki: text, residencePrefecture: text, cards })],
  ['changeCards', staff, 'ChangeCardsInput!', fc.record({ holderId: id, cards })],
  ['registerRecordChange', staff, 'RegisterRecordChangeInput!', fc.record({ holderId: id, item: fc.constantFrom('HONSEKI', 'ADDRESS', 'NAME', 'BIRTH_DATE'), value: text, resolvesImportId: maybe(id) })],
  ['submitSignatureCertificate', staff, 'SubmitSignatureCertificateInput!', fc.record({ holderId: id, certificatePem: text, checks: fc.record({ faceMatched: fc.boolean(), cardValid: fc.boolean(), addressMatched: fc.boolean() }) })],
  ['linkMynaPortal', portal, 'LinkMynaPortalInput!', fc.record({ certificatePem: text, pseudonym: text })],
  ['submitHonsekiIdentifierCode', portal, 'SubmitHonsekiIdentifierCodeInput!', fc.record({ pseudonym: fc.oneof(text, fc.constant('demo-pseudonym-0002')), identifierCode: text })],
  ['grantAddressOneStopConsent', staff, 'GrantAddressOneStopConsentInput!', fc.record({ holderId: maybe(id), pseudonym: maybe(text), items, termsVersion: text, signedConsent: fc.record({ document: text, signature: text, certificatePem: text }) })],
  ['revokeAddressOneStopConsent', portal, 'RevokeAddressOneStopConsentInput!', fc.record({ holderId: maybe(id), pseudonym: maybe(text) })],
  ['ingestJlisNotifications', feed, '[JlisNotificationInput!]!', fc.array(fc.record({ notificationId: text, kind: fc.constantFrom('CERTIFICATE_RENEWED', 'CERTIFICATE_REVOKED'), previousSerial: text, serial: maybe(text), name: maybe(text), address: maybe(text), filedOn: fc.constantFrom('2026-03-30', '2026-02-30', 'x') }), { maxLength: 3 })],
  ['scheduleRecordImports', service, '[ScheduleRecordImportInput!]!', fc.array(fc.record({ holderId: id, item: fc.constantFrom('HONSEKI', 'ADDRESS'), newValue: text, source: fc.constantFrom('ADDRESS_ONE_STOP', 'HONSEKI_ONLINE'), sourceRef: text, effectiveOn: fc.constantFrom('2030-01-01', '2026-13-01') }), { maxLength: 3 })],
];

/** Values worth looking for in a response: long enough not to occur by chance in a fixed message. */
const echoable = (v: unknown): string[] =>
  typeof v === 'string' ? (v.trim().length >= 6 && !/^[\x20-\x7e]*$/.test(v.slice(0, 6)) ? [v] : []) : v && typeof v === 'object' ? Object.values(v).flatMap(echoable) : [];

describe('every mutation under arbitrary input', () => {
  it.each(MUTATIONS)('%s: never a 500, never an echoed value, nothing changed when refused', async (name, caller, type, arb) => {
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: anyShape }), async (input) => {
        const before = await snapshot();
        const field = name === 'ingestJlisNotifications' || name === 'scheduleRecordImports' ? 'results { __typename }' : '__typename';
        const r = await gql(graph.gatewayUrl, caller, `mutation($input: ${type}) { ${name}(input: $input) { ${field} userErrors { code message field } } }`, { input });
        expect(r.status).toBeLessThan(500);
        const payload = r.data?.[name] as { userErrors?: { code: string }[] } | undefined;
        const refused = !payload || (payload.userErrors?.length ?? 0) > 0;
        const body = JSON.stringify(r);
        for (const v of echoable(input)) expect(body.includes(v), `echoed ${JSON.stringify(v).slice(0, 40)}`).toBe(false);
        expect(body).not.toMatch(/山田|佐藤|鈴木|霞が関|at \w+ \(|\.ts:\d+/);
        if (refused) expect(await snapshot()).toBe(before);
      }),
      { numRuns: 25, seed: 20261128 },
    );
  }, 180_000);
});
