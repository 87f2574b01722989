const PREFECTURES = [
  '北海道',
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '埼玉県',
  '千葉県',
  '東京都',
  '神奈川県',
  '新潟県',
  '富山県',
  '石川県',
  '福井県',
  '山梨県',
  '長野県',
  '岐阜県',
  '静岡県',
  '愛知県',
  '三重県',
  '滋賀県',
  '京都府',
  '大阪府',
  '兵庫県',
  '奈良県',
  '和歌山県',
  '鳥取県',
  '島根県',
  '岡山県',
  '広島県',
  '山口県',
  '徳島県',
  '香川県',
  '愛媛県',
  '高知県',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
];

/** The organisation a holder sees in their own access log on Myna Portal: who accessed, never which person. */
export function organisationOf(role: string, prefecture: string | null): string {
  if (role === 'NPA_ADMIN' || role === 'AUDITOR') return '警察庁';
  if (role === 'MYNA_PORTAL') return 'マイナポータル';
  if (role === 'JLIS_FEED') return '地方公共団体情報システム機構（J-LIS）';
  if (role === 'SERVICE') return '運転者管理システム';
  const name = prefecture ? PREFECTURES[Number(prefecture) - 1] : undefined;
  if (!name) return '都道府県警察';
  // Tokyo's police is the 警視庁; every other prefecture's is named after it (北海道警察, 大阪府警察, …).
  return name === '東京都' ? '警視庁' : `${name}警察`;
}
