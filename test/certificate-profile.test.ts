import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDevCa } from '../lib/domain/certificates/dev-ca.js';
import { trustStoreFromPem, verifySignatureCertificate } from '../lib/domain/certificates/verify.js';
import { CERTIFICATE_POLICY, x509 } from '../lib/domain/certificates/x509.js';
import { certFor, certWithExtensions } from './support/certificates.js';

const person = { name: '伊藤 健', birthDate: '2001-08-15' };
const now = new Date('2026-04-01T00:00:00Z');
const ku = (flags: number) => new x509.KeyUsagesExtension(flags, true);
const SIGN = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;

describe('R-CERT-2: only an end-entity 署名用電子証明書 passes the certificate check', async () => {
  const ca = await createDevCa();
  const trust = trustStoreFromPem(ca.certPem);
  const check = (pem: string, kinds?: ('CARD' | 'MOBILE')[]) => verifySignatureCertificate(pem, { trust, now, kinds });
  const code = (pem: string, kinds?: ('CARD' | 'MOBILE')[]) => {
    const r = check(pem, kinds);
    return r.ok ? 'OK' : r.code;
  };

  it("R-CERT-2: the J-LIS CA's own certificate is not a signature certificate", () => {
    expect(code(ca.certPem)).toBe('CERTIFICATE_NOT_FOR_SIGNATURE');
  });

  it("R-CERT-2: a CA certificate carrying a person's subject (basicConstraints cA true) is refused", async () => {
    const pem = await certWithExtensions(ca, person, [
      new x509.BasicConstraintsExtension(true, 0, true),
      ku(SIGN),
      new x509.CertificatePolicyExtension([CERTIFICATE_POLICY.CARD]),
    ]);
    expect(code(pem)).toBe('CERTIFICATE_NOT_FOR_SIGNATURE');
  });

  it('R-CERT-2: a certificate without the signature key usages, or with certificate signing, is refused', async () => {
    const policy = new x509.CertificatePolicyExtension([CERTIFICATE_POLICY.CARD]);
    expect(code(await certWithExtensions(ca, person, [ku(x509.KeyUsageFlags.keyEncipherment), policy]))).toBe('CERTIFICATE_NOT_FOR_SIGNATURE');
    expect(code(await certWithExtensions(ca, person, [policy]))).toBe('CERTIFICATE_NOT_FOR_SIGNATURE');
    expect(code(await certWithExtensions(ca, person, [ku(SIGN | x509.KeyUsageFlags.keyCertSign), policy]))).toBe('CERTIFICATE_NOT_FOR_SIGNATURE');
  });

  it('R-CERT-2: a certificate of no 署名用電子証明書 policy (e.g. a 利用者証明用電子証明書) is refused', async () => {
    expect(code(await certWithExtensions(ca, person, [ku(SIGN)]))).toBe('CERTIFICATE_NOT_FOR_SIGNATURE');
    expect(code(await certWithExtensions(ca, person, [ku(SIGN), new x509.CertificatePolicyExtension(['1.2.3.4'])]))).toBe('CERTIFICATE_NOT_FOR_SIGNATURE');
  });

  it('R-CERT-2: an end-entity card certificate as JPKI issues it passes, with its kind', async () => {
    const cert = await certFor(ca, person);
    const r = check(cert.certPem);
    expect(r.ok && r.certificate).toMatchObject({
      kind: 'CARD',
      linkedCardSerial: null,
      serialNumber: cert.serial,
      name: person.name,
      birthDate: person.birthDate,
    });
  });

  it('R-CERT-4: a smartphone certificate names its card certificate and is accepted only where the procedure accepts it', async () => {
    const card = await certFor(ca, person);
    const mobile = await certFor(ca, person, { kind: 'MOBILE', cardSerial: card.serial });
    expect(code(mobile.certPem)).toBe('MOBILE_CERTIFICATE_NOT_ACCEPTED');
    const r = check(mobile.certPem, ['CARD', 'MOBILE']);
    expect(r.ok && r.certificate).toMatchObject({ kind: 'MOBILE', linkedCardSerial: card.serial, serialNumber: mobile.serial });
  });

  it('R-CERT-4: a smartphone certificate without its card link is not a signature certificate', async () => {
    const pem = await certWithExtensions(ca, person, [ku(SIGN), new x509.CertificatePolicyExtension([CERTIFICATE_POLICY.MOBILE])]);
    expect(code(pem, ['CARD', 'MOBILE'])).toBe('CERTIFICATE_NOT_FOR_SIGNATURE');
  });

  it('R-CHAR-2: every refusal is a Japanese message naming no personal value', async () => {
    const r = check(ca.certPem);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/署名用電子証明書/);
  });
});

describe('R-CERT-4: npm run dev:cert issues either kind from the dev CA', () => {
  const root = new URL('..', import.meta.url).pathname;
  const run = (dataDir: string, args: string[]) =>
    spawnSync(join(root, 'node_modules/.bin/tsx'), ['scripts/dev-cert.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'development' },
      encoding: 'utf8',
    });

  it('R-CERT-4: --kind mobile --card-serial C writes a smartphone certificate linked to C; --kind card is the default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'renkei-dev-cert-'));
    try {
      const base = ['--name', '伊藤 健', '--address', '東京都八王子市元本郷町3-24-1', '--birth-date', '2001-08-15', '--not-before', '2025-01-01T00:00:00Z'];
      expect(run(dir, ['--serial', '0a0b0c0d', ...base, '--out', join(dir, 'card')]).status).toBe(0);
      const mobile = run(dir, ['--serial', '0E0F1011', ...base, '--kind', 'mobile', '--card-serial', '0a0b0c0d', '--out', join(dir, 'mobile')]);
      expect(mobile.status, mobile.stderr).toBe(0);
      const trust = trustStoreFromPem(readFileSync(join(dir, 'dev-ca', 'ca.pem'), 'utf8'));
      const verify = (name: string) => verifySignatureCertificate(readFileSync(join(dir, name, 'cert.pem'), 'utf8'), { trust, now, kinds: ['CARD', 'MOBILE'] });
      const card = verify('card');
      expect(card.ok && card.certificate).toMatchObject({ kind: 'CARD', serialNumber: '0A0B0C0D', linkedCardSerial: null });
      const phone = verify('mobile');
      expect(phone.ok && phone.certificate).toMatchObject({ kind: 'MOBILE', serialNumber: '0E0F1011', linkedCardSerial: '0A0B0C0D' });
      const missing = run(dir, ['--serial', '12', ...base, '--kind', 'mobile', '--out', join(dir, 'x')]);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain('--card-serial');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
