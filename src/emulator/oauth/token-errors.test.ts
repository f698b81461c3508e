/**
 * One test per row of the wire reference's §1.3 token error table (plus the PKCE and redirect_uri
 * checks), each asserting the exact status, JSON body and `Cache-Control: no-store`.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT, importPKCS8 } from 'jose';
import type { RunningEmulator } from '../server.js';
import { control, startTestEmulator } from '../test-support/harness.js';
import { JWT_BEARER } from './grants/jwt-bearer.js';
import { s256 } from './pkce.js';
import { authorizationCode, demoClient, demoUser, postForm, type OAuthResult } from './testing.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_PEM = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIVATE_PEM = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const BARE = { clientId: 'bare-app', clientSecret: 'bare-secret', callbackUrls: ['http://localhost:9999/cb'], usernamePasswordEnabled: false };
const RESTRICTED = {
  clientId: 'restricted-app',
  clientSecret: 'restricted-secret',
  callbackUrls: ['http://localhost:9999/cb'],
  adminApprovedOnly: true,
  preAuthorizedProfiles: ['System Administrator'],
  jwtCertificate: PUBLIC_PEM,
};
const JWT_APP = { clientId: 'jwt-app', clientSecret: 'jwt-secret', jwtCertificate: PUBLIC_PEM, approvedUsers: [] as string[] };

let em: RunningEmulator;

before(async () => {
  em = await startTestEmulator({
    config: {
      connectedApps: [
        { name: 'Bare', ...BARE },
        { name: 'Restricted', ...RESTRICTED },
        { name: 'JWT', ...JWT_APP },
      ],
    },
  });
});
after(() => em.close());

function assertError(r: OAuthResult, error: string, description: string, status = 400): void {
  assert.equal(r.status, status, r.text);
  assert.deepEqual(r.json, { error, error_description: description });
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.headers.get('content-type') ?? '', /^application\/json;charset=UTF-8$/);
}

function adminPassword(): Record<string, string> {
  const a = demoUser(em);
  return { grant_type: 'password', ...demoClient(em), username: a.username, password: a.password + a.securityToken };
}

async function assertion(claims: Record<string, unknown>, pem = PRIVATE_PEM): Promise<string> {
  const key = await importPKCS8(pem, 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(key);
}

describe('token endpoint errors', () => {
  it('unknown client_id → invalid_client_id', async () => {
    assertError(await postForm(em, { ...adminPassword(), client_id: 'nope' }), 'invalid_client_id', 'client identifier invalid');
  });

  it('wrong client_secret → invalid_client', async () => {
    assertError(await postForm(em, { ...adminPassword(), client_secret: 'wrong' }), 'invalid_client', 'invalid client credentials');
  });

  it('password grant without client_secret → invalid_client', async () => {
    const { client_secret: _s, ...rest } = adminPassword();
    assertError(await postForm(em, rest), 'invalid_client', 'invalid client credentials');
  });

  it('bad username → invalid_grant authentication failure', async () => {
    assertError(await postForm(em, { ...adminPassword(), username: 'nobody@example.com' }), 'invalid_grant', 'authentication failure');
  });

  it('bad password → invalid_grant authentication failure', async () => {
    const a = demoUser(em);
    assertError(await postForm(em, { ...adminPassword(), password: `x${a.password}${a.securityToken}` }), 'invalid_grant', 'authentication failure');
  });

  it('missing security token → invalid_grant authentication failure', async () => {
    assertError(await postForm(em, { ...adminPassword(), password: demoUser(em).password }), 'invalid_grant', 'authentication failure');
  });

  it('wrong security token → invalid_grant authentication failure', async () => {
    assertError(await postForm(em, { ...adminPassword(), password: `${demoUser(em).password}WRONGTOKEN` }), 'invalid_grant', 'authentication failure');
  });

  it('inactive user with right credentials → inactive_user', async () => {
    const u = demoUser(em, 'inactive');
    assertError(await postForm(em, { ...adminPassword(), username: u.username, password: u.password + u.securityToken }), 'inactive_user', 'user is inactive');
  });

  it('revoked refresh token → invalid_grant expired access/refresh token', async () => {
    const code = await authorizationCode(em, { scope: 'api refresh_token' });
    const tokens = await postForm(em, { grant_type: 'authorization_code', code, ...demoClient(em), redirect_uri: em.banner.redirectUri });
    const refresh = tokens.json.refresh_token as string;
    const revoked = await postForm(em, { token: refresh }, { path: '/services/oauth2/revoke' });
    assert.equal(revoked.status, 200);
    assertError(
      await postForm(em, { grant_type: 'refresh_token', refresh_token: refresh, ...demoClient(em) }),
      'invalid_grant',
      'expired access/refresh token',
    );
  });

  it('refresh token revoked by a user revocation (password change) → expired access/refresh token', async () => {
    const code = await authorizationCode(em, { scope: 'api refresh_token' });
    const tokens = await postForm(em, { grant_type: 'authorization_code', code, ...demoClient(em), redirect_uri: em.banner.redirectUri });
    await control(em, 'POST', `users/${encodeURIComponent(demoUser(em).username)}/revoke`);
    const r = await postForm(em, { grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token as string, ...demoClient(em) });
    assertError(r, 'invalid_grant', 'expired access/refresh token');
  });

  it('refresh token over the 5-per-user-per-app limit → expired access/refresh token', async () => {
    const first = await postForm(em, {
      grant_type: 'authorization_code',
      code: await authorizationCode(em, { scope: 'api refresh_token' }),
      ...demoClient(em),
      redirect_uri: em.banner.redirectUri,
    });
    for (let i = 0; i < 5; i++) {
      const r = await postForm(em, {
        grant_type: 'authorization_code',
        code: await authorizationCode(em, { scope: 'api refresh_token' }),
        ...demoClient(em),
        redirect_uri: em.banner.redirectUri,
      });
      assert.equal(r.status, 200);
    }
    const r = await postForm(em, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token as string, ...demoClient(em) });
    assertError(r, 'invalid_grant', 'expired access/refresh token');
  });

  it('unknown authorization code → invalid_grant expired authorization code', async () => {
    const r = await postForm(em, { grant_type: 'authorization_code', code: 'aPrxnotacode==', ...demoClient(em), redirect_uri: em.banner.redirectUri });
    assertError(r, 'invalid_grant', 'expired authorization code');
  });

  it('authorization code with another redirect_uri → redirect_uri_mismatch', async () => {
    const code = await authorizationCode(em);
    const r = await postForm(em, {
      grant_type: 'authorization_code',
      code,
      ...demoClient(em),
      redirect_uri: em.org.apps.get(em.banner.clientId)!.callbackUrls[1]!,
    });
    assertError(r, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
  });

  it('PKCE challenge without verifier → invalid_grant', async () => {
    const code = await authorizationCode(em, { code_challenge: s256('v'.repeat(50)), code_challenge_method: 'S256' });
    const r = await postForm(em, { grant_type: 'authorization_code', code, ...demoClient(em), redirect_uri: em.banner.redirectUri });
    assertError(r, 'invalid_grant', 'invalid code verifier');
  });

  it('PKCE verifier not matching → invalid_request', async () => {
    const code = await authorizationCode(em, { code_challenge: s256('v'.repeat(50)), code_challenge_method: 'S256' });
    const r = await postForm(em, {
      grant_type: 'authorization_code',
      code,
      ...demoClient(em),
      redirect_uri: em.banner.redirectUri,
      code_verifier: 'w'.repeat(50),
    });
    assertError(r, 'invalid_request', 'invalid code verifier');
  });

  it('misspelled grant_type → unsupported_grant_type', async () => {
    assertError(await postForm(em, { ...adminPassword(), grant_type: 'passwrd' }), 'unsupported_grant_type', 'grant type not supported');
  });

  it('username-password flow disabled on the app → unsupported_grant_type', async () => {
    const a = demoUser(em);
    const r = await postForm(em, {
      grant_type: 'password',
      client_id: BARE.clientId,
      client_secret: BARE.clientSecret,
      username: a.username,
      password: a.password + a.securityToken,
    });
    assertError(r, 'unsupported_grant_type', 'grant type not supported');
  });

  it('device flow disabled on the app → unsupported_grant_type', async () => {
    assertError(await postForm(em, { response_type: 'device_code', client_id: BARE.clientId }), 'unsupported_grant_type', 'grant type not supported');
  });

  it('missing grant_type → invalid_request grant type is missing', async () => {
    const { grant_type: _g, ...rest } = adminPassword();
    assertError(await postForm(em, rest), 'invalid_request', 'grant type is missing');
  });

  it("JWT user who has not approved the app → user hasn't approved this consumer", async () => {
    const jwt = await assertion({ iss: JWT_APP.clientId, sub: demoUser(em, 'sales').username, aud: em.urls.login, exp: Math.floor(Date.now() / 1000) + 300 });
    assertError(await postForm(em, { grant_type: JWT_BEARER, assertion: jwt }), 'invalid_grant', "user hasn't approved this consumer");
  });

  it('JWT with a wrong audience → audience is invalid', async () => {
    const jwt = await assertion({ iss: JWT_APP.clientId, sub: demoUser(em).username, aud: 'https://example.com', exp: Math.floor(Date.now() / 1000) + 300 });
    assertError(await postForm(em, { grant_type: JWT_BEARER, assertion: jwt }), 'invalid_grant', 'audience is invalid');
  });

  it('JWT signed with another key → invalid assertion', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwt = await assertion({ iss: JWT_APP.clientId, sub: demoUser(em).username, aud: em.urls.login, exp: Math.floor(Date.now() / 1000) + 300 }, other);
    assertError(await postForm(em, { grant_type: JWT_BEARER, assertion: jwt }), 'invalid_grant', 'invalid assertion');
  });

  it('JWT expired → invalid assertion', async () => {
    const jwt = await assertion({ iss: JWT_APP.clientId, sub: demoUser(em).username, aud: em.urls.login, exp: Math.floor(Date.now() / 1000) - 10 });
    assertError(await postForm(em, { grant_type: JWT_BEARER, assertion: jwt }), 'invalid_grant', 'invalid assertion');
  });

  it('JWT with an unknown issuer → invalid_client_id', async () => {
    const jwt = await assertion({ iss: 'unknown', sub: demoUser(em).username, aud: em.urls.login, exp: Math.floor(Date.now() / 1000) + 300 });
    assertError(await postForm(em, { grant_type: JWT_BEARER, assertion: jwt }), 'invalid_client_id', 'client identifier invalid');
  });

  it('client_credentials on the login host → request not supported on this domain', async () => {
    assertError(await postForm(em, { grant_type: 'client_credentials', ...demoClient(em) }), 'invalid_grant', 'request not supported on this domain');
  });

  it('client_credentials on the sandbox host → request not supported on this domain', async () => {
    const r = await postForm(em, { grant_type: 'client_credentials', ...demoClient(em) }, { host: 'sandbox' });
    assertError(r, 'invalid_grant', 'request not supported on this domain');
  });

  it('client_credentials without a Run-As user → no client credentials user enabled', async () => {
    const r = await postForm(em, { grant_type: 'client_credentials', client_id: BARE.clientId, client_secret: BARE.clientSecret }, { host: 'mydomain' });
    assertError(r, 'invalid_grant', 'no client credentials user enabled');
  });

  it('user not admin-approved (password grant) → invalid_app_access', async () => {
    const s = demoUser(em, 'sales');
    const r = await postForm(em, {
      grant_type: 'password',
      client_id: RESTRICTED.clientId,
      client_secret: RESTRICTED.clientSecret,
      username: s.username,
      password: s.password + s.securityToken,
    });
    assertError(r, 'invalid_app_access', 'user is not admin approved to access this app');
  });

  it('user not admin-approved (JWT bearer) → invalid_app_access', async () => {
    const jwt = await assertion({
      iss: RESTRICTED.clientId,
      sub: demoUser(em, 'sales').username,
      aud: em.urls.login,
      exp: Math.floor(Date.now() / 1000) + 300,
    });
    assertError(await postForm(em, { grant_type: JWT_BEARER, assertion: jwt }), 'invalid_app_access', 'user is not admin approved to access this app');
  });

  it('device flow before approval → authorization_pending', async () => {
    const start = await postForm(em, { response_type: 'device_code', client_id: em.banner.clientId, scope: 'api refresh_token' });
    const r = await postForm(em, { grant_type: 'device', client_id: em.banner.clientId, code: start.json.device_code as string });
    assertError(r, 'authorization_pending', 'authorization pending');
  });

  it('device flow after the code expired → expired_token', async () => {
    const start = await postForm(em, { response_type: 'device_code', client_id: em.banner.clientId });
    await control(em, 'POST', 'clock', { advanceMs: (em.org.settings.deviceCodeTtlSeconds + 1) * 1000 });
    const r = await postForm(em, { grant_type: 'device', client_id: em.banner.clientId, code: start.json.device_code as string });
    assertError(r, 'expired_token', 'expired device code');
  });

  it('device flow after the user denied → access_denied', async () => {
    const start = await postForm(em, { response_type: 'device_code', client_id: em.banner.clientId });
    const a = demoUser(em);
    const page = await postForm(
      em,
      { user_code: start.json.user_code as string, action: 'login', username: a.username, password: a.password },
      { path: '/setup/connect' },
    );
    const sid = /name="sid" value="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(sid, page.text);
    const denied = await postForm(em, { user_code: start.json.user_code as string, action: 'deny', sid }, { path: '/setup/connect' });
    assert.equal(denied.status, 200);
    const r = await postForm(em, { grant_type: 'device', client_id: em.banner.clientId, code: start.json.device_code as string });
    assertError(r, 'access_denied', 'end-user denied authorization');
  });

  it('errors honour format=urlencoded', async () => {
    const r = await postForm(em, { ...adminPassword(), client_id: 'nope', format: 'urlencoded' });
    assert.equal(r.status, 400);
    assert.equal(r.text, 'error=invalid_client_id&error_description=client+identifier+invalid');
    assert.match(r.headers.get('content-type') ?? '', /^application\/x-www-form-urlencoded/);
  });
});
