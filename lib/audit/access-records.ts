import { randomUUID } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import type { RequestAccess } from '../identity/roles.js';
import { GENESIS_HASH, recordHash } from './chain.js';
import { accessRecords } from './tables.js';

export type AccessAction = 'READ' | 'WRITE';
export type AccessOutcome = 'ALLOWED' | 'DENIED';

/**
 * Collects the accesses one request made to holders' data (R-INQ-1) and appends them to the hash-chained access
 * log in one transaction when the response is sent: who, which holder, which fields (never values), why, how the
 * identity was verified, and whether it was allowed.
 */
export class AccessRecorder {
  private readonly entries = new Map<string, { holderId: string; action: AccessAction; outcome: AccessOutcome; fields: Set<string> }>();

  constructor(
    private readonly access: RequestAccess,
    private readonly now: Date,
    private readonly service: string,
  ) {}

  note(holderId: string, action: AccessAction, outcome: AccessOutcome, fields: string | readonly string[]): void {
    const key = `${holderId}|${action}|${outcome}`;
    const entry = this.entries.get(key) ?? { holderId, action, outcome, fields: new Set<string>() };
    for (const f of typeof fields === 'string' ? [fields] : fields) entry.fields.add(f);
    this.entries.set(key, entry);
  }

  async flush(db: Db): Promise<void> {
    if (this.entries.size === 0) return;
    const { identity, purpose, identityVerification, requestId } = this.access;
    const pending = [...this.entries.values()];
    this.entries.clear();
    await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      // One appender at a time across every process: the chain needs the previous record's hash.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('renkei-access-log', 0))`);
      const [last] = await tx.select({ seq: accessRecords.seq, hash: accessRecords.hash }).from(accessRecords).orderBy(desc(accessRecords.seq)).limit(1);
      let prev = last ?? { seq: 0, hash: GENESIS_HASH };
      const rows = pending.map((e) => {
        const row = {
          seq: prev.seq + 1, id: randomUUID(), at: this.now, requestId, service: this.service, subject: identity.subject,
          role: identity.role, prefecture: identity.prefecture, holderId: e.holderId, action: e.action, fields: [...e.fields].sort(),
          purpose, identityVerification, outcome: e.outcome, prevHash: prev.hash,
        };
        const hashed = { ...row, hash: recordHash(row) };
        prev = { seq: hashed.seq, hash: hashed.hash };
        return hashed;
      });
      await tx.insert(accessRecords).values(rows);
    });
  }
}
