import { createVerify, X509Certificate } from 'node:crypto';
import { SUBJECT_OID, x509 } from './x509.js';

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
  certificate: X509Certificate;
}

export type CertificateFailure =
  | 'CERTIFICATE_INVALID'
  | 'CERTIFICATE_UNTRUSTED'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_REVOKED';

export type CertificateCheck = { ok: true; certificate: VerifiedCertificate } | { ok: false; code: CertificateFailure; message: string };

const MAX_PEM_LENGTH = 16_384;
const fail = (code: CertificateFailure, message: string): CertificateCheck => ({ ok: false, code, message });

/**
 * R-CERT-2 with node:crypto: the certificate parses, was issued and signed by a trusted anchor, is inside its
 * validity period now, and is not revoked as far as this system knows. The serial is the certificate's own.
 */
export function verifySignatureCertificate(
  pem: string,
  opts: { trust: TrustStore; now: Date; isRevoked?: (serialNumber: string) => boolean },
): CertificateCheck {
  if (typeof pem !== 'string' || pem.length > MAX_PEM_LENGTH || !pem.includes('-----BEGIN CERTIFICATE-----')) {
    return fail('CERTIFICATE_INVALID', 'certificatePem is not a PEM certificate');
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return fail('CERTIFICATE_INVALID', 'certificatePem is not a PEM certificate');
  }
  const anchor = opts.trust.anchors.find((a) => cert.checkIssued(a) && cert.verify(a.publicKey));
  if (!anchor) return fail('CERTIFICATE_UNTRUSTED', 'the certificate is not issued by a trusted J-LIS certification authority');
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (opts.now < notBefore) return fail('CERTIFICATE_NOT_YET_VALID', 'the certificate is not valid yet');
  if (opts.now > notAfter) return fail('CERTIFICATE_EXPIRED', 'the certificate has expired');
  const serialNumber = cert.serialNumber.toUpperCase();
  if (opts.isRevoked?.(serialNumber)) return fail('CERTIFICATE_REVOKED', 'the certificate has been revoked');
  const subject = new x509.X509Certificate(pem).subjectName;
  // In NFC like every other text here, so that a name compares and is stored in one form whatever the issuer wrote.
  const field = (oid: string) => subject.getField(oid)[0]?.normalize('NFC') ?? null;
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
