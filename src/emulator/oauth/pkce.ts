/**
 * PKCE (RFC 7636) as Salesforce applies it. The verifier's length is not capped: jsforce sends
 * base64url of 128 random bytes (~171 chars, above the RFC's 128) and Salesforce accepts it.
 */
import { createHash } from 'node:crypto';
import { safeEqual } from './clients.js';

export type ChallengeMethod = 'S256' | 'plain';

/**
 * Method assumed when `code_challenge_method` is absent. RFC 7636 says `plain`, but jsforce sends
 * an S256 challenge without a method and works against Salesforce, so Salesforce must assume
 * S256. Change here if a real org says otherwise.
 */
export const DEFAULT_CHALLENGE_METHOD: ChallengeMethod = 'S256';

/** Parses `code_challenge_method`; undefined means an unsupported value. */
export function challengeMethod(raw: string | undefined): ChallengeMethod | undefined {
  if (raw === undefined) return DEFAULT_CHALLENGE_METHOD;
  if (raw === 'S256' || raw === 'plain') return raw;
  return undefined;
}

/** base64url(SHA-256(verifier)) without padding. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Whether a verifier answers a challenge. */
export function verifierMatches(verifier: string, challenge: string, method: ChallengeMethod): boolean {
  return safeEqual(method === 'S256' ? s256(verifier) : verifier, challenge);
}
