/**
 * `npm run audit:verify [-- --max-age SECONDS]`: checks the access log with AUDIT_LOG_KEY — every record's hash and
 * link, every commit's MAC, the signed checkpoint list, and every chain against its last signed head — and reports
 * the first thing edited, removed, cut or forged. Prints when the last checkpoint was signed: with `--max-age`, one
 * older than that (or none) fails too, since cutting everything after a checkpoint leaves it stale. Exit code 0 when
 * the log holds, 1 when it does not, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { config, ConfigError } from '../lib/platform/config.js';
import { auditSigner } from '../lib/platform/audit/signing.js';
import { verifyAccessLog, type ChainBreak } from '../lib/platform/audit/verify.js';
import { openConfiguredSqlClient } from '../lib/platform/db/database.js';

const { values } = parseArgs({ options: { 'max-age': { type: 'string' } } });
const maxAge = values['max-age'];
if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge)) {
  console.error('usage: npm run audit:verify [-- --max-age SECONDS]');
  process.exit(2);
}

/** Where a problem is, in the terms of the log: a record number, a chain position, or a checkpoint number. */
function where(b: ChainBreak): string {
  if (b.seq !== undefined) return `at record ${b.seq}`;
  if (b.checkpoint !== undefined && b.chain === undefined) return `at checkpoint ${b.checkpoint}`;
  if (b.chain !== undefined) return `in chain ${b.chain}${b.chainSeq !== undefined ? ` from position ${b.chainSeq}` : ''}`;
  return 'in the checkpoint list';
}

let cfg: ReturnType<typeof config>;
try {
  cfg = config();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(2);
}
const client = await openConfiguredSqlClient(cfg);
try {
  const now = new Date();
  const r = await verifyAccessLog(client.drizzle(), auditSigner(cfg.AUDIT_LOG_KEY), {
    now,
    maxCheckpointAgeMs: maxAge === undefined ? undefined : Number(maxAge) * 1000,
  });
  const last = r.lastCheckpoint
    ? `last checkpoint ${r.lastCheckpoint.n} signed at ${r.lastCheckpoint.at.toISOString()} (${Math.round((now.getTime() - r.lastCheckpoint.at.getTime()) / 1000)} s ago, mac ${r.lastCheckpoint.mac.slice(0, 16)})`
    : 'no checkpoint signed yet';
  if (r.broken) {
    console.log(`audit:verify BROKEN ${where(r.broken)}: ${r.broken.problem} (${r.checked} records before it hold; ${last})`);
    for (const p of r.problems.slice(1, 10)) console.log(`  also ${where(p)}: ${p.problem}`);
    process.exitCode = 1;
  } else {
    console.log(`audit:verify ok: ${r.checked} records in ${r.chains} chains, every chain intact and signed; ${last}`);
  }
} finally {
  await client.close();
}
