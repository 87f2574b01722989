import { spawn } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { signJlisNotificationAsync, type SignedJlisFields } from '../lib/certificates/jlis-feed.js';
import { japanDate } from '../lib/japan-date.js';
import { bulkSerial } from '../seeds/bulk-holders.js';
import { fixed, jsonLine, table } from './support/report.js';
import { benchLogLevel, nodeArgs } from './support/processes.js';
import type { BenchSubgraphs } from './support/stack.js';

interface Summary {
  lines: number;
  sent: number;
  outcomes: Record<string, number>;
  badLines: number;
}

/**
 * A J-LIS file as the feed sends it, filed today (so the changes fall due in two days, R-ONE-5): a renewal with a
 * new address for each of `holders`, a revocation of every 100th new certificate, two bad lines. Every good line is
 * signed as J-LIS signs it, with the run's feed key (BENCH_JLIS_FEED_KEY_FILE, bench/support/production.ts).
 */
export async function writeJlisFile(path: string, holders: number, lines: number, keyFile = process.env.BENCH_JLIS_FEED_KEY_FILE): Promise<void> {
  const filedOn = japanDate(new Date());
  if (!keyFile) throw new Error('BENCH_JLIS_FEED_KEY_FILE is not set: the J-LIS file cannot be signed');
  const key = createPrivateKey(readFileSync(keyFile, 'utf8'));
  const notifications: SignedJlisFields[] = [];
  for (let i = 0; notifications.length < lines - 2; i++) {
    const h = i % holders;
    const serial = `D${String(i).padStart(9, '0')}`;
    notifications.push({
      notificationId: `J-${String(i).padStart(8, '0')}`, kind: 'CERTIFICATE_RENEWED', previousSerial: bulkSerial(h), serial,
      notBefore: '2026-03-18T00:00:00+09:00', notAfter: '2031-03-18T00:00:00+09:00', address: `東京都港区芝${(h % 9) + 1}-${h}`, filedOn,
    });
    if (i % 100 === 50 && notifications.length < lines - 2) notifications.push({ notificationId: `R-${i}`, kind: 'CERTIFICATE_REVOKED', previousSerial: serial, filedOn });
  }
  // Signed in the thread pool, a thousand at a time: an RSA signature takes a millisecond or so.
  const out: string[] = [];
  for (let i = 0; i < notifications.length; i += 1000) {
    const chunk = notifications.slice(i, i + 1000);
    const signatures = await Promise.all(chunk.map((n) => signJlisNotificationAsync(n, key)));
    chunk.forEach((n, j) => {
      out.push(JSON.stringify({ ...n, signature: signatures[j] }));
    });
  }
  out.push('{not json', JSON.stringify({ notificationId: 'J-BAD', kind: 'CERTIFICATE_RENEWED', previousSerial: 'C0', filedOn: '2026-03-18' }));
  writeFileSync(path, `${out.join('\n')}\n`);
}

/** `npm run jlis:import -- FILE` as its own process; the time is from start to exit, process start included. */
function importFile(file: string, gatewayUrl: string): Promise<{ seconds: number; summary: Summary }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs('scripts/jlis-import.ts'), file], {
    env: { NODE_ENV: 'test', ...process.env, LOG_LEVEL: benchLogLevel(), GATEWAY_URL: gatewayUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"summary"'));
      if (code !== 0 || !line) return reject(new Error(`jlis:import exited ${code}: ${err}`));
      resolve({ seconds: (performance.now() - started) / 1000, summary: (JSON.parse(line) as { summary: Summary }).summary });
    }),
  );
}

/**
 * Benchmark 4: notifications per second through `npm run jlis:import` into the graph, then the same file again,
 * which must change nothing (exactly once, R-ONE-7): every notification DUPLICATE, the ledger and the scheduled
 * record imports as after the first run.
 */
export async function jlisIngestBench(subgraphs: BenchSubgraphs, opts: { holders: number; lines: number; databaseUrl?: string }) {
  const file = join(mkdtempSync(join(tmpdir(), 'renkei-bench-jlis-')), 'feed.jsonl');
  await writeJlisFile(file, opts.holders, opts.lines);
  const counts = async () => {
    if (!opts.databaseUrl) return null;
    const sql = postgres(opts.databaseUrl, { max: 1, onnotice: () => {} });
    const [ledger] = await sql`select count(*)::int as n from consent.jlis_notifications`;
    const [imports] = await sql`select count(*)::int as n from driver.record_imports where source = 'ADDRESS_ONE_STOP'`;
    await sql.end();
    return { ledger: ledger!.n as number, imports: imports!.n as number };
  };
  const first = await importFile(file, subgraphs.gatewayUrl);
  const afterFirst = await counts();
  const second = await importFile(file, subgraphs.gatewayUrl);
  const afterSecond = await counts();
  const exactlyOnce =
    second.summary.outcomes.DUPLICATE === first.summary.sent &&
    Object.keys(second.summary.outcomes).length === 1 &&
    (afterFirst === null || (afterFirst.ledger === first.summary.sent && JSON.stringify(afterFirst) === JSON.stringify(afterSecond)));
  if (!exactlyOnce) throw new Error(`exactly-once broken: ${JSON.stringify({ first: first.summary, second: second.summary, afterFirst, afterSecond })}`);
  const rate = first.summary.sent / first.seconds;
  table(
    `4. J-LIS ingest — npm run jlis:import of a ${opts.lines.toLocaleString('en-US')}-line file, database ${subgraphs.database}`,
    ['run', 'notifications', 'seconds', 'notifications/s', 'outcomes'],
    [
      ['first', first.summary.sent, first.seconds.toFixed(1), rate.toFixed(0), JSON.stringify(first.summary.outcomes)],
      ['again (nothing new)', second.summary.sent, second.seconds.toFixed(1), (second.summary.sent / second.seconds).toFixed(0), JSON.stringify(second.summary.outcomes)],
    ],
  );
  jsonLine('jlis-ingest', { database: subgraphs.database, lines: opts.lines, notificationsPerSecond: Math.round(rate), seconds: fixed(first.seconds), exactlyOnce, target: 5000 });
}
