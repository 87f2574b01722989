/**
 * Demo holders covering every holding form and every state the HolderCard shows. The ids, serials and pseudonyms
 * are fixed so the seed is idempotent and README examples stay valid. All people here are fictional.
 */
export const demoId = (n: number) => `11111111-1111-4111-8111-${String(n).padStart(12, '0')}`;

type Cards = ('LICENSE_CARD' | 'MYNA_LICENSE' | 'HISTORY_CARD' | 'MYNA_HISTORY')[];

export interface DemoHolder {
  n: number;
  label: string;
  licenseNumber: string | null;
  name: string;
  birthDate: string;
  address: string;
  honseki: string;
  prefecture: string;
  cards: Cards;
  certificate?: { serial: string; notBefore: string; notAfter: string; revokedAt?: string; submittedAt: string };
  link?: { pseudonym: string; linkedAt: string };
  consent?: {
    items: ('ADDRESS' | 'NAME' | 'BIRTH_DATE')[];
    channel: 'CENTER' | 'MYNA_PORTAL';
    consentedAt: string;
    revokedAt?: string;
    revokedVia?: 'CENTER' | 'MYNA_PORTAL';
    certificateNotAfter?: string;
    certificateRevokedAt?: string;
  };
  imports?: {
    item: 'ADDRESS' | 'NAME' | 'BIRTH_DATE' | 'HONSEKI';
    newValue: string;
    filedOn: string;
    effectiveOn: string;
    status: 'PENDING' | 'APPLIED' | 'FAILED';
    failureReason?: string;
  }[];
  honsekiRequests?: { status: 'APPLIED' | 'FAILED' | 'RECEIVED'; submittedAt: string; completedAt?: string; failureReason?: string }[];
}

const cert = (n: number, over: Partial<NonNullable<DemoHolder['certificate']>> = {}) => ({
  serial: `DE00${String(n).padStart(4, '0')}`,
  notBefore: '2024-06-01T00:00:00+09:00',
  notAfter: '2029-06-01T23:59:59+09:00',
  submittedAt: '2025-04-01T10:00:00+09:00',
  ...over,
});
const link = (n: number) => ({ pseudonym: `demo-pseudonym-${String(n).padStart(4, '0')}`, linkedAt: '2025-04-02T20:15:00+09:00' });

export const DEMO_HOLDERS: DemoHolder[] = [
  {
    n: 1,
    label: 'マイナ免許証のみ, M1+M2, consent ADDRESS+NAME: both services apply',
    licenseNumber: '301234567890',
    name: '山田 太郎',
    birthDate: '1980-01-02',
    address: '東京都千代田区霞が関2-1-2',
    honseki: '東京都千代田区千代田1番',
    prefecture: '13',
    cards: ['MYNA_LICENSE'],
    certificate: cert(1),
    link: link(1),
    consent: { items: ['ADDRESS', 'NAME'], channel: 'CENTER', consentedAt: '2025-04-01T10:05:00+09:00' },
    imports: [{ item: 'ADDRESS', newValue: '東京都千代田区霞が関2-1-2', filedOn: '2025-09-01', effectiveOn: '2025-09-03', status: 'APPLIED' }],
    honsekiRequests: [{ status: 'APPLIED', submittedAt: '2025-10-01T21:00:00+09:00', completedAt: '2025-10-01T21:12:00+09:00' }],
  },
  {
    n: 2,
    label: 'licence card and マイナ免許証 (BOTH): services suspended, M1/M2/consent kept (R-CARD-2)',
    licenseNumber: '301234567891',
    name: '佐藤 花子',
    birthDate: '1975-05-20',
    address: '東京都新宿区西新宿2-8-1',
    honseki: '東京都新宿区西新宿二丁目8番',
    prefecture: '13',
    cards: ['LICENSE_CARD', 'MYNA_LICENSE'],
    certificate: cert(2),
    link: link(2),
    consent: { items: ['ADDRESS', 'NAME', 'BIRTH_DATE'], channel: 'CENTER', consentedAt: '2025-04-01T11:00:00+09:00' },
  },
  {
    n: 3,
    label: 'licence card only',
    licenseNumber: '301234567892',
    name: '鈴木 一郎',
    birthDate: '1990-12-31',
    address: '東京都港区芝公園4-2-8',
    honseki: '東京都港区芝公園四丁目2番',
    prefecture: '13',
    cards: ['LICENSE_CARD'],
  },
  {
    n: 4,
    label: 'マイナ経歴証明書のみ, M1, consent all items: address one-stop applies, 本籍 online change does not',
    licenseNumber: null,
    name: '高橋 和子',
    birthDate: '1948-03-03',
    address: '東京都世田谷区世田谷4-21-27',
    honseki: '東京都世田谷区世田谷四丁目21番',
    prefecture: '13',
    cards: ['MYNA_HISTORY'],
    certificate: cert(4),
    consent: { items: ['ADDRESS', 'NAME', 'BIRTH_DATE'], channel: 'CENTER', consentedAt: '2025-05-10T14:00:00+09:00' },
  },
  {
    n: 5,
    label: 'driving-history card only (OTHER)',
    licenseNumber: null,
    name: '田中 実',
    birthDate: '1945-07-07',
    address: '東京都練馬区豊玉北6-12-1',
    honseki: '東京都練馬区豊玉北六丁目12番',
    prefecture: '13',
    cards: ['HISTORY_CARD'],
  },
  {
    n: 6,
    label: 'マイナ免許証のみ, nothing done (R-ELIG-4: a valid state)',
    licenseNumber: '301234567895',
    name: '伊藤 健',
    birthDate: '2001-08-15',
    address: '東京都八王子市元本郷町3-24-1',
    honseki: '東京都八王子市元本郷町三丁目24番',
    prefecture: '13',
    cards: ['MYNA_LICENSE'],
  },
  {
    n: 7,
    label: 'マイナ免許証のみ, M1 only: not linked',
    licenseNumber: '301234567896',
    name: '渡辺 美咲',
    birthDate: '1995-02-14',
    address: '東京都町田市森野2-2-22',
    honseki: '東京都町田市森野二丁目2番',
    prefecture: '13',
    cards: ['MYNA_LICENSE'],
    certificate: cert(7),
  },
  {
    n: 8,
    label: 'マイナ免許証のみ, consent revoked at a centre',
    licenseNumber: '301234567897',
    name: '山本 翔',
    birthDate: '1988-11-11',
    address: '東京都立川市泉町1156-9',
    honseki: '東京都立川市泉町1156番',
    prefecture: '13',
    cards: ['MYNA_LICENSE'],
    certificate: cert(8),
    link: link(8),
    consent: { items: ['ADDRESS'], channel: 'CENTER', consentedAt: '2025-04-03T09:30:00+09:00', revokedAt: '2025-12-01T10:00:00+09:00', revokedVia: 'CENTER' },
  },
  {
    n: 9,
    label: 'マイナ免許証のみ, consent past its ten years (demo data: given long before the service)',
    licenseNumber: '301234567898',
    name: '中村 恵',
    birthDate: '1970-04-01',
    address: '東京都府中市宮西町2-24',
    honseki: '東京都府中市宮西町二丁目24番',
    prefecture: '13',
    cards: ['MYNA_LICENSE'],
    certificate: cert(9),
    link: link(9),
    consent: { items: ['ADDRESS', 'BIRTH_DATE'], channel: 'MYNA_PORTAL', consentedAt: '2015-01-05T12:00:00+09:00' },
  },
  {
    n: 10,
    label: 'マイナ免許証のみ, certificate revoked and no successor yet',
    licenseNumber: '301234567899',
    name: '小林 大輔',
    birthDate: '1983-09-09',
    address: '東京都調布市小島町2-35-1',
    honseki: '東京都調布市小島町二丁目35番',
    prefecture: '13',
    cards: ['MYNA_LICENSE'],
    certificate: cert(10, { revokedAt: '2026-02-01T09:00:00+09:00' }),
    link: link(10),
    consent: { items: ['ADDRESS', 'NAME'], channel: 'CENTER', consentedAt: '2025-06-01T10:00:00+09:00', certificateRevokedAt: '2026-02-01T09:00:00+09:00' },
    imports: [
      {
        item: 'ADDRESS',
        newValue: '東京都調布市小島町二丁目三十五番一号調布市役所前ハイツ北棟一二〇三号室（管理組合気付）特別区域外追加表記',
        filedOn: '2026-01-20',
        effectiveOn: '2026-01-22',
        status: 'FAILED',
        failureReason: 'ADDRESS_TOO_LONG',
      },
    ],
  },
  {
    n: 11,
    label: 'マイナ免許証のみ, certificate expired by its validity period (R-ONE-6 ②)',
    licenseNumber: '301234567900',
    name: '加藤 由美',
    birthDate: '1979-06-30',
    address: '東京都三鷹市野崎1-1-1',
    honseki: '東京都三鷹市野崎一丁目1番',
    prefecture: '13',
    cards: ['MYNA_LICENSE'],
    certificate: cert(11, { notBefore: '2020-06-01T00:00:00+09:00', notAfter: '2025-06-30T23:59:59+09:00' }),
    link: link(11),
    consent: { items: ['ADDRESS'], channel: 'CENTER', consentedAt: '2025-04-05T10:00:00+09:00', certificateNotAfter: '2025-06-30T23:59:59+09:00' },
  },
  {
    n: 12,
    label: 'マイナ免許証のみ in Osaka (prefecture 27), M1+M2, consent ADDRESS, a change pending',
    licenseNumber: '621234567890',
    name: '吉田 拓也',
    birthDate: '1992-10-10',
    address: '大阪府大阪市中央区大手前2丁目',
    honseki: '大阪府大阪市中央区大手前二丁目1番',
    prefecture: '27',
    cards: ['MYNA_LICENSE'],
    certificate: cert(12),
    link: link(12),
    consent: { items: ['ADDRESS'], channel: 'MYNA_PORTAL', consentedAt: '2025-07-07T19:00:00+09:00' },
    imports: [{ item: 'ADDRESS', newValue: '大阪府大阪市北区中之島1丁目3-20', filedOn: '2030-03-30', effectiveOn: '2030-04-01', status: 'PENDING' }],
  },
];
