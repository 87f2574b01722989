import { signDocument } from './certificates.js';

/** A signed consent as a centre terminal or Myna Portal builds it (API.md, Signed consent). */
export function signedConsent(
  cert: { certPem: string; keyPem: string },
  claim: { subject: string; items: string[]; termsVersion?: string; signedAt: string },
  tamper: { document?: (d: string) => string } = {},
) {
  const document = JSON.stringify({ subject: claim.subject, items: claim.items, termsVersion: claim.termsVersion ?? 'v1', signedAt: claim.signedAt });
  const signature = signDocument(cert.keyPem, document);
  return { document: tamper.document ? tamper.document(document) : document, signature, certificatePem: cert.certPem };
}
