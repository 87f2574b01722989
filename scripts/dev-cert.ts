/**
 * `npm run --silent dev:cert -- --serial S --name N --address A --birth-date YYYY-MM-DD [--not-before ISO]
 * [--not-after ISO] [--kind card|mobile] [--card-serial C] --out DIR`: writes DIR/cert.pem and DIR/key.pem, a
 * signature certificate issued by the dev J-LIS CA that `npm start` trusts (the CA under DATA_DIR, created if
 * missing). `--kind mobile --card-serial C` issues a 移動端末設備用署名用電子証明書 linked to the card certificate C
 * (R-CERT-4); `--kind card` (the default) a 個人番号カード用署名用電子証明書.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevCa, mintSignatureCertificate } from '../lib/domain/certificates/dev-ca.js';
import { config } from '../lib/platform/config.js';
import { isValidIsoDate } from '../lib/platform/japan-date.js';

function fail(message: string): never {
  console.error(`dev:cert: ${message}`);
  console.error(
    'usage: npm run --silent dev:cert -- --serial S --name N --address A --birth-date YYYY-MM-DD [--not-before ISO] [--not-after ISO] [--kind card|mobile] [--card-serial C] --out DIR',
  );
  process.exit(2);
}

const { values: v } = parseArgs({
  options: {
    serial: { type: 'string' },
    name: { type: 'string' },
    address: { type: 'string' },
    'birth-date': { type: 'string' },
    'not-before': { type: 'string' },
    'not-after': { type: 'string' },
    kind: { type: 'string', default: 'card' },
    'card-serial': { type: 'string' },
    out: { type: 'string' },
  },
  strict: true,
});
if (!v.serial || !/^[0-9A-Fa-f]{2,40}$/.test(v.serial)) fail('--serial must be 2-40 hexadecimal digits');
if (!v.name) fail('--name is required');
if (!v.address) fail('--address is required');
if (!v['birth-date'] || !isValidIsoDate(v['birth-date'])) fail('--birth-date must be YYYY-MM-DD');
if (!v.out) fail('--out is required');
if (v.kind !== 'card' && v.kind !== 'mobile') fail('--kind must be card or mobile');
if (v.kind === 'mobile' && (!v['card-serial'] || !/^[0-9A-Fa-f]{2,40}$/.test(v['card-serial']))) {
  fail("--kind mobile needs --card-serial, the card certificate's serial in 2-40 hexadecimal digits");
}
if (v.kind === 'card' && v['card-serial'] !== undefined) fail('--card-serial is for --kind mobile only');
const instant = (s: string | undefined, flag: string) => {
  if (s === undefined) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) fail(`${flag} must be an ISO 8601 instant`);
  return d;
};
const cfg = config();
if (cfg.NODE_ENV === 'production') fail('the dev CA does not exist in production');
const ca = await ensureDevCa(cfg.DATA_DIR);
const { certPem, keyPem } = await mintSignatureCertificate(ca, {
  serial: v.serial.toUpperCase(),
  name: v.name,
  address: v.address,
  birthDate: v['birth-date'],
  notBefore: instant(v['not-before'], '--not-before'),
  notAfter: instant(v['not-after'], '--not-after'),
  kind: v.kind === 'mobile' ? 'MOBILE' : 'CARD',
  cardSerial: v['card-serial']?.toUpperCase(),
});
mkdirSync(v.out, { recursive: true });
writeFileSync(join(v.out, 'cert.pem'), certPem);
writeFileSync(join(v.out, 'key.pem'), keyPem, { mode: 0o600 });
const linked = v.kind === 'mobile' ? `, a 移動端末設備用署名用電子証明書 linked to card certificate ${v['card-serial']!.toUpperCase()}` : '';
console.error(`dev:cert: wrote ${join(v.out, 'cert.pem')} and key.pem (serial ${v.serial.toUpperCase()}${linked})`);
