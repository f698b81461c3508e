/**
 * OpenID Connect id_tokens: RS256 JWTs signed with a per-org key whose public half is served at
 * `/id/keys` (Salesforce's JWKS path). The key is made on first use so orgs that never see
 * `openid` pay nothing.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { CryptoKey } from 'jose';
import type { ConnectedApp, Org } from '../org.js';
import type { AccessSession } from './tokens.js';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

const keys = new WeakMap<Org, Promise<SigningKey>>();

async function makeKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { kid: '228', privateKey, jwk: { ...jwk, kid: '228', alg: 'RS256', use: 'sig' } };
}

function signingKey(org: Org): Promise<SigningKey> {
  let k = keys.get(org);
  if (!k) {
    k = makeKey();
    keys.set(org, k);
  }
  return k;
}

/** The JWKS document (`{keys:[...]}`) for `/id/keys`. */
export async function jwks(org: Org): Promise<{ keys: JWK[] }> {
  return { keys: [(await signingKey(org)).jwk] };
}

/** An id_token for a session: `sub` is the identity URL, `aud` the client id, `iss` the login host. */
export async function idToken(org: Org, app: ConnectedApp, session: AccessSession, nonce: string | undefined): Promise<string> {
  const key = await signingKey(org);
  const user = org.users.get(session.userId)!;
  const iat = Math.floor(session.issuedAt / 1000);
  const claims: Record<string, unknown> = {
    name: `${user.config.firstName} ${user.config.lastName}`.trim(),
    preferred_username: user.config.username,
    given_name: user.config.firstName,
    family_name: user.config.lastName,
    email: user.config.email,
    email_verified: true,
    ...(nonce ? { nonce } : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuer(org.identityBase(session.hostRole))
    .setSubject(org.identityUrl(session.userId, session.hostRole))
    .setAudience(app.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .sign(key.privateKey);
}
