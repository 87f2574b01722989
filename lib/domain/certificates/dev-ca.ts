import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CERTIFICATE_POLICY, linkedCardSerialExtension, RSA_SHA256, SUBJECT_OID, x509 } from './x509.js';

/**
 * DEVELOPMENT ONLY: a stand-in for the J-LIS certification authority, created once under DATA_DIR by `npm start`
 * and trusted by development processes, so signature certificates can be minted for the demo and the tests.
 */
export interface DevCa {
  certPem: string;
  keyPem: string;
}

const toPem = (der: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;

async function importKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  // Node's key type knows key usages the DOM's does not yet; the key is the same object either way.
  return webcrypto.subtle.importKey('pkcs8', der, RSA_SHA256, false, ['sign']) as Promise<CryptoKey>;
}

export async function createDevCa(): Promise<DevCa> {
  const keys = (await webcrypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: 'CN=Renkei Dev J-LIS CA (development only), O=Renkei Development',
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2045-01-01T00:00:00Z'),
    keys,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') };
}

export const devCaPaths = (dataDir: string) => ({
  dir: join(dataDir, 'dev-ca'),
  cert: join(dataDir, 'dev-ca', 'ca.pem'),
  key: join(dataDir, 'dev-ca', 'ca-key.pem'),
});

/** The dev CA under `dataDir`, made on first use. */
export async function ensureDevCa(dataDir: string): Promise<DevCa> {
  const p = devCaPaths(dataDir);
  if (existsSync(p.cert) && existsSync(p.key)) return { certPem: readFileSync(p.cert, 'utf8'), keyPem: readFileSync(p.key, 'utf8') };
  const ca = await createDevCa();
  mkdirSync(p.dir, { recursive: true });
  writeFileSync(p.key, ca.keyPem, { mode: 0o600 });
  writeFileSync(p.cert, ca.certPem);
  return ca;
}

export interface CertificateRequest {
  serial: string;
  name: string;
  address: string;
  birthDate: string;
  notBefore?: Date;
  notAfter?: Date;
  /**
   * CARD (default): a 個人番号カード用署名用電子証明書. MOBILE: a 移動端末設備用署名用電子証明書 issued under the card
   * certificate `cardSerial` (R-CERT-4), which it names in an extension as J-LIS would (DOMAIN-NOTES.md).
   */
  kind?: 'CARD' | 'MOBILE';
  cardSerial?: string;
}

/**
 * A signature certificate (RSA 2048) with the 基本4情報 in its subject, issued by `ca` as JPKI issues them: an
 * end-entity certificate (no basicConstraints) with the signature key usages and the policy of its kind; returns it
 * and its key.
 */
export async function mintSignatureCertificate(ca: DevCa, req: CertificateRequest): Promise<{ certPem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const issuer = new x509.X509Certificate(ca.certPem);
  const notBefore = req.notBefore ?? new Date();
  const kind = req.kind ?? 'CARD';
  if (kind === 'MOBILE' && !/^[0-9A-F]{2,40}$/.test(req.cardSerial ?? ''))
    throw new RangeError('a MOBILE certificate names its card serial (upper-case hexadecimal)');
  const extensions: x509.Extension[] = [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
    new x509.CertificatePolicyExtension([CERTIFICATE_POLICY[kind]]),
  ];
  if (kind === 'MOBILE') extensions.push(linkedCardSerialExtension(req.cardSerial!));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: req.serial,
    subject: new x509.Name([{ [SUBJECT_OID.name]: [req.name] }, { [SUBJECT_OID.address]: [req.address] }, { [SUBJECT_OID.birthDate]: [req.birthDate] }]),
    issuer: issuer.subject,
    notBefore,
    notAfter: req.notAfter ?? new Date(notBefore.getTime() + 5 * 365 * 86_400_000),
    signingKey: await importKey(ca.keyPem),
    publicKey: keys.publicKey,
    signingAlgorithm: RSA_SHA256,
    extensions,
  });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') };
}
