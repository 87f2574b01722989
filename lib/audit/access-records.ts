import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { insertJsonRows } from '../db/json-rows.js';
import type { RequestAccess } from '../identity/roles.js';
import { GENESIS_HASH, recordHash } from './chain.js';
import { accessRecords, type AccessRecordRow } from './tables.js';

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
    const pending = [...this.entries.values()].map((e) => ({
      id: randomUUID(), at: this.now, requestId, service: this.service, subject: identity.subject, role: identity.role,
      prefecture: identity.prefecture, holderId: e.holderId, action: e.action, fields: [...e.fields].sort(), purpose,
      identityVerification, outcome: e.outcome,
    }));
    this.entries.clear();
    await writerFor(db).append(pending);
  }
}

type Unchained = Omit<AccessRecordRow, 'seq' | 'chain' | 'chainSeq' | 'prevHash' | 'hash'>;

/**
 * Appends this process's records to a chain of its own, in group commits: records that arrive while a write is in
 * flight go together in the next one, a single INSERT, so each request waits for its own records to be durable
 * before it is answered and no writer waits on another process. Should a write fail, whether its rows landed is
 * unknown, so writing goes on in a new chain rather than risk a position twice.
 */
class ChainWriter {
  private queue: { rows: Unchained[]; done: (e?: unknown) => void }[] = [];
  private running = false;
  private chain = randomUUID();
  private head = { chainSeq: 0, hash: GENESIS_HASH };

  constructor(private readonly db: Db) {}

  append(rows: Unchained[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, done: (e) => (e ? reject(e) : resolve()) });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.commit(batch.flatMap((b) => b.rows));
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.done(e);
      }
    }
    this.running = false;
  }

  private async commit(pending: Unchained[]): Promise<void> {
    let prev = this.head;
    const rows = pending.map((r) => {
      const row = { ...r, chain: this.chain, chainSeq: prev.chainSeq + 1, prevHash: prev.hash };
      const hashed = { ...row, hash: recordHash(row) };
      prev = { chainSeq: hashed.chainSeq, hash: hashed.hash };
      return hashed;
    });
    try {
      await this.db.execute(insertRows(rows));
      this.head = prev;
    } catch (e) {
      this.chain = randomUUID();
      this.head = { chainSeq: 0, hash: GENESIS_HASH };
      throw e;
    }
  }
}

const ACCESS_RECORD_COLUMNS = {
  id: 'uuid', at: 'timestamptz', request_id: 'text', service: 'text', subject: 'text', role: 'text', prefecture: 'char(2)',
  holder_id: 'uuid', action: 'text', fields: 'text[]', purpose: 'text', identity_verification: 'text', outcome: 'text',
  chain: 'text', chain_seq: 'bigint', prev_hash: 'text', hash: 'text',
};

/** One INSERT for the whole group commit (a holders(500) request records 500 accesses per subgraph). */
function insertRows(rows: (Unchained & { chain: string; chainSeq: number; prevHash: string; hash: string })[]) {
  return insertJsonRows(
    accessRecords,
    rows.map((r) => ({
      id: r.id, at: r.at, request_id: r.requestId, service: r.service, subject: r.subject, role: r.role, prefecture: r.prefecture,
      holder_id: r.holderId, action: r.action, fields: r.fields, purpose: r.purpose, identity_verification: r.identityVerification,
      outcome: r.outcome, chain: r.chain, chain_seq: r.chainSeq, prev_hash: r.prevHash, hash: r.hash,
    })),
    ACCESS_RECORD_COLUMNS,
  );
}

const writers = new WeakMap<Db, ChainWriter>();
function writerFor(db: Db): ChainWriter {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new ChainWriter(db)));
  return w;
}
