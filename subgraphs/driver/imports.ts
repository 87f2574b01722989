import { randomUUID } from 'node:crypto';
import type { Db } from '../../lib/platform/db/database.js';
import { apiError, userError } from '../../lib/platform/errors.js';
import { refuse } from './refusals.js';
import { isUuid } from '../../lib/platform/graphql/input.js';
import { InputCheck } from '../../lib/platform/graphql/mutation.js';
import { authorizeHolder } from '../../lib/domain/holder-access.js';
import { compareDates, isValidIsoDate, japanDate, type IsoDate } from '../../lib/platform/japan-date.js';
import type { DriverContext } from './context.js';
import { ConsentRevocationsDocument } from '../../lib/domain/generated/operations.js';
import { GraphUnavailableError, serviceHeaders } from '../../lib/platform/graph-client.js';
import {
  claimDueImports,
  latestHandChanges,
  lockPendingImports,
  peekDueImports,
  findImportsBySource,
  findLatestHonsekiCertificates,
  findResolutions,
  insertImportOnce,
  insertImportsOnce,
  insertRecordChange,
  lockHolder,
  lockHolders,
  lockImport,
  setHolderItem,
  setImportOutcome,
  type ImportKey,
  type NewRecordImport,
} from './repository.js';
import { holdingForm } from './rules/holding-form.js';
import {
  differsFromRecord,
  importFailure,
  importFailureMessage,
  isStaleHonsekiCertificate,
  ITEM_COLUMN,
  recordValueProblems,
  type RecordItem,
  type Resolution,
} from './rules/import-validation.js';
import { dueImportEnd, importEndMessage, supersededByHandChange, type DueImportFacts } from './rules/pending-import.js';
import type { HolderRow, RecordImportRow } from './tables.js';

const importKey = (k: ImportKey) => `${k.source}\u0000${k.sourceRef}\u0000${k.item}`;
const keyParts = (key: string): ImportKey => {
  const [source, sourceRef, item] = key.split('\u0000') as [string, string, string];
  return { source, sourceRef, item };
};

/**
 * Writes a due import into the record, fails it with the reason the record cannot hold it (R-IMP-1), or, when the
 * facts of its effective day say it may no longer apply, ends it unwritten with the reason (R-IMP-2, R-IMP-3).
 */
async function applyImport(
  tx: Db,
  imp: RecordImportRow,
  now: Date,
  recordLimits: DriverContext['recordLimits'],
  facts: DueImportFacts | null,
): Promise<RecordImportRow> {
  const item = imp.item;
  const end = facts && dueImportEnd(imp, facts);
  if (end) {
    return setImportOutcome(tx, imp.id, { status: end.status, failureReason: end.reason, failureMessage: importEndMessage(end.reason, item), at: now });
  }
  const limits = { ...recordLimits, today: japanDate(now) };
  const failure = importFailure(item, imp.newValue, limits);
  if (failure) {
    return setImportOutcome(tx, imp.id, {
      status: 'FAILED',
      failureReason: failure,
      failureMessage: importFailureMessage(failure, item, imp.newValue, limits),
      at: now,
    });
  }
  await setHolderItem(tx, imp.holderId, ITEM_COLUMN[item], imp.newValue.normalize('NFC'), now);
  return setImportOutcome(tx, imp.id, { status: 'APPLIED', at: now });
}

/** Per holder and item, the Japan day staff last registered it by hand (R-IMP-2). */
async function handChangeDays(tx: Db, holderIds: readonly string[]): Promise<Map<string, IsoDate>> {
  return new Map((await latestHandChanges(tx, holderIds)).map((c) => [`${c.holderId}\u0000${c.item}`, japanDate(c.changedAt)]));
}

export interface ScheduleInput {
  holderId: string;
  item: RecordItem;
  newValue: string;
  source: 'ADDRESS_ONE_STOP' | 'HONSEKI_ONLINE';
  sourceRef: string;
  filedOn?: string | null;
  effectiveOn: string;
}

type Outcome = 'SCHEDULED' | 'APPLIED' | 'FAILED' | 'NO_CHANGE' | 'NOT_ELIGIBLE' | 'HOLDER_NOT_FOUND' | 'DUPLICATE' | 'STALE' | 'SUPERSEDED';

const MAX_SCHEDULE_BATCH = 1000;

/**
 * R-IMP-1 / R-ONE-5: one import per (source, sourceRef, item), only where the value differs from the record by more
 * than 代替文字 and is not one a hand resolution replaced (R-CHAR-1), and written at once when already due; a 本籍 from
 * a 戸籍電子証明書 older than the one last applied is STALE (R-HON-2). Holders are locked so a concurrent change of
 * the same record waits its turn.
 */
export async function scheduleRecordImports(ctx: DriverContext, inputs: readonly ScheduleInput[]) {
  const check = new InputCheck().require(
    inputs.length > 0 && inputs.length <= MAX_SCHEDULE_BATCH,
    'input',
    `1件から${MAX_SCHEDULE_BATCH}件までの取込みを送ってください。`,
  );
  inputs.forEach((i, n) => {
    check
      .require(isUuid(i.holderId), `${n}.holderId`, `${n + 1}件目の運転者のID（holderId）がUUIDの形式ではありません。`)
      .require(/^[\x21-\x7e]{1,128}$/.test(i.sourceRef), `${n}.sourceRef`, `${n + 1}件目の取込元の番号（sourceRef）は1〜128文字の半角英数記号としてください。`)
      .require(isValidIsoDate(i.effectiveOn), `${n}.effectiveOn`, `${n + 1}件目の効力発生日（effectiveOn）が正しい日付ではありません。`)
      .require(i.newValue.length <= 1000, `${n}.newValue`, `${n + 1}件目の新しい値（newValue）は1000文字以内としてください。`);
  });
  check.done();
  const today = japanDate(ctx.now);
  return ctx.db.transaction(async (tx) => {
    const holderIds = [...new Set(inputs.map((i) => i.holderId.toLowerCase()))];
    const locked = await lockHolders(tx, holderIds);
    const byId = new Map<string, HolderRow>(locked.map((h) => [h.id, h]));
    const resolutions = new Map<string, Resolution[]>();
    for (const r of await findResolutions(tx, holderIds)) resolutions.set(r.holderId, [...(resolutions.get(r.holderId) ?? []), r]);
    const honsekiHolders = [...new Set(inputs.filter((i) => i.source === 'HONSEKI_ONLINE').map((i) => i.holderId.toLowerCase()))];
    const latestHonseki = new Map(
      honsekiHolders.length > 0 ? (await findLatestHonsekiCertificates(tx, honsekiHolders)).map((r) => [r.holderId, r.issuedOn]) : [],
    );
    const existing = new Map((await findImportsBySource(tx, inputs)).map((r) => [importKey(r), r]));
    // Read only when something falls due at once: a change registered by hand after its filing supersedes it (R-IMP-2).
    const handChanges = inputs.some((i) => compareDates(i.effectiveOn, today) <= 0) ? await handChangeDays(tx, holderIds) : new Map<string, IsoDate>();
    const results: { sourceRef: string; item: RecordItem; outcome: Outcome; recordImport: RecordImportRow | null }[] = [];
    // Imports that fall due later are written together after the loop; the key of each is claimed here already, so
    // a repeat within the batch is a DUPLICATE of it, as it would be of a row written earlier.
    const scheduled: (NewRecordImport & { id: string; createdAt: Date })[] = [];
    const scheduledResults: { entry: (typeof results)[number]; key: string; id: string }[] = [];
    const repeats: { entry: (typeof results)[number]; key: string }[] = [];
    const claimed = new Set<string>();
    for (const i of inputs) {
      const holder = byId.get(i.holderId.toLowerCase());
      const key = importKey(i);
      const result = (outcome: Outcome, recordImport: RecordImportRow | null = null) => {
        const entry = { sourceRef: i.sourceRef, item: i.item, outcome, recordImport };
        results.push(entry);
        return entry;
      };
      if (!holder) {
        result('HOLDER_NOT_FOUND');
        continue;
      }
      if (existing.has(key)) {
        result('DUPLICATE', existing.get(key));
        continue;
      }
      if (claimed.has(key)) {
        repeats.push({ entry: result('DUPLICATE'), key });
        continue;
      }
      const form = holdingForm(holder.cards);
      if (i.source === 'ADDRESS_ONE_STOP' && form !== 'MYNA_LICENSE_ONLY' && form !== 'MYNA_HISTORY_ONLY') {
        result('NOT_ELIGIBLE');
        continue;
      }
      if (i.source === 'HONSEKI_ONLINE' && i.item === 'HONSEKI' && isStaleHonsekiCertificate(i.filedOn, latestHonseki.get(holder.id))) {
        result('STALE');
        continue;
      }
      if (!differsFromRecord(holder, i.item, i.newValue, resolutions.get(holder.id))) {
        result('NO_CHANGE');
        continue;
      }
      ctx.audit.note(holder.id, 'WRITE', 'ALLOWED', ['recordImports', ITEM_COLUMN[i.item]]);
      // The id chosen here, so that a row another request wrote first under the same key is told apart from ours.
      const values = {
        id: randomUUID(),
        holderId: holder.id,
        item: i.item,
        newValue: i.newValue,
        source: i.source,
        sourceRef: i.sourceRef,
        filedOn: i.filedOn ?? null,
        effectiveOn: i.effectiveOn,
        createdAt: ctx.now,
      };
      claimed.add(key);
      if (compareDates(i.effectiveOn, today) > 0) {
        scheduled.push(values);
        scheduledResults.push({ entry: result('SCHEDULED'), key, id: values.id });
        continue;
      }
      // Due today: written and applied now, so that later items of the batch compare with the changed record.
      let imp = await insertImportOnce(tx, values);
      if (!imp) {
        result('DUPLICATE', (await findImportsBySource(tx, [i]))[0] ?? null);
        continue;
      }
      // The caller judged the consent and the form just now; what staff registered by hand since the filing still stands.
      const facts =
        i.source === 'ADDRESS_ONE_STOP'
          ? { cards: holder.cards, lastHandChangeOn: handChanges.get(`${holder.id}\u0000${i.item}`) ?? null, consentRevokedAt: null }
          : null;
      imp = await applyImport(tx, imp, ctx.now, ctx.recordLimits, facts);
      byId.set(holder.id, imp.status === 'APPLIED' ? { ...holder, [ITEM_COLUMN[i.item]]: i.newValue } : holder);
      if (imp.status === 'APPLIED' && i.source === 'HONSEKI_ONLINE' && i.filedOn && !isStaleHonsekiCertificate(latestHonseki.get(holder.id), i.filedOn)) {
        latestHonseki.set(holder.id, i.filedOn);
      }
      result(imp.status === 'APPLIED' ? 'APPLIED' : imp.status === 'SUPERSEDED' ? 'SUPERSEDED' : 'FAILED', imp);
    }
    if (scheduled.length > 0) {
      await insertImportsOnce(tx, scheduled);
      const written = new Map((await findImportsBySource(tx, scheduled)).map((r) => [importKey(r), r]));
      for (const { entry, key, id } of scheduledResults) {
        const row = written.get(key) ?? null;
        entry.recordImport = row;
        // A concurrent request wrote this key first: ours was skipped.
        if (row?.id !== id) entry.outcome = 'DUPLICATE';
      }
    }
    if (repeats.length > 0) {
      const rows = new Map(
        (
          await findImportsBySource(
            tx,
            repeats.map((r) => keyParts(r.key)),
          )
        ).map((r) => [importKey(r), r]),
      );
      for (const { entry, key } of repeats) entry.recordImport = rows.get(key) ?? null;
    }
    return { results };
  });
}

/** Holders one consentRevocations request names (the consent subgraph takes up to 500). */
const REVOCATION_CHUNK = 500;

/**
 * The latest consent revocation of each of these holders, from the consent subgraph as the service identity, in
 * chunks; asked before any row is locked, so no transaction waits on the network.
 */
async function consentRevocations(ctx: DriverContext, holderIds: readonly string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  if (holderIds.length === 0) return out;
  const headers = await serviceHeaders(ctx.deps.serviceToken, ctx.access.requestId);
  for (let i = 0; i < holderIds.length; i += REVOCATION_CHUNK) {
    const r = await ctx.deps.graph.request(ConsentRevocationsDocument, { holderIds: holderIds.slice(i, i + REVOCATION_CHUNK) }, headers).catch((e: unknown) => {
      if (e instanceof GraphUnavailableError)
        throw apiError('INTERNAL_SERVER_ERROR', '同意の状態を確認できないため、取込みを反映しませんでした。後で再実行してください。');
      throw e;
    });
    if (!r.data || r.errors?.length)
      throw apiError('INTERNAL_SERVER_ERROR', '同意の状態を確認できないため、取込みを反映しませんでした。後で再実行してください。');
    for (const c of r.data.consentRevocations) out.set(c.holderId, new Date(c.revokedAt));
  }
  return out;
}

/**
 * Applies the pending imports whose effective day has come, each only if it still may be (R-IMP-3): the holder's
 * form and hand changes are read with the rows locked, the consents' revocations from the consent subgraph once
 * for the whole run, before the transaction. Concurrent workers never take the same row: each claims only the rows
 * it asked about and no other worker holds.
 */
export async function applyDueRecordImports(ctx: DriverContext, limit: number) {
  const today = japanDate(ctx.now);
  const candidates = await peekDueImports(ctx.db, today, limit);
  if (candidates.length === 0) return { applied: 0, failed: 0, ended: 0 };
  const revocations = await consentRevocations(ctx, [...new Set(candidates.filter((c) => c.source === 'ADDRESS_ONE_STOP').map((c) => c.holderId))]);
  return ctx.db.transaction(async (tx) => {
    const due = await claimDueImports(
      tx,
      today,
      candidates.map((c) => c.id),
    );
    const holderIds = [...new Set(due.map((d) => d.holderId))];
    const cards = new Map((await lockHolders(tx, holderIds)).map((h) => [h.id, h.cards]));
    const handChanges = await handChangeDays(tx, holderIds);
    let applied = 0;
    let failed = 0;
    let ended = 0;
    for (const imp of due) {
      ctx.audit.note(imp.holderId, 'WRITE', 'ALLOWED', ['recordImports', ITEM_COLUMN[imp.item]]);
      const facts: DueImportFacts = {
        cards: cards.get(imp.holderId) ?? [],
        lastHandChangeOn: handChanges.get(`${imp.holderId}\u0000${imp.item}`) ?? null,
        consentRevokedAt: revocations.get(imp.holderId) ?? null,
      };
      const done = await applyImport(tx, imp, ctx.now, ctx.recordLimits, facts);
      if (done.status === 'APPLIED') applied++;
      else if (done.status === 'FAILED') failed++;
      else ended++;
    }
    return { applied, failed, ended };
  });
}

/** 記載事項変更の登録 (R-IMP-2): staff change an item by hand, optionally resolving the failed import it replaces. */
export async function registerRecordChange(ctx: DriverContext, input: { holderId: string; item: RecordItem; value: string; resolvesImportId?: string | null }) {
  const check = new InputCheck().require(isUuid(input.holderId), 'holderId', '運転者のID（holderId）がUUIDの形式ではありません。');
  if (input.resolvesImportId != null)
    check.require(isUuid(input.resolvesImportId), 'resolvesImportId', '解消する取込みのID（resolvesImportId）がUUIDの形式ではありません。');
  for (const p of recordValueProblems({ [input.item]: input.value }, { ...ctx.recordLimits, today: japanDate(ctx.now) })) {
    check.errors.push(userError('INVALID_INPUT', `value: ${p.message}`, ['input', 'value']));
  }
  check.done();
  return ctx.db.transaction(async (tx) => {
    const holder = await lockHolder(tx, input.holderId.toLowerCase());
    if (!holder) return refuse('HOLDER_NOT_FOUND', '指定された運転者のID（holderId）の者は運転者管理システムに登録されていません。', ['input', 'holderId']);
    authorizeHolder(ctx, holder, [ITEM_COLUMN[input.item]], 'WRITE');
    let resolves: RecordImportRow | null = null;
    if (input.resolvesImportId) {
      resolves = await lockImport(tx, input.resolvesImportId.toLowerCase());
      if (!resolves || resolves.holderId !== holder.id || resolves.item !== input.item || resolves.status !== 'FAILED') {
        refuse(
          'IMPORT_NOT_RESOLVABLE',
          '解消する取込み（resolvesImportId）には、この者の同じ項目の取込みで、取込みに失敗したもの（FAILED）を指定してください。',
          ['input', 'resolvesImportId'],
        );
      }
    }
    const updated = await setHolderItem(tx, holder.id, ITEM_COLUMN[input.item], input.value, ctx.now);
    await insertRecordChange(tx, {
      holderId: holder.id,
      item: input.item,
      value: input.value,
      resolvesImportId: resolves?.id ?? null,
      changedBy: ctx.access.identity.subject,
      changedAt: ctx.now,
    });
    if (resolves) await setImportOutcome(tx, resolves.id, { status: 'RESOLVED', at: ctx.now });
    // R-IMP-2: the pending imports of this item filed on or before today never apply over what staff registered;
    // marked now, so 取込状況検索 shows it at once (the due run checks again for one scheduled later).
    const today = japanDate(ctx.now);
    for (const imp of await lockPendingImports(tx, holder.id, input.item)) {
      if (!supersededByHandChange(imp, today)) continue;
      await setImportOutcome(tx, imp.id, {
        status: 'SUPERSEDED',
        failureReason: 'SUPERSEDED_BY_MANUAL_CHANGE',
        failureMessage: importEndMessage('SUPERSEDED_BY_MANUAL_CHANGE', input.item),
        at: ctx.now,
      });
    }
    return { holder: updated };
  });
}
