/**
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`: an RS256 assertion signed with the key
 * whose certificate (or public key) was uploaded to the app. `iss` = client id, `sub` = username,
 * `aud` = the login host of the host role, `exp` in the future. sfdx-core sends `exp` in
 * milliseconds (`Date.now() + 300`) and Salesforce accepts it, so values past year 33658 in
 * seconds are read as milliseconds. No refresh token.
 * See https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
import { compactVerify, decodeProtectedHeader, importSPKI, importX509 } from 'jose';
import type { ConnectedApp, Org } from '../../org.js';
import { requireApp } from '../clients.js';
import { adminAllows, findUser, hasApproved, ipAllowed, knownOnHost } from '../credentials.js';
import { OAuthFailure } from '../errors.js';
import { allowsRefresh } from '../scopes.js';
import type { HostRole } from '../tokens.js';
import type { GrantHandler } from './types.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Real Salesforce audiences accepted beside the emulator's own login URLs. */
const REAL_AUDIENCE: Record<HostRole, string> = {
  login: 'https://login.salesforce.com',
  mydomain: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
};

/** Audiences valid on a host role: the emulator's login (or sandbox) URL and the real one. */
export function validAudiences(org: Org, host: HostRole): string[] {
  return [org.identityBase(host), REAL_AUDIENCE[host]];
}

interface Claims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
}

async function verifyKey(app: ConnectedApp) {
  const pem = app.jwtCertificate?.trim();
  if (!pem) throw new OAuthFailure('jwtInvalidAssertion');
  try {
    return pem.includes('BEGIN CERTIFICATE') ? await importX509(pem, 'RS256') : await importSPKI(pem, 'RS256');
  } catch {
    throw new OAuthFailure('jwtInvalidAssertion');
  }
}

/** Reads the claims without trusting them (the issuer picks the key to verify with). */
function unverifiedClaims(assertion: string): Claims {
  try {
    if (decodeProtectedHeader(assertion).alg !== 'RS256') throw new Error('alg');
    const payload = assertion.split('.')[1] ?? '';
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    throw new OAuthFailure('jwtInvalidAssertion');
  }
}

/** `exp` in ms; values too large to be seconds are taken as ms (sfdx-core). */
function expiryMs(exp: unknown): number | undefined {
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
  return exp > 1e12 ? exp : exp * 1000;
}

export const jwtBearerGrant: GrantHandler = async ({ org, host, params }) => {
  const assertion = params.get('assertion');
  if (!assertion) throw new OAuthFailure('jwtInvalidAssertion');
  const claims = unverifiedClaims(assertion);
  const app = requireApp(org, typeof claims.iss === 'string' ? claims.iss : undefined);
  const key = await verifyKey(app);
  try {
    await compactVerify(assertion, key, { algorithms: ['RS256'] });
  } catch {
    throw new OAuthFailure('jwtInvalidAssertion');
  }
  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((a): a is string => typeof a === 'string');
  const valid = validAudiences(org, host);
  if (!audiences.some((a) => valid.includes(a.replace(/\/+$/, '')))) throw new OAuthFailure('jwtBadAudience');
  const exp = expiryMs(claims.exp);
  if (exp === undefined || exp <= org.clock.nowPrecise()) throw new OAuthFailure('jwtInvalidAssertion');
  const user = findUser(org, typeof claims.sub === 'string' ? claims.sub : undefined);
  if (!user || !knownOnHost(user, host)) throw new OAuthFailure('jwtInvalidAssertion');
  if (!user.config.active) throw new OAuthFailure('inactiveUser');
  if (!ipAllowed(app, user)) throw new OAuthFailure('ipRestricted');
  if (app.adminApprovedOnly && !adminAllows(app, user)) throw new OAuthFailure('notAdminApproved');
  if (!hasApproved(org, app, user)) throw new OAuthFailure('jwtNotApproved');
  const scopes = app.scopes.filter((s) => !allowsRefresh([s]));
  const session = org.tokens.issueAccess(user.id, app.clientId, scopes, host);
  return { flow: 'jwt_bearer', app, session, refresh: undefined };
};
