import { sql } from 'drizzle-orm';
import { char, check, date, index, pgSchema, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

/** What the text columns below may hold: typed here, so that no read of them needs a cast (the database keeps text). */
export const RECORD_ITEMS = ['HONSEKI', 'ADDRESS', 'NAME', 'BIRTH_DATE'] as const;
export const IMPORT_SOURCES = ['ADDRESS_ONE_STOP', 'HONSEKI_ONLINE'] as const;
export const IMPORT_STATUSES = ['PENDING', 'APPLIED', 'FAILED', 'RESOLVED', 'SUPERSEDED', 'CANCELLED'] as const;

export const driverSchema = pgSchema('driver');

const tz = { withTimezone: true, mode: 'date' } as const;

/** The driver record (運転者管理システム): one row per licence or driving-history certificate holder. */
export const holders = driverSchema.table(
  'holders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenseNumber: varchar('license_number', { length: 12 }),
    name: text('name').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    address: text('address').notNull(),
    honseki: text('honseki').notNull(),
    residencePrefecture: char('residence_prefecture', { length: 2 }).notNull(),
    cards: text('cards').array().notNull(),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('holders_license_number_key').on(t.licenseNumber),
    index('holders_residence_prefecture_idx').on(t.residencePrefecture),
    check('holders_license_number_format', sql`${t.licenseNumber} ~ '^[0-9]{12}$'`),
    check('holders_prefecture_format', sql`${t.residencePrefecture} ~ '^(0[1-9]|[1-3][0-9]|4[0-7])$'`),
    check('holders_cards_known', sql`${t.cards} <@ ARRAY['LICENSE_CARD','MYNA_LICENSE','HISTORY_CARD','MYNA_HISTORY']::text[]`),
  ],
);

/**
 * A scheduled change of a record item (R-IMP-1): from a J-LIS notification (address one-stop) or a family-register
 * fetch (本籍 online change). `sourceRef` + `item` is unique so a replayed source never schedules twice (R-ONE-7).
 */
export const recordImports = driverSchema.table(
  'record_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holderId: uuid('holder_id')
      .notNull()
      .references(() => holders.id),
    item: text('item', { enum: RECORD_ITEMS }).notNull(),
    newValue: text('new_value').notNull(),
    source: text('source', { enum: IMPORT_SOURCES }).notNull(),
    sourceRef: text('source_ref').notNull(),
    filedOn: date('filed_on', { mode: 'string' }),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: IMPORT_STATUSES }).notNull().default('PENDING'),
    /** Why it failed (FAILED) or ended unwritten (SUPERSEDED, CANCELLED: R-IMP-2, R-IMP-3). */
    failureReason: text('failure_reason'),
    /** The failure in Japanese for the counter (R-CHAR-2): the item and, for a length, the length at fault; never the value. */
    failureMessage: text('failure_message'),
    appliedAt: timestamp('applied_at', tz),
    resolvedAt: timestamp('resolved_at', tz),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('record_imports_source_ref_item_key').on(t.source, t.sourceRef, t.item),
    index('record_imports_holder_idx').on(t.holderId),
    index('record_imports_status_effective_idx').on(t.status, t.effectiveOn),
    check('record_imports_item_known', sql`${t.item} in ('HONSEKI','ADDRESS','NAME','BIRTH_DATE')`),
    check('record_imports_source_known', sql`${t.source} in ('ADDRESS_ONE_STOP','HONSEKI_ONLINE')`),
    check('record_imports_status_known', sql`${t.status} in ('PENDING','APPLIED','FAILED','RESOLVED','SUPERSEDED','CANCELLED')`),
  ],
);

/** 記載事項変更の登録: a change of a record item made by staff, optionally resolving a failed import (R-IMP-2). */
export const recordChanges = driverSchema.table(
  'record_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    holderId: uuid('holder_id')
      .notNull()
      .references(() => holders.id),
    item: text('item', { enum: RECORD_ITEMS }).notNull(),
    value: text('value').notNull(),
    resolvesImportId: uuid('resolves_import_id').references(() => recordImports.id),
    changedBy: text('changed_by').notNull(),
    changedAt: timestamp('changed_at', tz).notNull().defaultNow(),
  },
  (t) => [index('record_changes_holder_idx').on(t.holderId)],
);

export type HolderRow = typeof holders.$inferSelect;
export type RecordImportRow = typeof recordImports.$inferSelect;
export type RecordChangeRow = typeof recordChanges.$inferSelect;
