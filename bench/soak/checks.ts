import { spawn } from 'node:child_process';
import type postgres from 'postgres';
import { benchLogLevel, nodeArgs } from '../../devkit/processes.js';
import type { Expectations } from './context.js';
import { queueDepths, type QueueDepths } from './watch.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const empty = (d: QueueDepths) => Object.values(d).every((n) => n === 0);

/** Waits until every queue is empty or `timeoutMs` has passed; how long it took and the depths it ended with. */
export async function drain(sql: postgres.Sql, timeoutMs: number): Promise<{ seconds: number; depths: QueueDepths }> {
  const started = performance.now();
  for (;;) {
    const depths = await queueDepths(sql);
    const seconds = (performance.now() - started) / 1000;
    if (empty(depths) || seconds * 1000 >= timeoutMs) return { seconds, depths };
    await sleep(2_000);
  }
}

/**
 * What the database holds of the soak's work once drained, against what the soak expects: every 本籍 request of its
 * holders settled as its code says, every J-LIS notification it sent in the ledger with the outcome expected and its
 * record import in the state expected, every consent with a newer certificate delivered to the driver record and
 * applied there, no Idempotency-Key left running. A count of things not as expected per kind, and examples.
 */
export async function finalState(sql: postgres.Sql, expected: Expectations, holderIds: readonly string[]) {
  const problems: string[] = [];
  const note = (p: string) => problems.length < 10 && problems.push(p);

  const honseki = await sql<{ id: string; status: string; failure_reason: string | null }[]>`
    select id, status, failure_reason from portal_link.honseki_change_requests where holder_id = any(${holderIds as string[]}::uuid[])`;
  let honsekiWrong = 0;
  for (const r of honseki) {
    const want = expected.honseki.get(r.id);
    const got = r.status === 'FAILED' ? `FAILED:${r.failure_reason}` : r.status;
    if (want !== got) {
      honsekiWrong++;
      note(`本籍 request ${r.id}: ${got}, expected ${want ?? 'no such request'}`);
    }
  }
  honsekiWrong += Math.max(0, expected.honseki.size - honseki.length);

  const ledger = await sql<{ notification_id: string; outcome: string }[]>`
    select notification_id, outcome from consent.jlis_notifications where notification_id like 'SOAK-%'`;
  let jlisWrong = 0;
  for (const r of ledger) {
    const want = expected.jlis.get(r.notification_id)?.outcome;
    if (want !== r.outcome) {
      jlisWrong++;
      note(`J-LIS ${r.notification_id}: ${r.outcome}, expected ${want ?? 'no such line'}`);
    }
  }
  const imports = new Map(
    (
      await sql<{ source_ref: string; status: string }[]>`
        select source_ref, status from driver.record_imports where source = 'ADDRESS_ONE_STOP' and (source_ref like 'SOAK-%' or source_ref like 'consent:%')`
    ).map((r) => [r.source_ref, r.status]),
  );
  let importsWrong = 0;
  for (const [id, e] of expected.jlis) {
    if (e.importStatus && imports.get(id) !== e.importStatus) {
      importsWrong++;
      note(`record import of J-LIS ${id}: ${imports.get(id) ?? 'none'}, expected ${e.importStatus}`);
    }
  }

  const outbox = await sql<{ consent_id: string; delivered: boolean }[]>`
    select consent_id, delivered_at is not null as delivered from consent.record_change_outbox`;
  let outboxWrong = Math.max(0, expected.outboxConsents.size - outbox.length);
  for (const r of outbox) {
    const applied = imports.get(`consent:${r.consent_id}`) === 'APPLIED';
    if (!expected.outboxConsents.has(r.consent_id) || !r.delivered || !applied) {
      outboxWrong++;
      note(`outbox of consent ${r.consent_id}: delivered ${r.delivered}, import ${imports.get(`consent:${r.consent_id}`) ?? 'none'}`);
    }
  }

  const [idem] = await sql<{ total: number; running: number }[]>`
    select count(*)::int as total, count(*) filter (where response is null)::int as running from idempotency.requests`;

  return {
    honseki: {
      expected: expected.honseki.size,
      rows: honseki.length,
      final: honseki.filter((r) => r.status === 'APPLIED' || r.status === 'FAILED').length,
      wrong: honsekiWrong,
    },
    jlis: { sent: expected.jlis.size, ledger: ledger.length, wrong: jlisWrong, importsWrong },
    outbox: { expected: expected.outboxConsents.size, rows: outbox.length, wrong: outboxWrong },
    idempotency: idem!,
    problems,
  };
}

/**
 * `npm run audit:verify -- --max-age 180` as the repository's scripts run (compiled, bench/run.ts builds first),
 * against the soak's database with the run's AUDIT_LOG_KEY: every chain intact and signed, and a checkpoint signed in
 * the last three minutes (the writers sign one a minute), so a writer that stopped checkpointing under load fails too.
 */
export function auditVerify(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...nodeArgs('scripts/audit-verify.ts'), '--max-age', '180'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: benchLogLevel() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output: output.trim().slice(-2000) })));
}
