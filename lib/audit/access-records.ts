import { sql } from 'drizzle-orm';
import { char, check, index, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { Db } from '../db/database.js';
import type { RequestAccess } from '../identity/roles.js';

/**
 * R-INQ-1 and the My Number guidelines' アクセス記録: every access to a holder's data, with who, why, how identity
 * was verified and whether it was allowed. Each subgraph keeps the record of the accesses it served, in its own
 * schema, so no subgraph writes another's tables. Values of the data are never recorded, only field names.
 */
export function accessRecordsTable(schema: PgSchema) {
  return schema.table(
    'access_records',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
      requestId: text('request_id').notNull(),
      subject: text('subject').notNull(),
      role: text('role').notNull(),
      prefecture: char('prefecture', { length: 2 }),
      holderId: uuid('holder_id').notNull(),
      action: text('action').notNull(),
      fields: text('fields').array().notNull(),
      purpose: text('purpose'),
      identityVerification: text('identity_verification'),
      outcome: text('outcome').notNull(),
    },
    (t) => [
      index('access_records_holder_at_idx').on(t.holderId, t.at),
      check('access_records_action_known', sql`${t.action} in ('READ','WRITE')`),
      check('access_records_outcome_known', sql`${t.outcome} in ('ALLOWED','DENIED')`),
    ],
  );
}

export type AccessRecordsTable = ReturnType<typeof accessRecordsTable>;
export type AccessAction = 'READ' | 'WRITE';
export type AccessOutcome = 'ALLOWED' | 'DENIED';

/**
 * Collects the accesses of one request and writes them in one statement when the response is sent, so a list of
 * 500 holders costs one insert, not 500.
 */
export class AccessRecorder {
  private readonly entries = new Map<string, { holderId: string; action: AccessAction; outcome: AccessOutcome; fields: Set<string> }>();

  constructor(
    private readonly access: RequestAccess,
    private readonly now: Date,
  ) {}

  note(holderId: string, action: AccessAction, outcome: AccessOutcome, fields: string | readonly string[]): void {
    const key = `${holderId}|${action}|${outcome}`;
    const entry = this.entries.get(key) ?? { holderId, action, outcome, fields: new Set<string>() };
    for (const f of typeof fields === 'string' ? [fields] : fields) entry.fields.add(f);
    this.entries.set(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  async flush(db: Db, table: AccessRecordsTable): Promise<void> {
    if (this.entries.size === 0) return;
    const { identity, purpose, identityVerification, requestId } = this.access;
    const rows = [...this.entries.values()].map((e) => ({
      at: this.now, requestId, subject: identity.subject, role: identity.role, prefecture: identity.prefecture,
      holderId: e.holderId, action: e.action, fields: [...e.fields].sort(), purpose, identityVerification, outcome: e.outcome,
    }));
    this.entries.clear();
    await db.insert(table).values(rows);
  }
}
