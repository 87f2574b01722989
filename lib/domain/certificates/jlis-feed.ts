import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../platform/config.js';

/**
 * The most J-LIS notifications one ingest call takes. Here, beside the feed's other terms, because `jlis:import`
 * needs it too: read from the consent subgraph, it loaded the whole subgraph into a script that only sends lines
 * (0.85 s of CPU and 256 MB at every start, which at load stalled the graph for seconds each file).
 */
export const MAX_JLIS_BATCH = 1000;

/**
 * The J-LIS feed's own signature (API.md, J-LIS file): every notification line is signed by J-LIS, and the consent
 * subgraph checks it against the public keys it is configured to trust before anything is scheduled, so that a bearer
 * token of the feed alone cannot rewrite names and addresses. A key is RSA (2048 bits or more; PKCS#1 v1.5 with
 * SHA-256, as J-LIS's public-key infrastructure signs) or Ed25519. RSA is what the dev tooling makes: verifying it
 * costs a fraction of Ed25519's in Node's OpenSSL (some 19,000 against 5,400 a second on one busy core of the
 * benchmark host), and the consent subgraph verifies every line of the feed.
 */

/** The fields a notification's signature covers, as J-LIS writes them or as the graph parsed them. */
export interface SignedJlisFields {
  notificationId: string;
  kind: string;
  previousSerial: string;
  serial?: string | null;
  notBefore?: string | Date | null;
  notAfter?: string | Date | null;
  name?: string | null;
  address?: string | null;
  birthDate?: string | null;
  filedOn: string;
}

const instant = (v: string | Date | null | undefined) => (v == null ? null : (v instanceof Date ? v : new Date(v)).toISOString());
const text = (v: string | null | undefined) => (v == null ? null : v.normalize('NFC'));

/**
 * The bytes signed: the UTF-8 of a JSON object with every field in this order, an absent one as null, texts in NFC,
 * instants in UTC with milliseconds (`2026-03-29T15:00:00.000Z`), dates and serials as written. Defined on values,
 * not on the line's text, so the same bytes come out of the file and out of the graph's parsed input.
 */
export function jlisCanonical(n: SignedJlisFields): string {
  return JSON.stringify({
    notificationId: n.notificationId,
    kind: n.kind,
    previousSerial: n.previousSerial,
    serial: n.serial ?? null,
    notBefore: instant(n.notBefore),
    notAfter: instant(n.notAfter),
    name: text(n.name),
    address: text(n.address),
    birthDate: n.birthDate ?? null,
    filedOn: n.filedOn,
  });
}

/** The digest a key signs with: none for Ed25519 (it hashes itself), SHA-256 for RSA. */
const digestOf = (key: KeyObject) => (key.asymmetricKeyType === 'ed25519' ? null : 'sha256');

/** The bytes of a signature by this key: 64 for Ed25519, the modulus's for RSA. */
const signatureBytes = (key: KeyObject) => (key.asymmetricKeyType === 'ed25519' ? 64 : (key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);

/** J-LIS's side (and the dev tooling's, standing in for it): the base64 signature of one notification. */
export function signJlisNotification(n: SignedJlisFields, privateKey: KeyObject | string): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return sign(digestOf(key), Buffer.from(jlisCanonical(n), 'utf8'), key).toString('base64');
}

/** The same in the thread pool, for a tool signing a whole file. */
export function signJlisNotificationAsync(n: SignedJlisFields, key: KeyObject): Promise<string> {
  return new Promise((resolve, reject) =>
    sign(digestOf(key), Buffer.from(jlisCanonical(n), 'utf8'), key, (e, sig) => (e ? reject(e) : resolve(sig.toString('base64')))),
  );
}

/** A line as J-LIS sends it: the notification with its `signature`. */
export const signedJlisLine = <T extends SignedJlisFields>(n: T, privateKey: KeyObject | string): T & { signature: string } => ({
  ...n,
  signature: signJlisNotification(n, privateKey),
});

/** Base64 of 64 bytes (Ed25519) up to 512 (RSA 4096). */
export const JLIS_SIGNATURE_RE = /^[A-Za-z0-9+/]{86,684}={0,2}$/;

export type SignatureCheck = 'VALID' | 'MISSING' | 'INVALID';

/**
 * Whether one of the trusted keys signed this notification. Run in the thread pool (crypto's callback form), so a
 * batch of a thousand checks neither blocks the subgraph's event loop nor waits on one core.
 */
export async function checkJlisSignature(n: SignedJlisFields, signature: string | null | undefined, keys: readonly KeyObject[]): Promise<SignatureCheck> {
  if (!signature) return 'MISSING';
  if (!JLIS_SIGNATURE_RE.test(signature)) return 'INVALID';
  const data = Buffer.from(jlisCanonical(n), 'utf8');
  const sig = Buffer.from(signature, 'base64');
  // Only the keys whose signatures have this length are tried: while J-LIS rolls over, one check per line.
  for (const key of keys) {
    if (signatureBytes(key) !== sig.length) continue;
    const ok = await new Promise<boolean>((resolve) => verify(digestOf(key), data, key, sig, (e, valid) => resolve(!e && valid)));
    if (ok) return 'VALID';
  }
  return 'INVALID';
}

/** Every PUBLIC KEY block of a PEM bundle, each an RSA key of 2048 bits or more, or an Ed25519 key. */
export function jlisFeedKeysFromPem(pem: string): KeyObject[] {
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  return blocks.map((b) => {
    const key = createPublicKey(b);
    const rsa =
      key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048 && (key.asymmetricKeyDetails?.modulusLength ?? 0) <= 4096;
    if (!rsa && key.asymmetricKeyType !== 'ed25519') {
      throw new Error('JLIS_FEED_PUBLIC_KEYS_FILE: every key must be an RSA public key of 2048–4096 bits or an Ed25519 public key');
    }
    return key;
  });
}

export interface JlisFeedKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A feed key as J-LIS's public-key infrastructure makes them: RSA 2048. */
export function createJlisFeedKey(): JlisFeedKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export const devJlisFeedKeyPaths = (dataDir: string) => ({
  dir: join(dataDir, 'dev-jlis-feed'),
  key: join(dataDir, 'dev-jlis-feed', 'key.pem'),
  publicKey: join(dataDir, 'dev-jlis-feed', 'public.pem'),
});

/**
 * DEVELOPMENT ONLY: a stand-in for J-LIS's feed key under DATA_DIR, made on first use like the dev CA; development
 * processes trust it, and `npm run dev:jlis-sign` signs files with it.
 */
export function ensureDevJlisFeedKey(dataDir: string): JlisFeedKeyPair {
  const p = devJlisFeedKeyPaths(dataDir);
  if (existsSync(p.key) && existsSync(p.publicKey)) return { privateKeyPem: readFileSync(p.key, 'utf8'), publicKeyPem: readFileSync(p.publicKey, 'utf8') };
  const pair = createJlisFeedKey();
  mkdirSync(p.dir, { recursive: true });
  writeFileSync(p.key, pair.privateKeyPem, { mode: 0o600 });
  writeFileSync(p.publicKey, pair.publicKeyPem);
  return pair;
}

/** The configured J-LIS feed keys; outside production, the dev key under DATA_DIR (made on first use) as well. */
export function loadJlisFeedKeys(cfg: Pick<Config, 'NODE_ENV' | 'JLIS_FEED_PUBLIC_KEYS_FILE' | 'DATA_DIR'>): KeyObject[] {
  let bundle = cfg.JLIS_FEED_PUBLIC_KEYS_FILE ? readFileSync(cfg.JLIS_FEED_PUBLIC_KEYS_FILE, 'utf8') : '';
  if (cfg.NODE_ENV !== 'production') bundle += ensureDevJlisFeedKey(cfg.DATA_DIR).publicKeyPem;
  const keys = jlisFeedKeysFromPem(bundle);
  if (keys.length === 0) throw new Error('no J-LIS feed key is configured (JLIS_FEED_PUBLIC_KEYS_FILE)');
  return keys;
}
