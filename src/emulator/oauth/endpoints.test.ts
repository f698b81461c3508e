/**
 * revoke, userinfo, the identity URL, introspect, and session expiry followed by a refresh.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce from 'jsforce';
import type { RunningEmulator } from '../server.js';
import { api, control, startTestEmulator } from '../test-support/harness.js';
import { authorizationCode, demoClient, demoUser, limitsStatus, postForm } from './testing.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator();
});
after(() => em.close());

async function codeTokens(scope = 'api refresh_token'): Promise<Record<string, string>> {
  const code = await authorizationCode(em, { scope });
  const r = await postForm(em, { grant_type: 'authorization_code', code, ...demoClient(em), redirect_uri: em.banner.redirectUri });
  assert.equal(r.status, 200, r.text);
  return r.json as Record<string, string>;
}

async function getJson(url: string, token?: string): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

describe('revoke', () => {
  it('POST token= revokes an access token (200, empty body)', async () => {
    const t = await codeTokens();
    const r = await postForm(em, { token: t.access_token! }, { path: '/services/oauth2/revoke' });
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
    assert.equal(await limitsStatus(em, t.access_token!), 401);
  });

  it('GET ?token= revokes a refresh token and the access tokens minted from it', async () => {
    const t = await codeTokens();
    const res = await fetch(`${em.urls.login}/services/oauth2/revoke?token=${encodeURIComponent(t.refresh_token!)}`);
    assert.equal(res.status, 200);
    assert.equal(await limitsStatus(em, t.access_token!), 401);
    const r = await postForm(em, { grant_type: 'refresh_token', refresh_token: t.refresh_token!, ...demoClient(em) });
    assert.equal(r.json.error, 'invalid_grant');
  });

  it('unknown token → 400 form-urlencoded invalid_token (jsforce reads it)', async () => {
    const r = await postForm(em, { token: 'nope' }, { path: '/services/oauth2/revoke' });
    assert.equal(r.status, 400);
    assert.equal(new URLSearchParams(r.text).get('error'), 'invalid_token');
    const oauth2 = new jsforce.OAuth2({ loginUrl: em.urls.login, clientId: em.banner.clientId });
    await assert.rejects(oauth2.revokeToken('nope'), (e: Error) => e.name === 'invalid_token');
  });
});

describe('userinfo', () => {
  it('returns the OpenID fields from the User record', async () => {
    const t = await codeTokens('api openid');
    const r = await getJson(`${em.urls.login}/services/oauth2/userinfo`, t.access_token);
    assert.equal(r.status, 200, r.text);
    const admin = em.org.usersByName.get(demoUser(em).username)!;
    assert.equal(r.json.sub, t.id);
    assert.equal(r.json.user_id, admin.id);
    assert.equal(r.json.organization_id, em.org.orgId);
    assert.equal(r.json.preferred_username, admin.config.username);
    assert.equal(r.json.name, 'Ada Admin');
    assert.equal(r.json.given_name, 'Ada');
    assert.equal(r.json.family_name, 'Admin');
    assert.equal(r.json.email, admin.config.email);
    assert.equal(r.json.zoneinfo, 'America/Los_Angeles');
    assert.equal(r.json.user_type, 'STANDARD');
    assert.equal(r.json.active, true);
    assert.ok([-25200000, -28800000].includes(r.json.utcOffset));
    assert.match(r.json.updated_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    assert.equal(r.json.urls.rest, `${em.urls.mydomain}/services/data/v{version}/`);
  });

  it('bad token → 403 Bad_OAuth_Token', async () => {
    const r = await getJson(`${em.urls.login}/services/oauth2/userinfo`, 'bogus');
    assert.equal(r.status, 403);
    assert.equal(r.text, 'Bad_OAuth_Token');
  });
});

describe('identity URL', () => {
  it('GET with Bearer returns the identity document; version fills {version}', async () => {
    const t = await codeTokens();
    const r = await getJson(`${t.id}?version=66.0`, t.access_token);
    assert.equal(r.status, 200, r.text);
    const admin = em.org.usersByName.get(demoUser(em).username)!;
    assert.equal(r.json.id, t.id);
    assert.equal(r.json.user_id, admin.id);
    assert.equal(r.json.organization_id, em.org.orgId);
    assert.equal(r.json.username, admin.config.username);
    assert.equal(r.json.display_name, 'Ada Admin');
    assert.equal(r.json.first_name, 'Ada');
    assert.equal(r.json.last_name, 'Admin');
    assert.equal(r.json.asserted_user, true);
    assert.equal(r.json.urls.rest, `${em.urls.mydomain}/services/data/v66.0/`);
    assert.equal(r.json.urls.partner, `${em.urls.mydomain}/services/Soap/u/66.0/${em.org.orgId15}`);
    for (const k of [
      'nick_name',
      'email',
      'email_verified',
      'timezone',
      'photos',
      'status',
      'active',
      'user_type',
      'language',
      'locale',
      'utcOffset',
      'last_modified_date',
      'is_app_installed',
    ]) {
      assert.ok(k in r.json, k);
    }
  });

  it('GET ?oauth_token=&format=json (as jsforce identity() calls it); without version the placeholder stays', async () => {
    const t = await codeTokens();
    const r = await getJson(`${t.id}?format=json&oauth_token=${encodeURIComponent(t.access_token!)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.urls.rest, `${em.urls.mydomain}/services/data/v{version}/`);
  });

  it('jsforce Connection.identity() works', async () => {
    const t = await codeTokens();
    const conn = new jsforce.Connection({ instanceUrl: t.instance_url, accessToken: t.access_token, version: '66.0' });
    const info = await conn.identity();
    assert.equal(info.username, demoUser(em).username);
  });

  it('another user id → 403, another org or unknown user → 404', async () => {
    const t = await codeTokens();
    const sales = em.org.usersByName.get(demoUser(em, 'sales').username)!;
    const other = await getJson(`${em.urls.login}/id/${em.org.orgId}/${sales.id}`, t.access_token);
    assert.equal(other.status, 403);
    const wrongOrg = await getJson(`${em.urls.login}/id/00DDn0000000099AAA/${sales.id}`, t.access_token);
    assert.equal(wrongOrg.status, 404);
    const unknown = await getJson(`${em.urls.login}/id/${em.org.orgId}/005Dn0000000zzzAAA`, t.access_token);
    assert.equal(unknown.status, 404);
  });

  it('no token → 403 Missing_OAuth_Token', async () => {
    const t = await codeTokens();
    const r = await getJson(t.id!);
    assert.equal(r.status, 403);
    assert.equal(r.text, 'Missing_OAuth_Token');
  });
});

describe('introspect', () => {
  const basic = () => `Basic ${Buffer.from(`${em.banner.clientId}:${em.banner.clientSecret}`).toString('base64')}`;

  it('describes a live access token', async () => {
    const t = await codeTokens();
    const r = await postForm(em, { token: t.access_token! }, { path: '/services/oauth2/introspect', headers: { Authorization: basic() } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json), ['active', 'scope', 'client_id', 'username', 'sub', 'token_type', 'exp', 'iat', 'nbf']);
    assert.equal(r.json.active, true);
    assert.equal(r.json.scope, 'api refresh_token');
    assert.equal(r.json.client_id, em.banner.clientId);
    assert.equal(r.json.username, demoUser(em).username);
    assert.equal(r.json.token_type, 'access_token');
    assert.ok((r.json.exp as number) > (r.json.iat as number));
  });

  it('describes a refresh token (client auth in the body)', async () => {
    const t = await codeTokens();
    const r = await postForm(em, { token: t.refresh_token!, ...demoClient(em) }, { path: '/services/oauth2/introspect' });
    assert.equal(r.json.active, true);
    assert.equal(r.json.token_type, 'refresh_token');
  });

  it('unknown or revoked token → {active:false}', async () => {
    const r = await postForm(em, { token: 'nope' }, { path: '/services/oauth2/introspect', headers: { Authorization: basic() } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { active: false });
  });

  it('bad client credentials → 401 invalid_client', async () => {
    const r = await postForm(em, { token: 'x', client_id: em.banner.clientId, client_secret: 'wrong' }, { path: '/services/oauth2/introspect' });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { error: 'invalid_client', error_description: 'invalid client credentials' });
  });
});

describe('session expiry', () => {
  it('POST /__emulator/sessions/expire → REST 401 INVALID_SESSION_ID → refresh works', async () => {
    const t = await codeTokens();
    assert.equal(await limitsStatus(em, t.access_token!), 200);
    await control(em, 'POST', 'sessions/expire');
    const r = await api(em, t.access_token, 'GET', '/limits');
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const refreshed = await postForm(em, { grant_type: 'refresh_token', refresh_token: t.refresh_token!, ...demoClient(em) });
    assert.equal(refreshed.status, 200);
    assert.equal(await limitsStatus(em, refreshed.json.access_token as string), 200);
  });

  it('inactivity past sessionTimeoutSeconds expires the token', async () => {
    const t = await codeTokens();
    await control(em, 'POST', 'clock', { advanceMs: (em.org.settings.sessionTimeoutSeconds + 1) * 1000 });
    assert.equal(await limitsStatus(em, t.access_token!), 401);
  });
});
