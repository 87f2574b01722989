/**
 * `npm run jlis:import -- FILE.jsonl`: feeds a J-LIS file through the gateway as the J-LIS feed, showing progress on
 * a terminal and a summary of outcomes at the end. Safe to rerun after an interruption (R-ONE-7).
 */
import { parseArgs } from 'node:util';
import { MAX_JLIS_BATCH } from '../lib/domain/certificates/jlis-feed.js';
import { config } from '../lib/platform/config.js';
import { createGraphClient, sendsTrustedDocuments } from '../lib/platform/graph-client.js';
import { HEADER } from '../lib/platform/identity/request.js';
import { signDevToken } from '../lib/platform/identity/tokens.js';
import { importJlisFile } from '../workers/jlis-import.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { batch: { type: 'string' }, concurrency: { type: 'string' } } });
const file = positionals[0];
const whole = (text: string | undefined, max: number) => (text === undefined ? undefined : /^\d+$/.test(text) && +text >= 1 && +text <= max ? +text : NaN);
const batchSize = whole(values.batch, MAX_JLIS_BATCH);
const concurrency = whole(values.concurrency, 16);
if (!file || Number.isNaN(batchSize) || Number.isNaN(concurrency)) {
  console.error(`usage: npm run jlis:import -- FILE.jsonl [--batch 1–${MAX_JLIS_BATCH}, default 1000] [--concurrency 1–16, default 4]`);
  process.exit(2);
}
const cfg = config();
const url = cfg.GATEWAY_URL ?? `http://127.0.0.1:${cfg.PORT}/graphql`;
// Production supplies the feed's own token; development signs one with the dev key.
const token = process.env.JLIS_FEED_TOKEN ?? (await signDevToken({ role: 'JLIS_FEED', subject: 'jlis-import' }, { nodeEnv: cfg.NODE_ENV }));
const tty = process.stderr.isTTY;
const started = Date.now();
const fmt = (n: number) => n.toLocaleString('en-US');

try {
  const summary = await importJlisFile({
    file,
    graph: createGraphClient(() => url, { timeoutMs: 120_000, trustedDocuments: sendsTrustedDocuments(cfg) }),
    headers: async () => ({ [HEADER.authorization]: `Bearer ${token}`, [HEADER.purpose]: 'SYSTEM' }),
    batchSize,
    concurrency,
    onProgress: (p) => {
      const rate = p.sent / Math.max(0.001, (Date.now() - started) / 1000);
      const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 100;
      const line = `jlis:import ${pct}%  ${fmt(p.sent)} notifications sent, ${fmt(p.lines)} lines read, ${fmt(Math.round(rate))}/s`;
      if (tty) process.stderr.write(`\r${line}`);
      else process.stderr.write(`${line}\n`);
    },
  });
  if (tty) process.stderr.write('\n');
  const seconds = (Date.now() - started) / 1000;
  console.log(`jlis:import done: ${fmt(summary.lines)} lines, ${fmt(summary.sent)} notifications in ${seconds.toFixed(1)}s`);
  for (const [outcome, n] of Object.entries(summary.outcomes).sort()) console.log(`  ${outcome.padEnd(10)} ${fmt(n)}`);
  for (const [reason, n] of Object.entries(summary.reasons).sort()) console.log(`    ${reason}: ${fmt(n)}`);
  if (summary.badLines.length > 0) {
    console.log(`  bad lines  ${fmt(summary.badLines.length)} (not sent)`);
    for (const b of summary.badLines.slice(0, 20)) console.log(`    line ${b.line}: ${b.problem}`);
    if (summary.badLines.length > 20) console.log(`    … ${fmt(summary.badLines.length - 20)} more`);
  }
  console.log(JSON.stringify({ summary: { lines: summary.lines, sent: summary.sent, outcomes: summary.outcomes, badLines: summary.badLines.length } }));
} catch (e) {
  if (tty) process.stderr.write('\n');
  console.error(`jlis:import stopped: ${(e as Error).message}. Rerun the same file to finish; nothing is applied twice.`);
  process.exit(1);
}
