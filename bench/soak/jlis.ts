import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signJlisNotificationAsync, type SignedJlisFields } from '../../lib/domain/certificates/jlis-feed.js';
import { addDays, japanDate } from '../../lib/platform/japan-date.js';
import { importFile, type Summary } from '../jlis-ingest.js';
import type { SoakContext, SoakHolder } from './context.js';

export interface FileRun {
  file: number;
  /** When the import started, in seconds of the open loop. */
  at: number;
  lines: number;
  seconds: number;
  summary: Summary | null;
  error: string | null;
}

/**
 * The J-LIS feed during the soak: every `everyMs` a small signed file, written for up to `perFile` idle holders with
 * an active consent and imported by `npm run jlis:import` as its own process, as the feed runs deployed. Each holder
 * gets a renewal with a new address (J-LIS issues a new certificate on a move): four in five filed two days ago, so
 * the change falls due today and is written at once, one in five filed today, so it waits two days as PENDING; every
 * tenth certificate so renewed is revoked again in the same file (the consent then awaits its successor), and one
 * line is not JSON, which jlis:import reports and does not send. The holders stay busy until the import has ended,
 * so no procedure changes what the file was written against.
 */
export function jlisFeeder(ctx: SoakContext, opts: { gatewayUrl: string; dir: string; everyMs: number; perFile: number }) {
  let t0 = 0;
  const keyFile = process.env.BENCH_JLIS_FEED_KEY_FILE;
  if (!keyFile) throw new Error('BENCH_JLIS_FEED_KEY_FILE is not set: the J-LIS files cannot be signed');
  const key = createPrivateKey(readFileSync(keyFile, 'utf8'));
  const runs: FileRun[] = [];
  let serials = 0;
  let files = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  async function feedOnce(): Promise<void> {
    const n = ++files;
    const at = (performance.now() - t0) / 1000;
    const holders: SoakHolder[] = [];
    while (holders.length < opts.perFile) {
      const h = ctx.take((x) => !!x.consent?.active);
      if (!h) break;
      holders.push(h);
    }
    if (holders.length === 0) {
      runs.push({ file: n, at, lines: 0, seconds: 0, summary: null, error: 'no idle holder with an active consent' });
      return;
    }
    const today = japanDate(new Date());
    const lines: SignedJlisFields[] = [];
    const follows = new Map<SoakHolder, string>();
    holders.forEach((h, i) => {
      const serial = `7E${(++serials).toString(16).toUpperCase().padStart(10, '0')}`;
      const filedToday = i % 5 === 4;
      const filedOn = filedToday ? today : addDays(today, -2);
      const notificationId = `SOAK-${n}-${i}`;
      lines.push({
        notificationId,
        kind: 'CERTIFICATE_RENEWED',
        previousSerial: h.consent!.follows,
        serial,
        notBefore: `${filedOn}T00:00:00+09:00`,
        notAfter: `${addDays(filedOn, 5 * 365)}T00:00:00+09:00`,
        address: `東京都港区芝${n}-${i}`,
        filedOn,
      });
      ctx.expected.jlis.set(notificationId, { outcome: 'SCHEDULED', importStatus: filedToday ? 'PENDING' : 'APPLIED' });
      if (i % 10 === 9) {
        lines.push({ notificationId: `SOAK-${n}-${i}-R`, kind: 'CERTIFICATE_REVOKED', previousSerial: serial, filedOn: today });
        ctx.expected.jlis.set(`SOAK-${n}-${i}-R`, { outcome: 'NO_CHANGE', importStatus: null });
      }
      follows.set(h, serial);
    });
    const signatures = await Promise.all(lines.map((l) => signJlisNotificationAsync(l, key)));
    const file = join(opts.dir, `soak-jlis-${n}.jsonl`);
    writeFileSync(file, `${[...lines.map((l, i) => JSON.stringify({ ...l, signature: signatures[i] })), '{not json'].join('\n')}\n`);
    try {
      const r = await importFile(file, opts.gatewayUrl);
      runs.push({ file: n, at, lines: lines.length, seconds: r.seconds, summary: r.summary, error: null });
      for (const [h, serial] of follows) h.consent = { active: true, follows: serial };
      for (const h of holders) h.busy = false;
    } catch (e) {
      runs.push({ file: n, at, lines: lines.length, seconds: 0, summary: null, error: (e as Error).message.slice(0, 300) });
      // What the graph made of the file is unknown: its holders are used no more.
      for (const h of holders) Object.assign(h, { busy: false, retired: true });
    }
  }

  return {
    runs,
    start(firstMs: number) {
      t0 = performance.now();
      const tick = () => {
        // A file still importing when the next is due delays nothing: the next waits for the tick after.
        if (running) return;
        running = feedOnce().finally(() => {
          running = null;
        });
      };
      timer = setTimeout(function again() {
        tick();
        timer = setTimeout(again, opts.everyMs);
      }, firstMs);
    },
    /** Stops the clock and waits for a file in progress, so that what follows sees its outcome. */
    async stop() {
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
