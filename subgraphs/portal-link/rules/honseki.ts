/** R-HON-1: a 戸籍電子証明書提供用識別符号 is 16 digits. */
export const isIdentifierCode = (code: string) => /^[0-9]{16}$/.test(code);

/** R-HON-1 / R-ELIG-2: who may submit a code, as the refusal code for those who may not (null: may). */
/** What the holder is told on Myna Portal for each refusal of M3 (R-CHAR-2). */
export type HonsekiRefusal =
  | 'HISTORY_CERTIFICATE_NOT_COVERED'
  | 'HOLDS_LICENSE_CARD'
  | 'NOT_MYNA_CARD_HOLDER'
  | 'SIGNATURE_CERTIFICATE_NOT_SUBMITTED'
  | 'PORTAL_NOT_LINKED';

export const HONSEKI_REFUSAL_MESSAGES: Record<HonsekiRefusal, string> = {
  HISTORY_CERTIFICATE_NOT_COVERED: 'マイナ経歴証明書のみを保有する者は、本籍のオンライン変更を利用できません。本籍の変更は住所地公安委員会に届け出てください',
  HOLDS_LICENSE_CARD: '運転免許証（カード）を保有する者は、本籍のオンライン変更を利用できません。本籍の変更は住所地公安委員会に届け出てください',
  NOT_MYNA_CARD_HOLDER: 'マイナ免許証を保有していない者は、本籍のオンライン変更を利用できません',
  SIGNATURE_CERTIFICATE_NOT_SUBMITTED: '先に免許センター等で個人番号カード用署名用電子証明書を提出してください（利用開始手続）',
  PORTAL_NOT_LINKED: 'マイナポータルとの連携が行われていません。マイナポータルで連携の手続を行ってください',
};

export function honsekiRefusal(holder: { holdingForm: string; signatureCertificate: unknown; portalLink: unknown }): HonsekiRefusal | null {
  if (holder.holdingForm === 'MYNA_HISTORY_ONLY') return 'HISTORY_CERTIFICATE_NOT_COVERED';
  if (holder.holdingForm === 'BOTH' || holder.holdingForm === 'LICENSE_CARD_ONLY') return 'HOLDS_LICENSE_CARD';
  if (holder.holdingForm !== 'MYNA_LICENSE_ONLY') return 'NOT_MYNA_CARD_HOLDER';
  if (!holder.signatureCertificate) return 'SIGNATURE_CERTIFICATE_NOT_SUBMITTED';
  if (!holder.portalLink) return 'PORTAL_NOT_LINKED';
  return null;
}

/**
 * When to try the registry again after it could not be reached: 30 s doubling to a 4-minute ceiling, so a
 * request submitted during a short outage is still applied well inside the notice's 20 minutes (R-HON-2).
 */
export function retryDelayMs(attempts: number): number {
  return Math.min(240_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}
