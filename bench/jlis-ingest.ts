import { spawn } from 'node:child_process';
import { writeJlisFile } from '../devkit/jlis-file.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { fixed, jsonLine, table } from './support/report.js';
import { benchLogLevel, nodeArgs } from '../devkit/processes.js';
import type { BenchSubgraphs } from './support/stack.js';

export interface Summary {
  lines: number;
  sent: number;
  outcomes: Record<string, number>;
  badLines: number;
}

/** `npm run jlis:import -- FILE` as its own process; the time is from start to exit, process start included. */
export function importFile(file: string, gatewayUrl: string): Promise<{ seconds: number; summary: Summary }> {
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
      [
        'again (nothing new)',
        second.summary.sent,
        second.seconds.toFixed(1),
        (second.summary.sent / second.seconds).toFixed(0),
        JSON.stringify(second.summary.outcomes),
      ],
    ],
  );
  jsonLine('jlis-ingest', {
    database: subgraphs.database,
    lines: opts.lines,
    notificationsPerSecond: Math.round(rate),
    seconds: fixed(first.seconds),
    exactlyOnce,
    target: 5000,
  });
}
