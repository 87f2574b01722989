import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { signJlisNotificationAsync, type SignedJlisFields } from '../lib/domain/certificates/jlis-feed.js';
import { japanDate } from '../lib/platform/japan-date.js';
import { bulkSerial } from '../seeds/bulk-holders.js';

/**
 * A J-LIS file as the feed sends it, filed today (so the changes fall due in two days, R-ONE-5): a renewal with a
 * new address for each of `holders`, a revocation of every 100th new certificate, two bad lines. Every good line is
 * signed as J-LIS signs it, with the run's feed key (BENCH_JLIS_FEED_KEY_FILE, devkit/production.ts).
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
      notificationId: `J-${String(i).padStart(8, '0')}`,
      kind: 'CERTIFICATE_RENEWED',
      previousSerial: bulkSerial(h),
      serial,
      notBefore: '2026-03-18T00:00:00+09:00',
      notAfter: '2031-03-18T00:00:00+09:00',
      address: `東京都港区芝${(h % 9) + 1}-${h}`,
      filedOn,
    });
    if (i % 100 === 50 && notifications.length < lines - 2)
      notifications.push({ notificationId: `R-${i}`, kind: 'CERTIFICATE_REVOKED', previousSerial: serial, filedOn });
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
