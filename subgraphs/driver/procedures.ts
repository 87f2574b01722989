import { isLicenseNumber, isUuid } from '../../lib/platform/graphql/input.js';
import { InputCheck } from '../../lib/platform/graphql/mutation.js';
import { authorizeHolder } from '../../lib/domain/holder-access.js';
import { isPrefectureCode } from '../../lib/platform/identity/roles.js';
import { japanDate } from '../../lib/platform/japan-date.js';
import { userError } from '../../lib/platform/errors.js';
import type { DriverContext } from './context.js';
import type { HolderRow } from './models.js';
import { refuse } from './refusals.js';
import { insertHolder, lockHolder, updateHolderCards } from './repository.js';
import { cardsProblem, holdsLicence } from './rules/holding-form.js';
import { ITEM_COLUMN, recordValueProblems } from './rules/import-validation.js';

/** The driver's own mutations: the resolver authorizes and calls one of these; the steps are here, the SQL in the repository. */

export interface RegisterHolderInput {
  licenseNumber?: string | null;
  name: string;
  birthDate: string;
  address: string;
  honseki: string;
  residencePrefecture: string;
  cards: readonly string[];
}

/** A new holder, as strict as an import or a 記載事項変更の登録: what the record cannot hold is refused, not stored. */
export function registerHolder(ctx: DriverContext, input: RegisterHolderInput): Promise<{ holder: HolderRow }> {
  return ctx.db.transaction(async (tx) => {
    const values = { NAME: input.name.trim(), ADDRESS: input.address.trim(), HONSEKI: input.honseki.trim(), BIRTH_DATE: input.birthDate };
    const check = new InputCheck();
    for (const p of recordValueProblems(values, { ...ctx.recordLimits, today: japanDate(ctx.now) })) {
      check.errors.push(userError('INVALID_INPUT', `${ITEM_COLUMN[p.item]}: ${p.message}`, ['input', ITEM_COLUMN[p.item]]));
    }
    check.require(isPrefectureCode(input.residencePrefecture), 'residencePrefecture', '住所地公安委員会の都道府県コード（"01"～"47"）を指定してください');
    const cardIssue = cardsProblem(input.cards);
    check.require(cardIssue === null, 'cards', cardIssue ?? '');
    const licenseNumber = input.licenseNumber ?? null;
    if (licenseNumber !== null) check.require(isLicenseNumber(licenseNumber), 'licenseNumber', '免許証番号は12桁の数字です');
    check.require(!holdsLicence(input.cards) || licenseNumber !== null, 'licenseNumber', '運転免許を受けた者には免許証番号が必要です');
    check.done();
    const { identity } = ctx.access;
    if (identity.role === 'SUPERVISOR' && identity.prefecture !== input.residencePrefecture) {
      refuse('FORBIDDEN', '自らの都道府県に住所を有する運転者のみ登録できます', ['input', 'residencePrefecture']);
    }
    const holder = await insertHolder(tx, {
      licenseNumber,
      name: values.NAME,
      birthDate: input.birthDate,
      address: values.ADDRESS,
      honseki: values.HONSEKI,
      residencePrefecture: input.residencePrefecture,
      cards: [...input.cards],
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    if (!holder) return refuse('LICENSE_NUMBER_TAKEN', 'この免許証番号の運転者は既に運転者管理システムに記録されています', ['input', 'licenseNumber']);
    ctx.audit.note(holder.id, 'WRITE', 'ALLOWED', ['licenseNumber', 'name', 'birthDate', 'address', 'honseki', 'residencePrefecture', 'cards']);
    return { holder };
  });
}

/** R-CARD-1/2: only the cards change; M1, M2 and consent live in their own subgraphs and are left as they are. */
export function changeCards(ctx: DriverContext, input: { holderId: string; cards: readonly string[] }): Promise<{ holder: HolderRow }> {
  return ctx.db.transaction(async (tx) => {
    const check = new InputCheck().require(isUuid(input.holderId), 'holderId', '運転者のID（UUID）を指定してください');
    const cardIssue = cardsProblem(input.cards);
    check.require(cardIssue === null, 'cards', cardIssue ?? '');
    check.done();
    const current = await lockHolder(tx, input.holderId.toLowerCase());
    if (!current) return refuse('HOLDER_NOT_FOUND', '指定された運転者は運転者管理システムに記録されていません', ['input', 'holderId']);
    authorizeHolder(ctx, current, 'cards', 'WRITE');
    if (holdsLicence(input.cards) && !current.licenseNumber) {
      refuse('INVALID_INPUT', 'cards: 運転免許証を記録するには免許証番号の記録が必要です', ['input', 'cards']);
    }
    const holder = await updateHolderCards(tx, current.id, [...input.cards], ctx.now);
    return { holder: holder! };
  });
}
