import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRows } from '../lib/platform/db/database.js';
import { demoId } from '../seeds/demo-holders.js';
import { comparable, gql, gqlBoth, startTestGraph, type Caller, type GqlResponse, type TestGraph } from './support/graph.js';

/**
 * Issue 15.6 and 16.11: what a text or a date may be before the graph takes it, checked once for every operation of
 * every subgraph, through both gateway engines. The maxima of 氏名 and 本籍 are set lower than their defaults here, to
 * show they are read from the configuration.
 */
const MAX_NAME = 40;
const MAX_HONSEKI = 50;
let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ env: { MAX_NAME_LENGTH: String(MAX_NAME), MAX_HONSEKI_LENGTH: String(MAX_HONSEKI) } });
});
afterAll(async () => {
  await graph?.close();
});

const supervisor: Caller = { role: 'SUPERVISOR', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
const clerk: Caller = { role: 'COUNTER_STAFF', prefecture: '13', purpose: 'COUNTER_PROCEDURE' };
const service: Caller = { role: 'SERVICE', purpose: 'SYSTEM' };
const feed: Caller = { role: 'JLIS_FEED', purpose: 'SYSTEM' };
const portal: Caller = { role: 'MYNA_PORTAL', purpose: 'COUNTER_PROCEDURE' };
const admin: Caller = { role: 'NPA_ADMIN', purpose: 'SYSTEM' };

const REGISTER = `mutation($input: RegisterHolderInput!) { registerHolder(input: $input) { holder { id name address honseki } userErrors { code message field } } }`;
const CHANGE = `mutation($input: RegisterRecordChangeInput!) { registerRecordChange(input: $input) { holder { name honseki } userErrors { code message field } } }`;
const SCHEDULE = `mutation($input: [ScheduleRecordImportInput!]!) { scheduleRecordImports(input: $input) {
  results { outcome recordImport { newValue status failureReason failureMessage } } userErrors { code message field } } }`;

let licence = 409_000_000_000;
const holder = (over: Record<string, unknown> = {}) => ({
  licenseNumber: String(licence++),
  name: '試験 太郎',
  birthDate: '1990-01-01',
  address: '東京都千代田区1-1',
  honseki: '東京都千代田区1番',
  residencePrefecture: '13',
  cards: ['MYNA_LICENSE'],
  ...over,
});

async function rowCounts(): Promise<string> {
  const rows = await executeRows<{ n: string }>(
    graph.dbs.driver,
    sql`select (select count(*) from driver.holders)::text || '/' || (select count(*) from driver.record_imports)::text || '/' ||
        (select count(*) from consent.jlis_notifications)::text || '/' || (select count(*) from portal_link.portal_links)::text as n`,
  );
  return rows[0]!.n;
}

/** Both engines gave the same answer, under 500, echoing none of the given texts. */
function sameAndQuiet(both: { served: GqlResponse; oracle: GqlResponse }, ...values: string[]): GqlResponse {
  expect(comparable(both.served)).toEqual(comparable(both.oracle));
  for (const r of [both.served, both.oracle]) {
    expect(r.status).toBeLessThan(500);
    for (const v of values) expect(JSON.stringify(r)).not.toContain(JSON.stringify(v).slice(1, -1));
  }
  return both.served;
}

const BAD = {
  NUL: '\u0000',
  TAB: '\t',
  LF: '\n',
  'C0 US': '\u001f',
  DEL: '\u007f',
  'C1 NEL': '\u0085',
  'C1 APC': '\u009f',
  'RLO U+202E': '\u202e',
  'LRE U+202A': '\u202a',
  'LRI U+2066': '\u2066',
  'PDI U+2069': '\u2069',
  'lone high surrogate': '\ud800',
  'lone low surrogate': '\udc00',
};

describe('security: control characters, bidi overrides and lone surrogates are refused in every operation (15.6)', () => {
  it.each(['name', 'address', 'honseki'])(
    'security: registerHolder refuses each of them in %s as INVALID_INPUT naming the field, nothing written',
    async (field) => {
      const before = await rowCounts();
      for (const [what, c] of Object.entries(BAD)) {
        const value = `山田${c}太郎様方`;
        const r = sameAndQuiet(await gqlBoth(graph, supervisor, REGISTER, { input: holder({ [field]: value }) }), value);
        expect(r.errors, what).toBeUndefined();
        expect(r.data.registerHolder.holder, what).toBeNull();
        expect(r.data.registerHolder.userErrors, what).toEqual([
          {
            code: 'INVALID_INPUT',
            field: ['input', field],
            message: `input.${field}: 使用できない文字（制御文字、双方向制御文字又は対になっていないサロゲート）が含まれています`,
          },
        ]);
      }
      expect(await rowCounts()).toBe(before);
    },
  );

  it('security: every subgraph refuses them in mutations with the payload of each (userError with the field path)', async () => {
    const before = await rowCounts();
    const link = sameAndQuiet(
      await gqlBoth(graph, portal, `mutation($i: LinkMynaPortalInput!) { linkMynaPortal(input: $i) { portalLink { linkedAt } userErrors { code field } } }`, {
        i: { certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', pseudonym: 'demo-pseudo\u202enym-0001' },
      }),
    );
    expect(link.data.linkMynaPortal).toEqual({ portalLink: null, userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'pseudonym'] }] });

    const pem = sameAndQuiet(
      await gqlBoth(
        graph,
        clerk,
        `mutation($i: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $i) { signatureCertificate { status } userErrors { code field } } }`,
        {
          i: {
            holderId: demoId(6),
            certificatePem: '-----BEGIN CERTIFICATE-----\nAA\u0000AA\n-----END CERTIFICATE-----\n',
            checks: { faceMatched: true, cardValid: true, addressMatched: true },
          },
        },
      ),
    );
    expect(pem.data.submitSignatureCertificate.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'certificatePem'] }]);

    const jlis = sameAndQuiet(
      await gqlBoth(
        graph,
        feed,
        `mutation($i: [JlisNotificationInput!]!) { ingestJlisNotifications(input: $i) { results { outcome } userErrors { code field } } }`,
        {
          i: [
            { notificationId: 'J-TEXT-1', kind: 'CERTIFICATE_REVOKED', previousSerial: 'DE000001', filedOn: '2026-03-30' },
            {
              notificationId: 'J-TEXT-2',
              kind: 'CERTIFICATE_RENEWED',
              previousSerial: 'DE000001',
              serial: 'DE00FF01',
              notBefore: '2026-03-30T00:00:00+09:00',
              notAfter: '2031-03-30T00:00:00+09:00',
              address: '東京都\u0000港区',
              filedOn: '2026-03-30',
            },
          ],
        },
      ),
    );
    expect(jlis.data.ingestJlisNotifications).toEqual({ results: [], userErrors: [{ code: 'INVALID_INPUT', field: ['input', '1', 'address'] }] });

    const revocations = sameAndQuiet(
      await gqlBoth(
        graph,
        service,
        `mutation($s: [String!]!) { recordCertificateRevocations(serialNumbers: $s, revokedAt: "2026-04-01T09:00:00+09:00") { revoked userErrors { code field } } }`,
        {
          s: ['AB01', 'AB\ud80002'],
        },
      ),
    );
    expect(revocations.data.recordCertificateRevocations).toEqual({ revoked: 0, userErrors: [{ code: 'INVALID_INPUT', field: ['serialNumbers', '1'] }] });

    const consent = sameAndQuiet(
      await gqlBoth(
        graph,
        clerk,
        `mutation($i: GrantAddressOneStopConsentInput!) { grantAddressOneStopConsent(input: $i) { consent { id } userErrors { code field } } }`,
        {
          i: {
            holderId: demoId(6),
            items: ['ADDRESS'],
            termsVersion: 'v1',
            signedConsent: { document: '{"subject":"x\u2066"}', signature: 'AAAA', certificatePem: 'x' },
          },
        },
      ),
    );
    expect(consent.data.grantAddressOneStopConsent.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'signedConsent', 'document'] }]);
    expect(await rowCounts()).toBe(before);
  });

  it('security: a query refuses them as a top-level INVALID_INPUT naming the argument', async () => {
    const r = sameAndQuiet(
      await gqlBoth(graph, clerk, `query($f: RecordImportFilter!) { recordImports(filter: $f, first: 5) { edges { cursor } } }`, {
        f: { prefecture: '1\u0085' },
      }),
    );
    expect(r.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'INVALID_INPUT', argument: 'filter.prefecture' }) })]);
    expect(r.errors![0]!.message).toBe(
      'argument "filter.prefecture" must not hold control characters, bidirectional formatting characters or unpaired surrogates',
    );
    const byName = sameAndQuiet(
      await gqlBoth(graph, admin, `query($p: String!) { holderByPseudonym(pseudonym: $p) { id } }`, { p: 'demo-pseudonym\u00000001' }),
    );
    expect(byName.errors?.map((e) => e.extensions?.argument)).toEqual(['pseudonym']);
    expect(byName.errors![0]!.message).toMatch(/control characters/);
  });

  it('security: written into the document itself, they are refused too: by the subgraph when the string parses, by either gateway when it does not', async () => {
    for (const [literal, code] of [
      ['"abcd\u202eefgh"', 'INVALID_INPUT'],
      ['"abcd\u0000efgh"', 'INVALID_INPUT'],
      ['"abcd\\u0000efgh"', 'INVALID_INPUT'],
      ['"""abcd\u0085efgh"""', 'INVALID_INPUT'],
      ['"abcd\\ud800efgh"', 'GRAPHQL_PARSE_FAILED'],
      ['"abcd\ud800efgh"', 'GRAPHQL_PARSE_FAILED'],
    ]) {
      const both = await gqlBoth(graph, admin, `{ holderByPseudonym(pseudonym: ${literal}) { id } }`);
      for (const r of [both.served, both.oracle]) {
        expect(r.status, literal).toBeLessThan(500);
        expect(
          r.errors?.map((e) => e.extensions?.code),
          literal,
        ).toEqual([code]);
      }
    }
    const date = await gqlBoth(graph, admin, '{ consentsExpiring(before: "0000-01-01") { edges { cursor } } }');
    for (const r of [date.served, date.oracle]) {
      expect(r.status).toBeLessThan(500);
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it('security: the characters a PEM is made of (line feeds, carriage returns) pass where a certificate is taken', async () => {
    const r = await gql(
      graph.gatewayUrl,
      clerk,
      `mutation($i: SubmitSignatureCertificateInput!) { submitSignatureCertificate(input: $i) { userErrors { code field } } }`,
      {
        i: {
          holderId: demoId(6),
          certificatePem: '-----BEGIN CERTIFICATE-----\r\nAAAA\r\n\tAAAA\r\n-----END CERTIFICATE-----\r\n',
          checks: { faceMatched: true, cardValid: true, addressMatched: true },
        },
      },
    );
    expect(r.data.submitSignatureCertificate.userErrors).toEqual([{ code: 'CERTIFICATE_INVALID', field: ['input', 'certificatePem'] }]);
  });
});

describe('security: dates outside 1900-01-01…2199-12-31 are refused, never a 500 (15.6)', () => {
  it.each(['0000-01-01', '1899-12-31', '2200-01-01', '9999-12-31'])('security: a Date argument %s is INVALID_INPUT naming the field', async (date) => {
    const before = await rowCounts();
    const r = sameAndQuiet(await gqlBoth(graph, supervisor, REGISTER, { input: holder({ birthDate: date }) }), date);
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_INPUT']);
    expect(r.errors![0]!.message).toBe(
      'Variable "$input" got an invalid value at "input.birthDate"; a Date must be a calendar date "YYYY-MM-DD" from 1900-01-01 to 2199-12-31',
    );
    const expiring = sameAndQuiet(await gqlBoth(graph, admin, `query($d: Date!) { consentsExpiring(before: $d) { edges { cursor } } }`, { d: date }), date);
    expect(expiring.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_INPUT']);
    expect(await rowCounts()).toBe(before);
  });

  it.each(['0000-01-01T00:00:00Z', '1899-12-31T23:59:59+09:00', '2200-01-01T00:00:00+09:00'])(
    'security: a DateTime argument %s is INVALID_INPUT',
    async (at) => {
      const r = sameAndQuiet(
        await gqlBoth(
          graph,
          service,
          `mutation($at: DateTime!) { recordCertificateRevocations(serialNumbers: ["AB01"], revokedAt: $at) { revoked userErrors { code } } }`,
          { at },
        ),
        at,
      );
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_INPUT']);
      expect(r.errors![0]!.message).toMatch(/^Variable "\$at" got an invalid value; a DateTime must be ISO 8601 with an offset, from 1900-01-01 to 2199-12-31/);
    },
  );

  it.each([
    ['birthDate', '0000-01-01'],
    ['filedOn', '2200-01-01'],
    ['notBefore', '0000-01-01T00:00:00Z'],
  ])('security: a J-LIS notification with %s %s is refused whole, nothing recorded', async (field, value) => {
    const before = await rowCounts();
    const n = {
      notificationId: `J-DATE-${field}`,
      kind: 'CERTIFICATE_RENEWED',
      previousSerial: 'DE000001',
      serial: 'DE00FF02',
      notBefore: '2026-03-30T00:00:00+09:00',
      notAfter: '2031-03-30T00:00:00+09:00',
      birthDate: '1980-01-02',
      filedOn: '2026-03-30',
      [field]: value,
    };
    const r = sameAndQuiet(
      await gqlBoth(graph, feed, `mutation($i: [JlisNotificationInput!]!) { ingestJlisNotifications(input: $i) { results { outcome } userErrors { code } } }`, {
        i: [n],
      }),
      value,
    );
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_INPUT']);
    expect(r.errors![0]!.message).toContain(`at "i[0].${field}"`);
    expect(await rowCounts()).toBe(before);
  });

  it('security: a birth date after today is refused by registerHolder and registerRecordChange (userErrors in Japanese)', async () => {
    const r = await gql(graph.gatewayUrl, supervisor, REGISTER, { input: holder({ birthDate: '2026-04-02' }) });
    expect(r.data.registerHolder.userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['input', 'birthDate'], message: 'birthDate: 生年月日が1900-01-01から本日までの正しい日付ではありません。' },
    ]);
    const c = await gql(graph.gatewayUrl, clerk, CHANGE, { input: { holderId: demoId(1), item: 'BIRTH_DATE', value: '2199-12-31' } });
    expect(c.data.registerRecordChange.userErrors.map((e: { field: string[] }) => e.field)).toEqual([['input', 'value']]);
    // An import of one (J-LIS, a certificate) fails with its reason instead of reaching the database.
    const s = (
      await gql(graph.gatewayUrl, service, SCHEDULE, {
        input: [
          { holderId: demoId(1), item: 'BIRTH_DATE', newValue: '0000-01-01', source: 'ADDRESS_ONE_STOP', sourceRef: 'J-BD-0000', effectiveOn: '2026-04-01' },
        ],
      })
    ).data.scheduleRecordImports;
    expect(s.results[0]).toMatchObject({ outcome: 'FAILED', recordImport: { status: 'FAILED', failureReason: 'INVALID_BIRTH_DATE' } });
  });
});

describe('R-IMP-1: 氏名 and 本籍 have maxima the record can hold; every text is NFC (16.11)', () => {
  const kana = (n: number) => 'あ'.repeat(n);

  it('R-IMP-1: registerHolder takes 氏名 and 本籍 at their maximum and refuses one more, naming the lengths in Japanese', async () => {
    const ok = await gql(graph.gatewayUrl, supervisor, REGISTER, { input: holder({ name: kana(MAX_NAME), honseki: kana(MAX_HONSEKI) }) });
    expect(ok.data.registerHolder.userErrors).toEqual([]);
    expect(ok.data.registerHolder.holder).toMatchObject({ name: kana(MAX_NAME), honseki: kana(MAX_HONSEKI) });
    const before = await rowCounts();
    const over = await gql(graph.gatewayUrl, supervisor, REGISTER, { input: holder({ name: kana(MAX_NAME + 1), honseki: kana(MAX_HONSEKI + 1) }) });
    expect(over.data.registerHolder.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        field: ['input', 'name'],
        message: `name: 氏名が運転者管理システムに記録できる長さ（最大${MAX_NAME}文字）を超えています（${MAX_NAME + 1}文字）。`,
      },
      {
        code: 'INVALID_INPUT',
        field: ['input', 'honseki'],
        message: `honseki: 本籍が運転者管理システムに記録できる長さ（最大${MAX_HONSEKI}文字）を超えています（${MAX_HONSEKI + 1}文字）。`,
      },
    ]);
    expect(await rowCounts()).toBe(before);
    // A character neither in JIS X 0208 nor registrable as an external character is refused too; 髙 is registrable.
    const unheld = await gql(graph.gatewayUrl, supervisor, REGISTER, { input: holder({ name: '①橋 一郎' }) });
    expect(unheld.data.registerHolder.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        field: ['input', 'name'],
        message: 'name: 氏名の1文字目「①」（U+2460）はJIS X 0208になく、外字として登録できる文字でもないため、運転者管理システムに記録できません。',
      },
    ]);
    const original = await gql(graph.gatewayUrl, supervisor, REGISTER, { input: holder({ name: '髙橋 一郎' }) });
    expect(original.data.registerHolder.userErrors).toEqual([]);
    expect(original.data.registerHolder.holder.name).toBe('髙橋 一郎');
  });

  it('R-IMP-2: registerRecordChange takes 氏名 and 本籍 at their maximum and refuses one more', async () => {
    for (const [item, max, column] of [
      ['NAME', MAX_NAME, 'name'],
      ['HONSEKI', MAX_HONSEKI, 'honseki'],
    ] as const) {
      const ok = await gql(graph.gatewayUrl, clerk, CHANGE, { input: { holderId: demoId(6), item, value: kana(max) } });
      expect(ok.data.registerRecordChange.userErrors).toEqual([]);
      expect(ok.data.registerRecordChange.holder[column]).toBe(kana(max));
      const over = await gql(graph.gatewayUrl, clerk, CHANGE, { input: { holderId: demoId(6), item, value: `${kana(max)}い` } });
      expect(over.data.registerRecordChange.userErrors).toEqual([
        {
          code: 'INVALID_INPUT',
          field: ['input', 'value'],
          message: `value: ${item === 'NAME' ? '氏名' : '本籍'}が運転者管理システムに記録できる長さ（最大${max}文字）を超えています（${max + 1}文字）。`,
        },
      ]);
    }
  });

  it('R-IMP-1: an import over the maximum fails with NAME_TOO_LONG / HONSEKI_TOO_LONG and a Japanese message naming the length, never the value', async () => {
    const value = (n: number) => `渡辺${kana(n - 2)}`;
    const s = (
      await gql(graph.gatewayUrl, service, SCHEDULE, {
        input: [
          { holderId: demoId(1), item: 'NAME', newValue: value(MAX_NAME + 1), source: 'ADDRESS_ONE_STOP', sourceRef: 'J-LEN-1', effectiveOn: '2026-04-01' },
          {
            holderId: demoId(1),
            item: 'HONSEKI',
            newValue: value(MAX_HONSEKI + 1),
            source: 'HONSEKI_ONLINE',
            sourceRef: 'honseki:len-1',
            effectiveOn: '2026-04-01',
          },
          {
            holderId: demoId(1),
            item: 'HONSEKI',
            newValue: value(MAX_HONSEKI),
            source: 'HONSEKI_ONLINE',
            sourceRef: 'honseki:len-2',
            effectiveOn: '2026-04-01',
          },
        ],
      })
    ).data.scheduleRecordImports;
    expect(
      s.results.map((r: { outcome: string; recordImport: { failureReason: string | null; failureMessage: string | null } }) => [
        r.outcome,
        r.recordImport.failureReason,
        r.recordImport.failureMessage,
      ]),
    ).toEqual([
      ['FAILED', 'NAME_TOO_LONG', `氏名が運転者管理システムに記録できる長さ（最大${MAX_NAME}文字）を超えています（${MAX_NAME + 1}文字）。`],
      ['FAILED', 'HONSEKI_TOO_LONG', `本籍が運転者管理システムに記録できる長さ（最大${MAX_HONSEKI}文字）を超えています（${MAX_HONSEKI + 1}文字）。`],
      ['APPLIED', null, null],
    ]);
    // The counter finds the same text through 取込状況検索.
    const search = await gql(
      graph.gatewayUrl,
      clerk,
      `{ recordImports(filter: { status: FAILED }, first: 100) { edges { node { failureReason failureMessage } } } }`,
    );
    const messages = search.data.recordImports.edges.map((e: { node: { failureReason: string; failureMessage: string } }) => e.node);
    expect(messages).toContainEqual({ failureReason: 'NAME_TOO_LONG', failureMessage: expect.stringContaining(`（${MAX_NAME + 1}文字）`) });
    // Imports failed before messages were stored (the demo's) get one from their code.
    expect(messages).toContainEqual({
      failureReason: 'ADDRESS_TOO_LONG',
      failureMessage: expect.stringMatching(/^住所が運転者管理システムに記録できる長さ（最大60文字）を超えています（\d+文字）。$/),
    });
    for (const m of messages) expect(m.failureMessage).not.toContain('渡辺');
  });

  it('R-CHAR-1: a decomposed か+゛ is stored as composed が, and counts as one character against the maximum', async () => {
    const decomposed = 'か\u3099'.repeat(MAX_NAME);
    const composed = 'が'.repeat(MAX_NAME);
    expect(decomposed).not.toBe(composed);
    const r = await gql(graph.gatewayUrl, supervisor, REGISTER, { input: holder({ name: decomposed, address: '東京都か\u3099', honseki: 'は\u309aし' }) });
    expect(r.data.registerHolder.userErrors).toEqual([]);
    expect(r.data.registerHolder.holder).toMatchObject({ name: composed, address: '東京都が', honseki: 'ぱし' });
    const stored = await executeRows<{ name: string }>(graph.dbs.driver, sql`select name from driver.holders where id = ${r.data.registerHolder.holder.id}`);
    expect(stored[0]!.name).toBe(composed);

    const c = await gql(graph.gatewayUrl, clerk, CHANGE, { input: { holderId: demoId(6), item: 'HONSEKI', value: '東京都八王子市か\u3099' } });
    expect(c.data.registerRecordChange.holder.honseki).toBe('東京都八王子市が');
    // From J-LIS the same: the import holds the composed form, and one equal to the record once composed is no change.
    const s = (
      await gql(graph.gatewayUrl, service, SCHEDULE, {
        input: [
          {
            holderId: demoId(6),
            item: 'HONSEKI',
            newValue: '東京都八王子市か\u3099',
            source: 'HONSEKI_ONLINE',
            sourceRef: 'honseki:nfc-1',
            effectiveOn: '2026-04-01',
          },
        ],
      })
    ).data.scheduleRecordImports;
    expect(s.results[0].outcome).toBe('NO_CHANGE');
  });
});
