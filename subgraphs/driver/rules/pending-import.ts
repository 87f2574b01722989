import { compareDates, japanDate, startOfJapanDay, type IsoDate } from '../../../lib/platform/japan-date.js';
import { holdingForm } from './holding-form.js';
import { ITEM_LABEL, type RecordItem } from './import-validation.js';

/**
 * How a scheduled import ends without being written (R-IMP-2, R-IMP-3): SUPERSEDED when staff registered the item by
 * hand after its filing, CANCELLED when the holder may no longer use the service or revoked the consent since.
 */
export type ImportEnd = { status: 'SUPERSEDED'; reason: 'SUPERSEDED_BY_MANUAL_CHANGE' } | { status: 'CANCELLED'; reason: 'NOT_ELIGIBLE' | 'CONSENT_REVOKED' };

export type ImportEndReason = ImportEnd['reason'];

export interface DueImport {
  item: string;
  source: string;
  /** The municipal filing (J-LIS) or the certificate's issue (family register); null for a source that gives none. */
  filedOn: IsoDate | null;
  createdAt: Date;
}

/** What the record and the consent say on the day the import falls due. */
export interface DueImportFacts {
  /** The cards the holder holds now (R-CARD-2). */
  cards: readonly string[];
  /** The Japan day of the latest 記載事項変更の登録 of this holder's item, if any. */
  lastHandChangeOn: IsoDate | null;
  /** The latest revocation of any of the holder's address one-stop consents, if any (R-ONE-4). */
  consentRevokedAt: Date | null;
}

/** The day an import counts as filed: the filing day it carries, else the day the system learnt of it. */
export const filedDay = (imp: Pick<DueImport, 'filedOn' | 'createdAt'>): IsoDate => imp.filedOn ?? japanDate(imp.createdAt);

/**
 * R-IMP-2: a change registered by hand of the same item on or after the filing day supersedes the import. Dates are
 * all a filing tells; on the same day the hand change, made by staff who saw the holder, is taken as the later one.
 */
export const supersededByHandChange = (imp: Pick<DueImport, 'filedOn' | 'createdAt'>, handChangeOn: IsoDate | null): boolean =>
  handChangeOn !== null && compareDates(handChangeOn, filedDay(imp)) >= 0;

/** R-ELIG-1: the forms a service applies to. 本籍 online change needs a マイナ免許証 alone; address one-stop also takes a マイナ履歴. */
function formAllows(source: string, cards: readonly string[]): boolean {
  const form = holdingForm(cards);
  if (source === 'HONSEKI_ONLINE') return form === 'MYNA_LICENSE_ONLY';
  return form === 'MYNA_LICENSE_ONLY' || form === 'MYNA_HISTORY_ONLY';
}

/**
 * R-IMP-3, R-IMP-2: whether a pending import may still be written on its effective day, or how it ends. A consent
 * that merely lapsed after the filing does not stop it (R-ONE-5: the consent is judged on the filing day); one the
 * holder revoked on or after the filing day does, even if a new consent was given since (it covers filings from
 * its own grant on). The hand change is looked at first: what staff registered stands whatever else holds.
 */
export function dueImportEnd(imp: DueImport, facts: DueImportFacts): ImportEnd | null {
  if (supersededByHandChange(imp, facts.lastHandChangeOn)) return { status: 'SUPERSEDED', reason: 'SUPERSEDED_BY_MANUAL_CHANGE' };
  if (!formAllows(imp.source, facts.cards)) return { status: 'CANCELLED', reason: 'NOT_ELIGIBLE' };
  if (imp.source === 'ADDRESS_ONE_STOP' && facts.consentRevokedAt && facts.consentRevokedAt.getTime() >= startOfJapanDay(filedDay(imp)).getTime()) {
    return { status: 'CANCELLED', reason: 'CONSENT_REVOKED' };
  }
  return null;
}

/** R-CHAR-2: why the import was not written, as the counter reads it in 取込状況検索. */
export function importEndMessage(reason: ImportEndReason, item: RecordItem): string {
  const label = ITEM_LABEL[item];
  switch (reason) {
    case 'SUPERSEDED_BY_MANUAL_CHANGE':
      return `届出の後に${label}の記載事項変更の登録がされたため、この取込みは反映しませんでした。`;
    case 'NOT_ELIGIBLE':
      return `変更の効力発生日に、この者は免許証（プラスチックカード）を保有する等によりサービスの対象でないため、${label}の取込みは反映しませんでした。住所地公安委員会への届出が必要です。`;
    case 'CONSENT_REVOKED':
      return `届出の後に住所変更ワンストップサービス等の同意が撤回されたため、${label}の取込みは反映しませんでした。`;
  }
}
