export const CARD_KINDS = ['LICENSE_CARD', 'MYNA_LICENSE', 'HISTORY_CARD', 'MYNA_HISTORY'] as const;
export type CardKind = (typeof CARD_KINDS)[number];
export type HoldingForm = 'MYNA_LICENSE_ONLY' | 'BOTH' | 'LICENSE_CARD_ONLY' | 'MYNA_HISTORY_ONLY' | 'OTHER';

/** The holding form derived from the cards held (DOMAIN.md, Terms). */
export function holdingForm(cards: readonly string[]): HoldingForm {
  const has = (k: CardKind) => cards.includes(k);
  if (has('MYNA_LICENSE')) return has('LICENSE_CARD') ? 'BOTH' : 'MYNA_LICENSE_ONLY';
  if (has('LICENSE_CARD')) return 'LICENSE_CARD_ONLY';
  if (has('MYNA_HISTORY') && !has('HISTORY_CARD')) return 'MYNA_HISTORY_ONLY';
  return 'OTHER';
}

/** Card sets a person can hold: a licence and a history certificate exclude each other. Null when possible. */
export function cardsProblem(cards: readonly string[]): string | null {
  if (new Set(cards).size !== cards.length) return '同じ種類の免許証等が重複しています';
  const licence = cards.includes('LICENSE_CARD') || cards.includes('MYNA_LICENSE');
  const history = cards.includes('HISTORY_CARD') || cards.includes('MYNA_HISTORY');
  if (licence && history) return '運転免許証と運転経歴証明書を同時に有することはできません';
  if (cards.includes('MYNA_LICENSE') && cards.includes('MYNA_HISTORY')) return '一枚の個人番号カードに免許情報と運転経歴情報の両方は記録されません';
  return null;
}

/** A licence holder has a licence card or a マイナ免許証; a history-certificate holder has neither. */
export const holdsLicence = (cards: readonly string[]) => cards.includes('LICENSE_CARD') || cards.includes('MYNA_LICENSE');
