import { createSign, webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDevCa, type DevCa } from '../../lib/domain/certificates/dev-ca.js';
import { CERTIFICATE_POLICY, RSA_SHA256, SUBJECT_OID, x509 } from '../../lib/domain/certificates/x509.js';

export interface Certificate {
  certPem: string;
  keyPem: string;
  /** Upper-case hexadecimal, as the graph reports it. */
  serial: string;
}

/**
 * The soak's stand-in for the J-LIS CA, whose key it keeps (the run's own anchors, devkit/production.ts, keep none):
 * its certificate joins the trust anchors the processes read (JLIS_TRUST_ANCHORS_FILE), so this must run before any
 * subgraph starts.
 */
export async function trustSoakCa(dir: string): Promise<DevCa> {
  const ca = await createDevCa();
  const configured = process.env.JLIS_TRUST_ANCHORS_FILE;
  const bundle = join(dir, 'soak-trust-anchors.pem');
  writeFileSync(bundle, `${configured ? readFileSync(configured, 'utf8') : ''}${ca.certPem}`);
  process.env.JLIS_TRUST_ANCHORS_FILE = bundle;
  return ca;
}

const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const toPem = (bytes: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(bytes).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;

/**
 * Issues card signature certificates (個人番号カード用署名用電子証明書) as lib/domain/certificates/dev-ca.ts does, but
 * over a few key pairs made once: an RSA key pair takes 50–100 ms to make and a soak issues thousands of certificates,
 * so making one each would put the load generator, not the graph, on the machine's cores. The graph checks each
 * certificate and signature the same whichever key is inside. Serials are 12 hex digits from 0x10…, so DER keeps them
 * as written (no leading zero byte) and none meets the J-LIS serials of the soak's feed (0x7E…).
 */
export async function certificateIssuer(ca: DevCa, keyPairs = 4) {
  const signingKey = (await webcrypto.subtle.importKey('pkcs8', der(ca.keyPem), RSA_SHA256, false, ['sign'])) as CryptoKey;
  const issuer = new x509.X509Certificate(ca.certPem).subject;
  const pairs = await Promise.all(
    Array.from({ length: keyPairs }, async () => {
      const keys = (await webcrypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify'])) as CryptoKeyPair;
      return { publicKey: keys.publicKey, keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') };
    }),
  );
  let issued = 0;
  return async (person: { name: string; birthDate: string; address: string }, notBefore: Date): Promise<Certificate> => {
    issued++;
    const serial = `10${issued.toString(16).toUpperCase().padStart(10, '0')}`;
    const pair = pairs[issued % pairs.length]!;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject: new x509.Name([
        { [SUBJECT_OID.name]: [person.name] },
        { [SUBJECT_OID.address]: [person.address] },
        { [SUBJECT_OID.birthDate]: [person.birthDate] },
      ]),
      issuer,
      notBefore,
      notAfter: new Date(notBefore.getTime() + 5 * 365 * 86_400_000),
      signingKey,
      publicKey: pair.publicKey,
      signingAlgorithm: RSA_SHA256,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
        new x509.CertificatePolicyExtension([CERTIFICATE_POLICY.CARD]),
      ],
    });
    return { certPem: `${cert.toString('pem')}\n`, keyPem: pair.keyPem, serial };
  };
}

export type IssueCertificate = Awaited<ReturnType<typeof certificateIssuer>>;

/** A consent document signed as the centre terminal or Myna Portal signs it (API.md, Signed consent). */
export function signedConsent(cert: Certificate, claim: { subject: string; items: string[]; termsVersion: string }) {
  const document = JSON.stringify({ subject: claim.subject, items: claim.items, termsVersion: claim.termsVersion, signedAt: new Date().toISOString() });
  const signature = createSign('RSA-SHA256').update(document, 'utf8').sign(cert.keyPem, 'base64');
  return { document, signature, certificatePem: cert.certPem };
}
