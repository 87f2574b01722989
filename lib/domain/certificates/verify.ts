import { createVerify, X509Certificate } from 'node:crypto';
import { CERTIFICATE_POLICY, LINKED_CARD_SERIAL_OID, readDerPrintableString, SUBJECT_OID, x509, type CertificateKind } from './x509.js';

/** The J-LIS certification authorities this deployment trusts (R-CERT-2). */
export interface TrustStore {
  anchors: readonly X509Certificate[];
}

export function trustStoreFromPem(bundle: string): TrustStore {
  const pems = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return { anchors: pems.map((p) => new X509Certificate(p)) };
}

export interface VerifiedCertificate {
  serialNumber: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  name: string | null;
  address: string | null;
  birthDate: string | null;
  /** 個人番号カード用 (CARD) or 移動端末設備用 (MOBILE) 署名用電子証明書, by the policy J-LIS wrote (R-CERT-4). */
  kind: CertificateKind;
  /** For a MOBILE certificate, the serial of the card certificate it was issued under; null for a CARD one. */
  linkedCardSerial: string | null;
  certificate: X509Certificate;
}

export type CertificateFailure =
  | 'CERTIFICATE_INVALID'
  | 'CERTIFICATE_UNTRUSTED'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_REVOKED'
  | 'CERTIFICATE_NOT_FOR_SIGNATURE'
  | 'MOBILE_CERTIFICATE_NOT_ACCEPTED';

export type CertificateCheck = { ok: true; certificate: VerifiedCertificate } | { ok: false; code: CertificateFailure; message: string };

const MAX_PEM_LENGTH = 16_384;
const fail = (code: CertificateFailure, message: string): CertificateCheck => ({ ok: false, code, message });

/** What the counter clerk reads for each refusal (R-CHAR-2). */
export const CERTIFICATE_MESSAGES: Record<CertificateFailure, string> = {
  CERTIFICATE_INVALID: '署名用電子証明書を読み取れません（PEM 形式の証明書ではありません）',
  CERTIFICATE_UNTRUSTED: '地方公共団体情報システム機構（J-LIS）が発行した署名用電子証明書ではありません',
  CERTIFICATE_NOT_YET_VALID: '署名用電子証明書の有効期間が始まっていません',
  CERTIFICATE_EXPIRED: '署名用電子証明書の有効期間が満了しています',
  CERTIFICATE_REVOKED: '署名用電子証明書は失効しています',
  CERTIFICATE_NOT_FOR_SIGNATURE: '署名用電子証明書ではありません（認証局の証明書、又は署名に用いることのできない証明書です）',
  MOBILE_CERTIFICATE_NOT_ACCEPTED: 'この手続には移動端末設備用署名用電子証明書は使えません。個人番号カード用署名用電子証明書を使ってください',
};
const refuse = (code: CertificateFailure): CertificateCheck => fail(code, CERTIFICATE_MESSAGES[code]);

const SIGNING_USAGES = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;

/**
 * An end-entity certificate for signatures, of a kind J-LIS issues: no CA (basicConstraints cA absent or false, no
 * certificate or CRL signing), the signature key usages, and a known 署名用電子証明書 policy. A MOBILE certificate
 * names the card certificate it was issued under. Null: not a 署名用電子証明書.
 */
function signatureProfile(cert: x509.X509Certificate): { kind: CertificateKind; linkedCardSerial: string | null } | null {
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  if (constraints?.ca) return null;
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  if (!usage || (usage.usages & SIGNING_USAGES) === 0) return null;
  if (usage.usages & (x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign)) return null;
  const policies = cert.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
  const kinds = (Object.keys(CERTIFICATE_POLICY) as CertificateKind[]).filter((k) => policies.includes(CERTIFICATE_POLICY[k]));
  if (kinds.length !== 1) return null;
  const kind = kinds[0]!;
  if (kind === 'CARD') return { kind, linkedCardSerial: null };
  const link = cert.extensions.find((e) => e.type === LINKED_CARD_SERIAL_OID);
  const serial = link ? readDerPrintableString(link.value) : null;
  if (!serial || !/^[0-9A-F]{2,40}$/.test(serial)) return null;
  return { kind, linkedCardSerial: serial };
}

/**
 * R-CERT-2 with node:crypto: the certificate parses, was issued and signed by a trusted anchor, is a signature
 * certificate of an accepted kind (`kinds`, the card's only unless the procedure says otherwise: R-CERT-4), is
 * inside its validity period now, and is not revoked as far as this system knows. The serial is the certificate's own.
 */
export function verifySignatureCertificate(
  pem: string,
  opts: { trust: TrustStore; now: Date; isRevoked?: (serialNumber: string) => boolean; kinds?: readonly CertificateKind[] },
): CertificateCheck {
  if (typeof pem !== 'string' || pem.length > MAX_PEM_LENGTH || !pem.includes('-----BEGIN CERTIFICATE-----')) return refuse('CERTIFICATE_INVALID');
  let cert: X509Certificate;
  let parsed: x509.X509Certificate;
  try {
    cert = new X509Certificate(pem);
    parsed = new x509.X509Certificate(pem);
  } catch {
    return refuse('CERTIFICATE_INVALID');
  }
  const anchor = opts.trust.anchors.find((a) => cert.checkIssued(a) && cert.verify(a.publicKey));
  if (!anchor) return refuse('CERTIFICATE_UNTRUSTED');
  let profile: ReturnType<typeof signatureProfile>;
  try {
    profile = signatureProfile(parsed);
  } catch {
    return refuse('CERTIFICATE_INVALID');
  }
  if (!profile) return refuse('CERTIFICATE_NOT_FOR_SIGNATURE');
  if (!(opts.kinds ?? ['CARD']).includes(profile.kind)) return refuse('MOBILE_CERTIFICATE_NOT_ACCEPTED');
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (opts.now < notBefore) return refuse('CERTIFICATE_NOT_YET_VALID');
  if (opts.now > notAfter) return refuse('CERTIFICATE_EXPIRED');
  const serialNumber = cert.serialNumber.toUpperCase();
  if (opts.isRevoked?.(serialNumber)) return refuse('CERTIFICATE_REVOKED');
  // In NFC like every other text here, so that a name compares and is stored in one form whatever the issuer wrote.
  const field = (oid: string) => parsed.subjectName.getField(oid)[0]?.normalize('NFC') ?? null;
  return {
    ok: true,
    certificate: {
      serialNumber,
      issuer: cert.issuer,
      notBefore,
      notAfter,
      name: field(SUBJECT_OID.name),
      address: field(SUBJECT_OID.address),
      birthDate: field(SUBJECT_OID.birthDate),
      kind: profile.kind,
      linkedCardSerial: profile.linkedCardSerial,
      certificate: cert,
    },
  };
}

/** RSA PKCS#1 v1.5 SHA-256 over the UTF-8 bytes of `document`, with the certificate's key (API.md, Signed consent). */
export function verifyDocumentSignature(cert: X509Certificate, document: string, signatureBase64: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return false;
  try {
    return createVerify('RSA-SHA256').update(document, 'utf8').verify(cert.publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
