import { createHash, createPublicKey } from 'node:crypto';

/** The members RFC 7638 §3.2 hashes, by key type, in the lexicographic order the canonical form needs. */
const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

export class NotAKeyError extends Error {
  override name = 'NotAKeyError';
}

/**
 * The RFC 7638 SHA-256 thumbprint of a JWK's public key, taken from the key as Node imports it rather than from the
 * text given: base64url with padding, standard base64, a private JWK or extra members all name the same key, and
 * each of them gets the same thumbprint. Throws NotAKeyError for anything that is not an asymmetric key.
 */
export function publicKeyThumbprint(jwk: unknown): string {
  let exported: Record<string, unknown>;
  try {
    exported = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ format: 'jwk' }) as Record<string, unknown>;
  } catch {
    throw new NotAKeyError('not a public or private JWK');
  }
  const members = REQUIRED_MEMBERS[String(exported.kty)];
  if (!members) throw new NotAKeyError(`key type ${String(exported.kty)} has no thumbprint here`);
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(exported[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
