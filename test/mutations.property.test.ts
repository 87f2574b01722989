import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../seeds/demo-holders.js';
import { gql, startTestGraph, type Caller, type GqlResponse, type TestGraph } from './support/graph.js';

/**
 * Arbitrary Unicode, sizes and shapes into every mutation and a few queries — control characters, bidi overrides,
 * lone surrogates, year 0000 and dates past 2199 among them (15.6): never a 500, never a value of the request or of
 * the record echoed in an error, and the domain tables unchanged whenever the operation refused.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

const DOMAIN_TABLES = [
  ['driver', 'driver.holders'],
  ['driver', 'driver.record_imports'],
  ['driver', 'driver.record_changes'],
  ['consent', 'consent.consents'],
  ['consent', 'consent.jlis_notifications'],
  ['consent', 'consent.record_change_outbox'],
  ['consent', 'consent.used_signed_consents'],
  ['portal-link', 'portal_link.signature_certificates'],
  ['portal-link', 'portal_link.portal_links'],
  ['portal-link', 'portal_link.honseki_change_requests'],
] as const;

async function snapshot(): Promise<string> {
  const parts: string[] = [];
  for (const [sub, table] of DOMAIN_TABLES) {
    const r = await graph.dbs[sub].execute(
      sql.raw(`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as s from ${table} t`),
    );
    parts.push(String((r as unknown as { rows?: { s: string }[] }).rows?.[0]?.s ?? (r as unknown as { s: string }[])[0]?.s));
  }
  return parts.join(',');
}

/** What 15.6 is about: control characters, bidi overrides and isolates, lone surrogates, mixed into ordinary text. */
const NASTY = ['\u0000', '\t', '\n', '\u001b', '\u007f', '\u0085', '\u009f', '\u202a', '\u202e', '\u2066', '\u2069', '\ud800', '\udfff'];
const nasty = fc.array(fc.constantFrom(...NASTY, 'あ', 'か\u3099', '山', 'a', '1'), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  nasty,
  fc.constantFrom(
    '',
    ' ',
    '東京都千代田区',
    '髙',
    '0'.repeat(16),
    '1'.repeat(15),
    'a'.repeat(5000),
    '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
    demoId(1),
  ),
);
/** Dates no field takes (year 0000, before 1900, after 2199, not a day) beside ordinary ones. */
const BAD_DATES = ['0000-01-01', '1899-12-31', '2200-01-01', '9999-12-31'];
const date = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BAD_DATES, '0000-02-29', '1980-02-30', '2026-04-01', '1980-01-02', '2030-01-01') },
  { weight: 1, arbitrary: text },
);
const dateTime = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '0000-01-01T00:00:00Z',
      '0000-06-30T12:00:00+09:00',
      '1899-12-31T23:59:59+09:00',
      '2200-01-01T00:00:00+09:00',
      '9999-12-31T23:59:59Z',
      '2026-03-30T00:00:00+09:00',
    ),
  },
  { weight: 1, arbitrary: text },
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const id = fc.oneof(text, fc.constantFrom(demoId(1), demoId(12), '11111111-1111-4111-8111-999999999999'));
const cards = fc.array(fc.constantFrom('LICENSE_CARD', 'MYNA_LICENSE', 'HISTORY_CARD', 'MYNA_HISTORY'), { maxLength: 5 });
const items = fc.array(fc.constantFrom('ADDRESS', 'NAME', 'BIRTH_DATE'), { maxLength: 4 });
const anyShape = fc.oneof(fc.constant(null), fc.integer(), text, fc.array(text, { maxLength: 3 }), fc.dictionary(text, text, { maxKeys: 3 }));
const limit = fc.oneof(fc.integer(), fc.constantFrom(0, 1, 5000, 5001, 2 ** 31 - 1));

const staff: Caller = { role: 'SUPERVISOR', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const feed: Caller = { role: 'JLIS_FEED', purpose: 'SYSTEM' };
const service: Caller = { role: 'SERVICE', purpose: 'SYSTEM' };
const admin: Caller = { role: 'NPA_ADMIN', purpose: 'AUDIT' };

/**
 * An input that would pass but for one field holding a nasty text or a date out of range: the shape that used to
 * reach the database (a NUL in a name, year 0000 in a birth date) and answer 500.
 */
const oneBad = (base: fc.Arbitrary<Record<string, unknown>>, bad: Record<string, fc.Arbitrary<unknown>>) =>
  fc.tuple(base, fc.constantFrom(...Object.keys(bad))).chain(([b, k]) => bad[k]!.map((v) => ({ ...b, [k]: v })));
const licenceNumber = fc.integer({ min: 400_000_000_000, max: 499_999_999_999 }).map(String);
const validHolder = fc.record({
  licenseNumber: licenceNumber,
  name: fc.constant('試験 太郎'),
  birthDate: fc.constant('1990-01-01'),
  address: fc.constant('東京都千代田区1-1'),
  honseki: fc.constant('東京都千代田区1番'),
  residencePrefecture: fc.constant('13'),
  cards: fc.constant(['MYNA_LICENSE']),
});
const renewal = fc.record({
  notificationId: fc.uuid(),
  kind: fc.constant('CERTIFICATE_RENEWED'),
  previousSerial: fc.constantFrom('DE000001', 'DE000004'),
  serial: fc.constant('DE00AA01'),
  notBefore: fc.constant('2026-03-30T00:00:00+09:00'),
  notAfter: fc.constant('2031-03-30T00:00:00+09:00'),
  address: fc.constant('東京都港区1-1'),
  filedOn: fc.constant('2026-03-30'),
});
const due = fc.record({
  holderId: fc.constant(demoId(1)),
  item: fc.constantFrom('HONSEKI', 'ADDRESS', 'NAME', 'BIRTH_DATE'),
  newValue: fc.constant('東京都千代田区2番'),
  source: fc.constant('HONSEKI_ONLINE'),
  sourceRef: fc.uuid(),
  effectiveOn: fc.constant('2026-04-01'),
});

/** [name, caller, the operation's variables and arguments, what it answers, the variables] for every mutation. */
type Operation = [string, Caller, string, string, string, fc.Arbitrary<Record<string, unknown>>];
const input = (type: string, answer: string, arb: fc.Arbitrary<unknown>): [string, string, string, fc.Arbitrary<Record<string, unknown>>] => [
  `$input: ${type}`,
  'input: $input',
  answer,
  fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: anyShape }).map((v) => ({ input: v })),
];
const MUTATIONS: Operation[] = [
  [
    'registerHolder',
    staff,
    ...input(
      'RegisterHolderInput!',
      '__typename',
      fc.oneof(
        fc.record({ licenseNumber: maybe(text), name: text, birthDate: date, address: text, honseki: text, residencePrefecture: text, cards }),
        oneBad(validHolder, { name: nasty, address: nasty, honseki: nasty, birthDate: date }),
      ),
    ),
  ],
  ['changeCards', staff, ...input('ChangeCardsInput!', '__typename', fc.record({ holderId: id, cards }))],
  [
    'registerRecordChange',
    staff,
    ...input(
      'RegisterRecordChangeInput!',
      '__typename',
      fc.record({
        holderId: fc.oneof(id, fc.constant(demoId(1))),
        item: fc.constantFrom('HONSEKI', 'ADDRESS', 'NAME', 'BIRTH_DATE'),
        value: fc.oneof(text, date, nasty),
        resolvesImportId: maybe(id),
      }),
    ),
  ],
  [
    'submitSignatureCertificate',
    staff,
    ...input(
      'SubmitSignatureCertificateInput!',
      '__typename',
      fc.record({
        holderId: id,
        certificatePem: text,
        checks: fc.record({ faceMatched: fc.boolean(), cardValid: fc.boolean(), addressMatched: fc.boolean() }),
      }),
    ),
  ],
  ['linkMynaPortal', portal, ...input('LinkMynaPortalInput!', '__typename', fc.record({ certificatePem: text, pseudonym: text }))],
  [
    'submitHonsekiIdentifierCode',
    portal,
    ...input(
      'SubmitHonsekiIdentifierCodeInput!',
      '__typename',
      fc.record({ pseudonym: fc.oneof(text, fc.constant('demo-pseudonym-0002')), identifierCode: text }),
    ),
  ],
  [
    'grantAddressOneStopConsent',
    staff,
    ...input(
      'GrantAddressOneStopConsentInput!',
      '__typename',
      fc.record({
        holderId: maybe(id),
        pseudonym: maybe(text),
        items,
        termsVersion: text,
        signedConsent: fc.record({ document: text, signature: text, certificatePem: text }),
      }),
    ),
  ],
  [
    'revokeAddressOneStopConsent',
    portal,
    ...input('RevokeAddressOneStopConsentInput!', '__typename', fc.record({ holderId: maybe(id), pseudonym: maybe(text) })),
  ],
  [
    'ingestJlisNotifications',
    feed,
    ...input(
      '[JlisNotificationInput!]!',
      'results { __typename }',
      fc.oneof(
        fc.array(oneBad(renewal, { name: nasty, address: nasty, birthDate: date, filedOn: date, notBefore: dateTime, notAfter: dateTime }), {
          minLength: 1,
          maxLength: 2,
        }),
        fc.array(
          fc.record({
            notificationId: text,
            kind: fc.constantFrom('CERTIFICATE_RENEWED', 'CERTIFICATE_REVOKED'),
            previousSerial: text,
            serial: maybe(text),
            notBefore: maybe(dateTime),
            notAfter: maybe(dateTime),
            name: maybe(text),
            address: maybe(text),
            birthDate: maybe(date),
            filedOn: fc.oneof(date, fc.constantFrom('2026-03-30', '2026-02-30', 'x')),
          }),
          { maxLength: 3 },
        ),
      ),
    ),
  ],
  [
    'scheduleRecordImports',
    service,
    ...input(
      '[ScheduleRecordImportInput!]!',
      'results { __typename }',
      fc.oneof(
        fc.array(oneBad(due, { newValue: fc.oneof(nasty, date), effectiveOn: date, filedOn: date }), { minLength: 1, maxLength: 2 }),
        fc.array(
          fc.record({
            holderId: id,
            item: fc.constantFrom('HONSEKI', 'ADDRESS', 'NAME', 'BIRTH_DATE'),
            newValue: fc.oneof(text, date),
            source: fc.constantFrom('ADDRESS_ONE_STOP', 'HONSEKI_ONLINE'),
            sourceRef: text,
            filedOn: maybe(date),
            effectiveOn: fc.oneof(date, fc.constantFrom('2030-01-01', '2026-13-01')),
          }),
          { maxLength: 3 },
        ),
      ),
    ),
  ],
  [
    'settleHonsekiRequest',
    service,
    ...input('SettleHonsekiRequestInput!', '__typename', fc.record({ id, settlement: fc.constantFrom('APPLIED', 'FAILED', 'RETRY'), reason: maybe(text) })),
  ],
  [
    'recordCertificateRevocations',
    service,
    '$s: [String!]!, $at: DateTime!',
    'serialNumbers: $s, revokedAt: $at',
    'revoked',
    fc.record({ s: fc.oneof(fc.array(text, { maxLength: 3 }), fc.constant(['DE000003'])), at: dateTime }),
  ],
  ['applyDueRecordImports', service, '$n: Int', 'limit: $n', 'applied', fc.record({ n: limit })],
  ['deliverRecordChanges', service, '$n: Int', 'limit: $n', 'delivered', fc.record({ n: limit })],
  ['claimHonsekiRequests', service, '$n: Int', 'limit: $n', 'requests { id }', fc.record({ n: limit })],
];

/** A few queries, each with its text and date arguments. */
const QUERIES: [string, Caller, string, fc.Arbitrary<Record<string, unknown>>][] = [
  ['holder', staff, 'query($id: ID, $n: String) { holder(id: $id, licenseNumber: $n) { name } }', fc.record({ id: maybe(id), n: maybe(text) })],
  ['holderByPseudonym', admin, 'query($p: String!) { holderByPseudonym(pseudonym: $p) { name } }', fc.record({ p: text })],
  [
    'recordImports',
    staff,
    'query($f: RecordImportFilter!, $a: String) { recordImports(filter: $f, first: 3, after: $a) { edges { cursor } } }',
    fc.record({
      f: fc.record({ prefecture: maybe(text), effectiveFrom: fc.option(date, { nil: null, freq: 5 }), effectiveTo: fc.option(date, { nil: null, freq: 5 }) }),
      a: maybe(text),
    }),
  ],
  [
    'consentsExpiring',
    admin,
    'query($b: Date!, $a: String) { consentsExpiring(before: $b, first: 3, after: $a) { edges { cursor } } }',
    fc.record({ b: date, a: maybe(text) }),
  ],
  ['accessLog', admin, 'query($h: ID!) { accessLog(holderId: $h, first: 3) { edges { cursor } } }', fc.record({ h: id })],
];

/** Values worth looking for in a response: long enough not to occur by chance in a fixed message, as JSON writes them. */
const echoable = (v: unknown): string[] =>
  typeof v === 'string'
    ? (v.trim().length >= 6 && !/^[\x20-\x7e]*$/.test(v.slice(0, 6))) || BAD_DATES.some((d) => v.startsWith(d.slice(0, 4)) && v.length >= 10)
      ? [JSON.stringify(v).slice(1, -1)]
      : []
    : v && typeof v === 'object'
      ? Object.values(v).flatMap(echoable)
      : [];

/** No 500, no value of the request echoed, no personal value of the record, no stack. */
function quiet(r: GqlResponse, variables: Record<string, unknown>) {
  expect(r.status).toBeLessThan(500);
  const body = JSON.stringify(r);
  for (const v of echoable(variables)) expect(body.includes(v), `echoed ${v.slice(0, 40)}`).toBe(false);
  expect(body).not.toMatch(/山田|佐藤|鈴木|霞が関|at \w+ \(|\.ts:\d+/);
}

describe('every mutation under arbitrary input', () => {
  it.each(MUTATIONS)(
    '%s: never a 500, never an echoed value, nothing changed when refused, every refusal in Japanese (R-CHAR-2)',
    async (name, caller, variables, args, answer, arb) => {
      await fc.assert(
        fc.asyncProperty(arb, async (vars) => {
          const before = await snapshot();
          const r = await gql(graph.gatewayUrl, caller, `mutation(${variables}) { ${name}(${args}) { ${answer} userErrors { code message field } } }`, vars);
          quiet(r, vars);
          const payload = r.data?.[name] as { userErrors?: { code: string; message: string }[] } | undefined;
          for (const e of payload?.userErrors ?? []) expect(e.message, e.code).toMatch(/[\u3041-\u30ff\u4e00-\u9fff]/);
          const refused = !payload || (payload.userErrors?.length ?? 0) > 0;
          if (refused) expect(await snapshot()).toBe(before);
        }),
        { numRuns: 25, seed: 20261128 },
      );
    },
    180_000,
  );
});

describe('security: queries under control characters, bidi overrides, lone surrogates and dates out of range (15.6)', () => {
  it.each(QUERIES)(
    '%s: never a 500, never an echoed value, nothing changed',
    async (_name, caller, query, arb) => {
      await fc.assert(
        fc.asyncProperty(arb, async (vars) => {
          const before = await snapshot();
          quiet(await gql(graph.gatewayUrl, caller, query, vars), vars);
          expect(await snapshot()).toBe(before);
        }),
        { numRuns: 20, seed: 20261130 },
      );
    },
    180_000,
  );
});
