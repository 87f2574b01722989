/**
 * `npm run --silent dev:jlis-sign -- IN.jsonl > OUT.jsonl`: DEVELOPMENT ONLY. Signs every line of a J-LIS file (API.md)
 * as J-LIS would, with the dev J-LIS feed key under DATA_DIR that development processes trust (made on first use),
 * so that a hand-written file can be fed with `npm run jlis:import`. A line that is not a JSON object is copied as it
 * is (jlis:import reports it); a signature already there is replaced. Refused when NODE_ENV=production: production
 * trusts only J-LIS's own keys, and nothing here may stand in for them.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { config } from '../lib/platform/config.js';
import { ensureDevJlisFeedKey, signedJlisLine, type SignedJlisFields } from '../lib/domain/certificates/jlis-feed.js';

const file = process.argv[2];
const cfg = config();
if (!file) {
  console.error('usage: npm run --silent dev:jlis-sign -- IN.jsonl > OUT.jsonl');
  process.exit(2);
}
if (cfg.NODE_ENV === 'production') {
  console.error('dev:jlis-sign: refused with NODE_ENV=production; J-LIS signs its own files');
  process.exit(2);
}
const { privateKeyPem } = ensureDevJlisFeedKey(cfg.DATA_DIR);
for await (const line of createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })) {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    process.stdout.write(`${line}\n`);
    continue;
  }
  const { signature: _old, ...fields } = value as SignedJlisFields & { signature?: unknown };
  process.stdout.write(`${JSON.stringify(signedJlisLine(fields, privateKeyPem))}\n`);
}
