import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLogWriter, AccessRecorder } from '../lib/platform/audit/access-records.js';
import { GENESIS_HASH, LEGACY_CHAIN, recordHash } from '../lib/platform/audit/chain.js';
import { auditSigner } from '../lib/platform/audit/signing.js';
import { verifyAccessLog } from '../lib/platform/audit/verify.js';
import { manualClock } from '../lib/platform/clock.js';
import { parseConfig } from '../lib/platform/config.js';
import { trustStoreFromPem } from '../lib/domain/certificates/verify.js';
import { executeRows, openPglite, openPostgres, type Db, type SqlClient } from '../lib/platform/db/database.js';
import { DEV_ONLY_AUDIT_LOG_KEY } from '../lib/platform/identity/dev-keys.js';
import { createLogger } from '../lib/platform/log.js';
import { migrateAll, seedDemo, startStack } from '../devkit/stack.js';
import { demoId } from '../seeds/demo-holders.js';
import { freshDatabase, testDbKind } from './support/database.js';
import { gql, testCa, TEST_NOW } from './support/graph.js';

const run = promisify(execFile);
const HOLDER_CARD = readFileSync(new URL('../schema/operations/HolderCard.graphql', import.meta.url), 'utf8');
const signer = auditSigner(DEV_ONLY_AUDIT_LOG_KEY);
const log = createLogger('test-audit');

/**
 * Issue 15.5: the access log against someone who can run any SQL as the tables' owner but does not hold
 * AUDIT_LOG_KEY. On Postgres the graph serves as a runtime role of the test's own, which the migration (run as an
 * owner role, also the test's own) granted INSERT and SELECT only on the log; the owner then tampers. On PGlite, one
 * user is both.
 */
let fresh: Awaited<ReturnType<typeof freshDatabase>>;
/** The owner's connection (migrations, tampering) and the runtime's (serving). The same client on PGlite. */
let owner: SqlClient;
let runtime: SqlClient;
let ownerUrl: string | undefined;
const roles = { owner: `renkei_owner_${randomBytes(5).toString('hex')}`, runtime: `renkei_runtime_${randomBytes(5).toString('hex')}` };
let admin: postgres.Sql | undefined;

const roleUrl = (url: string, role: string) => Object.assign(new URL(url), { username: role, password: '' }).toString();

beforeAll(async () => {
  fresh = await freshDatabase();
  if (testDbKind === 'postgres') {
    admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role ${roles.owner} login`);
    await admin.unsafe(`create role ${roles.runtime} login`);
    await admin.unsafe(`alter database ${new URL(fresh.url!).pathname.slice(1)} owner to ${roles.owner}`);
    ownerUrl = roleUrl(fresh.url!, roles.owner);
    owner = await openPostgres(ownerUrl, { max: 2 });
    await migrateAll(owner, { runtimeRole: roles.runtime });
    runtime = await openPostgres(roleUrl(fresh.url!, roles.runtime), { max: 5 });
  } else {
    owner = runtime = fresh.client;
    await migrateAll(owner);
  }
  // The whole graph serves as the runtime role: what it needs, the grants give it.
  await seedDemo(runtime);
  const ca = await testCa();
  const stack = await startStack({
    client: runtime,
    clock: manualClock(TEST_NOW),
    config: parseConfig({ NODE_ENV: 'test' }),
    trust: trustStoreFromPem(ca.certPem),
  });
  const supervisor = { role: 'SUPERVISOR' as const, prefecture: '13' };
  for (const n of [1, 3, 4, 6, 7, 1, 4]) {
    const r = await gql(stack.gatewayUrl, supervisor, HOLDER_CARD, { id: demoId(n) });
    expect(r.errors).toBeUndefined();
  }
  // Stopping writes each writer's last checkpoint: the log at rest, fully signed.
  await stack.stop();
  await ownerDo('create table public.records_kept as select * from audit.access_records');
  await ownerDo('create table public.heads_kept as select * from audit.chain_heads');
}, 180_000);

afterAll(async () => {
  if (testDbKind === 'postgres') {
    await runtime?.close();
    await owner?.close();
  }
  await fresh?.drop();
  if (admin) {
    await admin.unsafe(`drop role if exists ${roles.runtime}`);
    await admin.unsafe(`drop role if exists ${roles.owner}`);
    await admin.end();
  }
});

const ownerDb = (): Db => owner.drizzle();
const ownerDo = (statement: string) => ownerDb().execute(sql.raw(statement));

/** Puts the log back as the graph left it, with the owner's power to switch the triggers off. */
async function restore() {
  await tamper(
    'delete from audit.access_records',
    'delete from audit.chain_heads',
    'insert into audit.access_records select * from public.records_kept',
    'insert into audit.chain_heads select * from public.heads_kept',
  );
}

/** As the owner would: the append-only triggers switched off, the statements run, the triggers back on. */
async function tamper(...statements: string[]) {
  await ownerDo('alter table audit.access_records disable trigger user');
  await ownerDo('alter table audit.chain_heads disable trigger user');
  for (const s of statements) await ownerDo(s);
  await ownerDo('alter table audit.access_records enable trigger user');
  await ownerDo('alter table audit.chain_heads enable trigger user');
}

type Row = { seq: number; chain: string; chain_seq: number; hash: string; mac: string | null };
async function records(): Promise<Row[]> {
  const rows = await executeRows<Row>(ownerDb(), sql`select seq, chain, chain_seq, hash, mac from audit.access_records order by seq`);
  return rows.map((r) => ({ ...r, seq: Number(r.seq), chain_seq: Number(r.chain_seq) }));
}
async function checkpoints(): Promise<{ n: number; chain: string; chain_seq: number }[]> {
  const rows = await executeRows<{ n: string; chain: string; chain_seq: string }>(ownerDb(), sql`select n, chain, chain_seq from audit.chain_heads order by n`);
  return rows.map((r) => ({ n: Number(r.n), chain: r.chain, chain_seq: Number(r.chain_seq) }));
}
function byChain(rows: Row[]): Map<string, Row[]> {
  const chains = new Map<string, Row[]>();
  for (const r of rows) chains.set(r.chain, [...(chains.get(r.chain) ?? []), r]);
  return chains;
}
/** The chain with the most records, and its records in order. */
async function longestChain(): Promise<Row[]> {
  return [...byChain(await records()).values()].sort((a, b) => b.length - a.length)[0]!;
}

/** `npm run audit:verify` as an operator runs it, on Postgres (the embedded database is this process's own). */
async function verifyScript(args: string[] = []): Promise<{ code: number; line: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: ownerUrl!, LOG_LEVEL: 'error' },
    });
    return { code: 0, line: stdout.trim().split('\n')[0]! };
  } catch (e) {
    const failed = e as { code: number; stdout: string };
    return { code: failed.code, line: failed.stdout.trim().split('\n')[0]! };
  }
}
const onPostgres = testDbKind === 'postgres';

describe('security: the access log against its database owner (issue 15.5)', () => {
  it('security: a clean log verifies, every chain signed, by the library and by npm run audit:verify', async () => {
    await restore();
    const r = await verifyAccessLog(ownerDb(), signer, { pageSize: 7 });
    expect(r.broken).toBeNull();
    expect(r.chains).toBeGreaterThanOrEqual(3);
    expect(r.checked).toBe((await records()).length);
    expect(r.lastCheckpoint?.n).toBe((await checkpoints()).length);
    // Every commit's last record carries a MAC, and each chain's last record is a signed head.
    for (const rows of byChain(await records()).values()) expect(rows.at(-1)!.mac).toMatch(/^[0-9a-f]{64}$/);
    // The wrong key verifies nothing.
    expect((await verifyAccessLog(ownerDb(), auditSigner('x'.repeat(40)))).broken?.problem).toBe('CHECKPOINT_MAC_MISMATCH');
    if (onPostgres) {
      const script = await verifyScript(['--max-age', '3600']);
      expect(script.code).toBe(0);
      expect(script.line).toMatch(/^audit:verify ok: \d+ records in \d+ chains, every chain intact and signed; last checkpoint \d+ signed at /);
    }
  });

  it.skipIf(!onPostgres)('security: the runtime role may INSERT and SELECT the access log, never UPDATE, DELETE, TRUNCATE or ALTER it', async () => {
    const db = runtime.drizzle();
    for (const table of ['audit.access_records', 'audit.chain_heads']) {
      for (const statement of [
        `update ${table} set chain = chain`,
        `delete from ${table}`,
        `truncate ${table}`,
        `alter table ${table} disable trigger user`,
        `alter table ${table} add column x text`,
        `drop table ${table}`,
      ]) {
        await expect(db.execute(sql.raw(statement)), statement).rejects.toMatchObject({ cause: { code: '42501' } });
      }
      await expect(db.execute(sql.raw(`select count(*) from ${table}`))).resolves.toBeDefined();
    }
    // Nor can it give itself more: a grant of what it does not hold grants nothing.
    await db.execute(sql.raw(`grant update, delete on audit.access_records to ${roles.runtime}`)).catch(() => {});
    await expect(db.execute(sql.raw('delete from audit.access_records'))).rejects.toMatchObject({ cause: { code: '42501' } });
    await expect(db.execute(sql.raw(`select audit.grant_runtime('${roles.runtime}', '{}')`))).rejects.toMatchObject({ cause: { code: '42501' } });
  });

  it('security: (a) a record edited and rehashed through its chain by the owner is reported, MACs kept or stripped', async () => {
    await restore();
    const chain = await longestChain();
    const edited = chain[1]!;
    await rehashFrom(edited.chain, edited.chain_seq, `set subject = 'someone-else'`);
    // The commit that held the record signed its hash: the rehashed one no longer matches.
    const r = await verifyAccessLog(ownerDb(), signer);
    expect(r.broken).toMatchObject({ problem: 'MAC_MISMATCH' });
    expect(r.broken!.seq).toBeGreaterThanOrEqual(edited.seq);
    if (onPostgres) {
      const script = await verifyScript();
      expect(script.code).toBe(1);
      expect(script.line).toMatch(/^audit:verify BROKEN at record \d+: MAC_MISMATCH/);
    }
    // With the MACs stripped too, the signed head the last checkpoint holds no longer matches.
    await tamper(`update audit.access_records set mac = null where chain = '${edited.chain}'`);
    expect((await verifyAccessLog(ownerDb(), signer)).broken).toMatchObject({ problem: 'HEAD_MISMATCH' });
  });

  it('security: (b) a whole chain deleted, records and its signed checkpoints, is reported', async () => {
    await restore();
    const [first] = await checkpoints();
    // Its records only: the checkpoints still name its head.
    await tamper(`delete from audit.access_records where chain = '${first!.chain}'`);
    expect((await verifyAccessLog(ownerDb(), signer)).broken).toEqual({ chain: first!.chain, problem: 'CHAIN_MISSING' });
    // Its checkpoints too: the list's MAC chain breaks where the first of them was.
    await tamper(`delete from audit.chain_heads where chain = '${first!.chain}'`);
    const r = await verifyAccessLog(ownerDb(), signer);
    expect(r.broken).toEqual({ checkpoint: first!.n + 1, problem: 'CHECKPOINT_MISSING' });
    if (onPostgres) {
      const script = await verifyScript();
      expect(script.code).toBe(1);
      expect(script.line).toMatch(new RegExp(`^audit:verify BROKEN at checkpoint ${first!.n + 1}: CHECKPOINT_MISSING`));
    }
  });

  it("security: (c) a chain's tail cut is reported, and so is a cut of the whole log after a checkpoint (stale)", async () => {
    await restore();
    const chain = await longestChain();
    const cutFrom = chain.at(-2)!;
    await tamper(`delete from audit.access_records where chain = '${cutFrom.chain}' and chain_seq >= ${cutFrom.chain_seq}`);
    expect((await verifyAccessLog(ownerDb(), signer)).broken).toEqual({ chain: cutFrom.chain, chainSeq: cutFrom.chain_seq, problem: 'TAIL_CUT' });
    if (onPostgres) {
      const script = await verifyScript();
      expect(script.code).toBe(1);
      expect(script.line).toMatch(
        new RegExp(
          `^audit:verify BROKEN in chain ${cutFrom.chain} from position ${cutFrom.chain_seq}: TAIL_CUT \\(${(await records()).length} records before it hold; last checkpoint \\d+ signed at `,
        ),
      );
    }

    // Everything after a checkpoint cut, records and checkpoints: what is left is consistent, and its last checkpoint is
    // older than the writers' interval allows.
    await restore();
    const kept = (await checkpoints()).find((c) => c.chain_seq > 0)!;
    const keptAt = await executeRows<{ at: Date | string }>(ownerDb(), sql`select at from audit.chain_heads where n = ${kept.n}`);
    await tamper(
      `delete from audit.chain_heads where n > ${kept.n}`,
      `delete from audit.access_records where seq > (select seq from audit.access_records where chain = '${kept.chain}' and chain_seq = ${kept.chain_seq})`,
    );
    const at = new Date(keptAt[0]!.at);
    const r = await verifyAccessLog(ownerDb(), signer, { now: new Date(at.getTime() + 5 * 60_000), maxCheckpointAgeMs: 2 * 60_000 });
    expect(r.problems.map((p) => p.problem)).toContain('STALE_CHECKPOINT');
    expect(r.lastCheckpoint).toMatchObject({ n: kept.n, at });
    if (onPostgres) {
      const script = await verifyScript(['--max-age', '0']);
      expect(script.code).toBe(1);
      expect(script.line).toMatch(new RegExp(`STALE_CHECKPOINT .*last checkpoint ${kept.n} signed at ${at.toISOString()}`));
    }
  });

  it('security: records appended by the owner, hashed and linked but without the key, are reported unsigned', async () => {
    await restore();
    const chain = await longestChain();
    const last = chain.at(-1)!;
    const forged = { chain: last.chain, chainSeq: last.chain_seq + 1, prevHash: last.hash, ...recordColumns() };
    const hash = recordHash(forged);
    await ownerDo(`insert into audit.access_records (chain, chain_seq, id, at, request_id, service, subject, role, prefecture, holder_id, action, fields, purpose,
        identity_verification, outcome, prev_hash, hash) values ('${forged.chain}', ${forged.chainSeq}, '${forged.id}', '${forged.at.toISOString()}', '${forged.requestId}', 'driver',
        'someone', 'NPA_ADMIN', null, '${forged.holderId}', 'READ', '{name}', 'AUDIT', null, 'ALLOWED', '${forged.prevHash}', '${hash}')`);
    expect((await verifyAccessLog(ownerDb(), signer)).broken).toEqual({ chain: last.chain, chainSeq: forged.chainSeq, problem: 'UNSIGNED_RECORD' });
  });
});

describe('security: checkpoints while the writers run', () => {
  it("security: a cut of the checkpoint list shows at a running writer's next checkpoint, however the rest is made consistent", async () => {
    await restore();
    const writer = new AccessLogWriter(runtime.drizzle(), { signer, checkpointIntervalMs: 3_600_000, log });
    await record(writer, 2);
    await writer.checkpoint();
    await record(writer, 1);
    await writer.checkpoint();
    expect((await verifyAccessLog(ownerDb(), signer)).broken).toBeNull();
    // The owner cuts the list's tail back before the writer's last checkpoint; the writer goes on signing.
    const all = await checkpoints();
    await tamper(`delete from audit.chain_heads where n >= ${all.at(-1)!.n}`);
    await writer.checkpoint();
    expect((await verifyAccessLog(ownerDb(), signer)).broken).toEqual({ checkpoint: all.at(-1)!.n, problem: 'CHECKPOINT_MISSING' });
    await writer.stop();
  });

  it('R-INQ-1: the chain global, written before signing began, is adopted by the first checkpoint and stays verifiable', async () => {
    const db = testDbKind === 'postgres' ? null : await openPglite();
    const scratch = db ? db.drizzle() : ownerDb();
    if (!db) await tamper('delete from audit.access_records', 'delete from audit.chain_heads');
    else await migrateAll(db);
    try {
      // Rows as the one-chain version wrote them: chain "global", positioned by their insertion number.
      let prevHash = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq++) {
        const r = { chain: LEGACY_CHAIN, chainSeq: seq, prevHash, ...recordColumns() };
        const hash = recordHash(r);
        await scratch.execute(sql`insert into audit.access_records (seq, chain, chain_seq, id, at, request_id, service, subject, role, prefecture, holder_id,
            action, fields, purpose, identity_verification, outcome, prev_hash, hash) values (${seq}, ${r.chain}, ${seq}, ${r.id}, ${r.at.toISOString()},
            ${r.requestId}, ${r.service}, ${r.subject}, ${r.role}, null, ${r.holderId}, 'READ', '{name}', 'AUDIT', null, 'ALLOWED', ${prevHash}, ${hash})`);
        prevHash = hash;
      }
      await scratch.execute(sql`select setval('audit.access_records_seq_seq', 4, false)`);
      const before = await verifyAccessLog(scratch, signer);
      expect(before.broken).toBeNull();
      expect(before.lastCheckpoint).toBeNull();
      const writer = new AccessLogWriter(db ? scratch : runtime.drizzle(), { signer, checkpointIntervalMs: 3_600_000, log });
      await record(writer, 2);
      await writer.stop();
      const after = await verifyAccessLog(scratch, signer);
      expect(after.broken).toBeNull();
      expect(after.chains).toBe(2);
      // From now on "global" is signed: rewritten and rehashed whole, it no longer matches its adopted head.
      const adopted = await executeRows<{ chain_seq: string }>(scratch, sql`select chain_seq from audit.chain_heads where chain = ${LEGACY_CHAIN}`);
      expect(adopted.map((a) => Number(a.chain_seq))).toEqual([3]);
      const rewrite = async (statement: string) => {
        await scratch.execute(sql.raw('alter table audit.access_records disable trigger user'));
        await scratch.execute(sql.raw(statement));
        await scratch.execute(sql.raw('alter table audit.access_records enable trigger user'));
      };
      await rewrite(`update audit.access_records set subject = 'someone-else' where chain = 'global' and chain_seq = 1`);
      await rehashChain(scratch, LEGACY_CHAIN, 1, rewrite);
      expect((await verifyAccessLog(scratch, signer)).broken).toMatchObject({ problem: 'HEAD_MISMATCH' });
    } finally {
      await db?.close();
    }
  });
});

function recordColumns() {
  return {
    id: randomUUID(),
    at: new Date('2026-04-01T00:00:00Z'),
    requestId: 'r',
    service: 'driver',
    subject: 'someone',
    role: 'NPA_ADMIN',
    prefecture: null,
    holderId: demoId(1),
    action: 'READ',
    fields: ['name'],
    purpose: 'AUDIT',
    identityVerification: null,
    outcome: 'ALLOWED',
  };
}

/** Appends `n` requests' records through a writer, as a subgraph would. */
async function record(writer: AccessLogWriter, n: number) {
  for (let i = 0; i < n; i++) {
    const recorder = new AccessRecorder(
      { identity: { subject: 'auditor-1', role: 'AUDITOR', prefecture: null }, purpose: 'AUDIT', identityVerification: null, requestId: `w-${i}` },
      new Date(),
      'driver',
    );
    recorder.note(demoId(1), 'READ', 'ALLOWED', ['name']);
    await recorder.flush(writer);
  }
}

/** Edits one record with `set …`, then recomputes its hash and every later one of its chain, as an owner could. */
async function rehashFrom(chain: string, fromSeq: number, set: string) {
  await tamper(`update audit.access_records ${set} where chain = '${chain}' and chain_seq = ${fromSeq}`);
  await rehashChain(ownerDb(), chain, fromSeq, (s) => tamper(s));
}

async function rehashChain(db: Db, chain: string, fromSeq: number, run: (statement: string) => Promise<unknown>) {
  const rows = await db.execute(sql`select * from audit.access_records where chain = ${chain} order by chain_seq`);
  const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: unknown[] }).rows) as Record<string, unknown>[];
  let prevHash = GENESIS_HASH;
  for (const r of list) {
    const chainSeq = Number(r.chain_seq);
    if (chainSeq >= fromSeq) {
      const hash = recordHash({
        chain,
        chainSeq,
        id: r.id as string,
        at: new Date(r.at as string),
        requestId: r.request_id as string,
        service: r.service as string,
        subject: r.subject as string,
        role: r.role as string,
        prefecture: (r.prefecture as string | null) ?? null,
        holderId: r.holder_id as string,
        action: r.action as string,
        fields: r.fields as string[],
        purpose: (r.purpose as string | null) ?? null,
        identityVerification: (r.identity_verification as string | null) ?? null,
        outcome: r.outcome as string,
        prevHash,
      });
      await run(`update audit.access_records set prev_hash = '${prevHash}', hash = '${hash}' where chain = '${chain}' and chain_seq = ${chainSeq}`);
      prevHash = hash;
    } else {
      prevHash = r.hash as string;
    }
  }
}
