import { holdingForm, type HoldingForm } from './holding-form.js';

/**
 * Who may use 本籍 online change and the address one-stop service (R-ELIG-1…5), as a pure function of the driver
 * record and the state the other subgraphs report. Not using a service is a valid state (R-ELIG-4): every answer
 * here is data with reasons, never an error.
 */
export type ReasonCode =
  | 'HOLDS_LICENSE_CARD'
  | 'NOT_MYNA_CARD_HOLDER'
  | 'HISTORY_CERTIFICATE_NOT_COVERED'
  | 'SIGNATURE_CERTIFICATE_NOT_SUBMITTED'
  | 'SIGNATURE_CERTIFICATE_EXPIRED'
  | 'SIGNATURE_CERTIFICATE_REVOKED_AWAITING_NEW'
  | 'PORTAL_NOT_LINKED'
  | 'NO_CONSENT'
  | 'ITEM_NOT_CONSENTED'
  | 'CONSENT_EXPIRED'
  | 'CONSENT_REVOKED'
  | 'STATE_UNAVAILABLE';

export interface Reason {
  code: ReasonCode;
  message: string;
  legalBasis: string | null;
}

export const REASONS: Record<ReasonCode, { message: string; legalBasis: string }> = {
  HOLDS_LICENSE_CARD: {
    message:
      '運転免許証又は運転経歴証明書（カード）を保有する者は、本籍のオンライン変更及び住所変更ワンストップサービス等の対象外です。住所等又は本籍の変更は住所地公安委員会に届け出てください。',
    legalBasis: '道路交通法第95条の5第3項、第94条第1項',
  },
  NOT_MYNA_CARD_HOLDER: {
    message: 'マイナ免許証又はマイナ経歴証明書を保有していない者は対象外です。住所等又は本籍の変更は住所地公安委員会に届け出てください。',
    legalBasis: '道路交通法第95条の5第3項',
  },
  HISTORY_CERTIFICATE_NOT_COVERED: {
    message: 'マイナ経歴証明書のみを保有する者は、本籍のオンライン変更の対象外です。本籍の変更は住所地公安委員会に届け出てください。',
    legalBasis: '道路交通法第95条の5第3項第1号',
  },
  SIGNATURE_CERTIFICATE_NOT_SUBMITTED: {
    message: '免許センター等で個人番号カード用署名用電子証明書が提出されていません（利用開始手続）。免許センター等で提出すると利用できます。',
    legalBasis: '道路交通法施行規則第21条の13第1号',
  },
  SIGNATURE_CERTIFICATE_EXPIRED: {
    message:
      '個人番号カード用署名用電子証明書の有効期間が満了しています。新たな署名用電子証明書の発行を受け、免許センター等又はマイナポータルで利用開始手続を再度行ってください。',
    legalBasis: '道路交通法施行規則第21条の14第1項',
  },
  SIGNATURE_CERTIFICATE_REVOKED_AWAITING_NEW: {
    message:
      '個人番号カード用署名用電子証明書が失効し、新たな署名用電子証明書の情報がまだ届いていません。市区町村で新たな署名用電子証明書の発行を受けてください。それまでの間、住所等の変更は住所地公安委員会に届け出てください。',
    legalBasis: '道路交通法施行規則第21条の14第1項',
  },
  PORTAL_NOT_LINKED: {
    message: 'マイナポータルとの連携が行われていません。マイナポータルで連携の手続を行うと利用できます。',
    legalBasis: '道路交通法施行規則第21条の13第2号',
  },
  NO_CONSENT: {
    message:
      '住所変更ワンストップサービス等の利用（署名用電子証明書の記録情報の提供）に同意していません。同意は免許センター等又はマイナポータルで行えます。それまでの間、住所等の変更は住所地公安委員会に届け出てください。',
    legalBasis: '道路交通法第95条の5第2項において準用する第94条第1項',
  },
  ITEM_NOT_CONSENTED: {
    message: 'この項目は情報の提供に同意されていないため、自動では変更されません。変更は住所地公安委員会に届け出てください。',
    legalBasis: '道路交通法第95条の5第2項において準用する第94条第1項',
  },
  CONSENT_EXPIRED: {
    message:
      '住所変更ワンストップサービス等の同意の有効期間（10年）が満了しています。引き続き利用するには、免許センター等又はマイナポータルで改めて同意してください。',
    legalBasis: '公的個人認証法施行規則第35条の2第4項',
  },
  CONSENT_REVOKED: {
    message:
      '住所変更ワンストップサービス等の同意が取り消されています。再び利用するには、免許センター等又はマイナポータルで改めて同意してください。それまでの間、住所等の変更は住所地公安委員会に届け出てください。',
    legalBasis: '道路交通法第95条の5第2項において準用する第94条第1項',
  },
  STATE_UNAVAILABLE: {
    message: '現在、利用状況を確認できません。時間をおいて再度照会してください。',
    legalBasis: '',
  },
};

export const reason = (code: ReasonCode): Reason => ({ code, message: REASONS[code].message, legalBasis: REASONS[code].legalBasis || null });

export const CONSENT_ITEMS = ['ADDRESS', 'NAME', 'BIRTH_DATE'] as const;
export type ConsentItem = (typeof CONSENT_ITEMS)[number];
export type CertificateStatus = 'VALID' | 'EXPIRED' | 'REVOKED';
export type ConsentStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

/** What eligibility needs from the other subgraphs (the fields it @requires). */
export interface EligibilityFacts {
  cards: readonly string[];
  /** M1 on file (portal-link subgraph), null if none. */
  signatureCertificate: { status: CertificateStatus } | null;
  /** M2 done (portal-link subgraph), null if not. */
  portalLink: { linkedAt: unknown } | null;
  /** The latest consent (consent subgraph), null if never given. */
  consent: { items: readonly string[]; status: ConsentStatus; followedCertificate: { status: CertificateStatus } } | null;
  /** Whether M1/M2 and the consent could be read now: unknown is never taken for "not done" (R-ELIG-4). */
  portalLinkKnown: boolean;
  consentKnown: boolean;
}

export interface ServiceEligibility {
  eligible: boolean;
  reasons: Reason[];
}

export interface AddressOneStopEligibility extends ServiceEligibility {
  items: { item: ConsentItem; autoUpdate: boolean; reasons: Reason[] }[];
}

export interface Eligibility {
  honsekiOnlineChange: ServiceEligibility;
  addressOneStop: AddressOneStopEligibility;
}

/** R-ELIG-1: the holding form's reasons for not being covered by a service, empty when covered. */
function formReasons(form: HoldingForm, cards: readonly string[], service: 'HONSEKI' | 'ADDRESS_ONE_STOP'): Reason[] {
  const covered = service === 'HONSEKI' ? form === 'MYNA_LICENSE_ONLY' : form === 'MYNA_LICENSE_ONLY' || form === 'MYNA_HISTORY_ONLY';
  if (covered) return [];
  if (service === 'HONSEKI' && form === 'MYNA_HISTORY_ONLY') return [reason('HISTORY_CERTIFICATE_NOT_COVERED')];
  const reasons: Reason[] = [];
  if (cards.includes('LICENSE_CARD') || cards.includes('HISTORY_CARD')) reasons.push(reason('HOLDS_LICENSE_CARD'));
  if (!cards.includes('MYNA_LICENSE') && !cards.includes('MYNA_HISTORY')) reasons.push(reason('NOT_MYNA_CARD_HOLDER'));
  return reasons;
}

/** R-ELIG-2: 本籍 online change needs the form, M1 and M2; the M1 certificate may have expired since. */
export function honsekiOnlineChangeEligibility(facts: EligibilityFacts): ServiceEligibility {
  const reasons = formReasons(holdingForm(facts.cards), facts.cards, 'HONSEKI');
  // A form that is not covered is decisive: the measures would not help, so the counter is not told to take them.
  if (reasons.length > 0) return { eligible: false, reasons };
  if (!facts.portalLinkKnown) return { eligible: false, reasons: [reason('STATE_UNAVAILABLE')] };
  if (!facts.signatureCertificate) reasons.push(reason('SIGNATURE_CERTIFICATE_NOT_SUBMITTED'));
  if (!facts.portalLink) reasons.push(reason('PORTAL_NOT_LINKED'));
  return { eligible: reasons.length === 0, reasons };
}

/** R-ELIG-3: per item — the form, an active consent covering the item, and a current followed certificate. */
export function addressOneStopEligibility(facts: EligibilityFacts): AddressOneStopEligibility {
  const common = formReasons(holdingForm(facts.cards), facts.cards, 'ADDRESS_ONE_STOP');
  const { consent } = facts;
  if (common.length > 0) {
    const items = CONSENT_ITEMS.map((item) => ({ item, autoUpdate: false, reasons: [...common] }));
    return { eligible: false, items, reasons: common };
  }
  if (!facts.consentKnown) common.push(reason('STATE_UNAVAILABLE'));
  else if (!consent) common.push(reason('NO_CONSENT'));
  else if (consent.status === 'REVOKED') common.push(reason('CONSENT_REVOKED'));
  else if (consent.status === 'EXPIRED') common.push(reason('CONSENT_EXPIRED'));
  else if (consent.followedCertificate.status === 'REVOKED') common.push(reason('SIGNATURE_CERTIFICATE_REVOKED_AWAITING_NEW'));
  else if (consent.followedCertificate.status === 'EXPIRED') common.push(reason('SIGNATURE_CERTIFICATE_EXPIRED'));

  const items = CONSENT_ITEMS.map((item) => {
    const itemReasons = [...common];
    if (facts.consentKnown && consent && !consent.items.includes(item)) itemReasons.push(reason('ITEM_NOT_CONSENTED'));
    return { item, autoUpdate: itemReasons.length === 0, reasons: itemReasons };
  });
  return { eligible: items.some((i) => i.autoUpdate), items, reasons: common };
}

export function eligibility(facts: EligibilityFacts): Eligibility {
  return { honsekiOnlineChange: honsekiOnlineChangeEligibility(facts), addressOneStop: addressOneStopEligibility(facts) };
}
