/**
 * PKCE (RFC 7636): a verifier of 43–128 unreserved characters and its S256 challenge.
 */
import { createHash, randomBytes } from 'node:crypto';

export function base64url(buf: Buffer): string {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh verifier: 64 random bytes → 86 base64url characters (within RFC 7636's 43–128). */
export function createCodeVerifier(): string {
  return base64url(randomBytes(64));
}

/** `BASE64URL(SHA256(verifier))`. */
export function codeChallengeS256(verifier: string): string {
  return base64url(createHash('sha256').update(verifier, 'ascii').digest());
}

/** An unguessable `state` value. */
export function createState(): string {
  return base64url(randomBytes(24));
}
