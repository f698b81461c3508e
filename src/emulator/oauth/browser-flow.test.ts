/**
 * The interactive web-server flow: HTML login and Allow/Deny pages driven with fetch and with the
 * real `curl` binary (the seeds' manual procedure), and the authorize-step errors.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { RunningEmulator } from '../server.js';
import { startTestEmulator } from '../test-support/harness.js';
import { LOGIN_FAILED_MESSAGE } from './authorize/interactive.js';
import { authorizeRedirect, demoClient, demoUser, expectedSignature, inputValue, limitsStatus, postForm } from './testing.js';

const run = promisify(execFile);
const PKCE_APP = { name: 'PKCE', clientId: 'pkce-app', clientSecret: 'pkce-secret', callbackUrls: ['http://localhost:9999/cb'], pkceRequired: true };
const ADMIN_ONLY = {
  name: 'Admin only',
  clientId: 'admin-only-app',
  clientSecret: 'admin-only-secret',
  callbackUrls: ['http://localhost:9999/cb'],
  adminApprovedOnly: true,
  preAuthorizedProfiles: ['System Administrator'],
};

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { connectedApps: [PKCE_APP, ADMIN_ONLY] } });
});
after(() => em.close());

function authorizeUrl(params: Record<string, string> = {}): string {
  const u = new URL(`${em.urls.login}/services/oauth2/authorize`);
  const all = {
    response_type: 'code',
    client_id: em.banner.clientId,
    redirect_uri: em.banner.redirectUri,
    scope: 'api refresh_token',
    state: 'st 1&2',
    ...params,
  };
  for (const [k, v] of Object.entries(all)) u.searchParams.set(k, v);
  return u.toString();
}

/** Fields of the first form in a page (hidden and text inputs). */
function formFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const form = /<form[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  for (const m of form.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) out[m[1]!] = inputValue(form, m[1]!) ?? m[2]!;
  return out;
}

function cookieOf(res: Response): string {
  return (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
}

describe('authorize browser flow with fetch', () => {
  it('GET authorize → POST login form → POST Allow → code + state', async () => {
    const page = await fetch(authorizeUrl(), { redirect: 'manual' });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const loginHtml = await page.text();
    assert.match(loginHtml, /<input type="password"[^>]*name="password"/);
    const fields = formFields(loginHtml);
    assert.equal(fields.client_id, em.banner.clientId);
    assert.equal(fields.state, 'st 1&2');
    const a = demoUser(em);
    const login = await fetch(`${em.urls.login}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, username: a.username, password: a.password, action: 'login' }).toString(),
    });
    assert.equal(login.status, 200);
    const cookie = cookieOf(login);
    assert.match(cookie, /^sid=/);
    const consentHtml = await login.text();
    assert.match(consentHtml, /Allow Access\?/);
    const consentFields = formFields(consentHtml);
    const { sid: _sid, ...withoutSid } = consentFields;
    // The cookie alone carries the session (a browser does not need the hidden sid).
    const allow = await fetch(`${em.urls.login}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body: new URLSearchParams({ ...withoutSid, action: 'allow' }).toString(),
    });
    assert.equal(allow.status, 302);
    const loc = new URL(allow.headers.get('location')!);
    assert.equal(`${loc.origin}${loc.pathname}`, em.banner.redirectUri);
    assert.equal(loc.searchParams.get('state'), 'st 1&2');
    const code = loc.searchParams.get('code')!;
    assert.match(code, /^aPrx.+==$/);
    const tokens = await postForm(em, { grant_type: 'authorization_code', code, ...demoClient(em), redirect_uri: em.banner.redirectUri });
    assert.equal(tokens.status, 200);
    assert.ok(tokens.json.refresh_token);

    // The browser session skips the login page next time...
    const again = await fetch(authorizeUrl(), { redirect: 'manual', headers: { Cookie: cookie } });
    assert.match(await again.text(), /Allow Access\?/);
    // ...unless prompt=login forces it.
    const forced = await fetch(authorizeUrl({ prompt: 'login' }), { redirect: 'manual', headers: { Cookie: cookie } });
    assert.match(await forced.text(), /name="password"/);
  });

  it('Deny redirects with access_denied and the state', async () => {
    const loc = await authorizeRedirect(em, { state: 'abc' }, demoUser(em), 'deny');
    assert.equal(loc.search, '?error=access_denied&error_description=end-user+denied+authorization&state=abc');
  });

  it('a wrong password re-renders the login page with an error', async () => {
    const res = await fetch(authorizeUrl(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'login', username: demoUser(em).username, password: 'wrong' }).toString(),
    });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(html.includes(LOGIN_FAILED_MESSAGE.replace(/'/g, '&#39;')));
    assert.match(html, /name="password"/);
  });

  it('an inactive user is sent back with inactive_user', async () => {
    const u = demoUser(em, 'inactive');
    const loc = await authorizeRedirect(em, { state: 's' }, u);
    assert.equal(loc.searchParams.get('error'), 'inactive_user');
    assert.equal(loc.searchParams.get('error_description'), 'user is inactive');
    assert.equal(loc.searchParams.get('state'), 's');
  });

  it('a user outside the pre-authorized profiles gets invalid_app_access', async () => {
    const loc = await authorizeRedirect(em, { client_id: ADMIN_ONLY.clientId, redirect_uri: ADMIN_ONLY.callbackUrls[0]! }, demoUser(em, 'sales'));
    assert.equal(loc.searchParams.get('error'), 'invalid_app_access');
    assert.equal(loc.searchParams.get('error_description'), 'user is not admin approved to access this app');
  });

  it('response_type=token returns tokens in the fragment', async () => {
    const loc = await authorizeRedirect(em, { response_type: 'token', scope: 'api refresh_token', state: 'ua' });
    const frag = new URLSearchParams(loc.hash.slice(1));
    assert.deepEqual([...frag.keys()], ['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at', 'state']);
    assert.equal(frag.get('signature'), expectedSignature(em.banner.clientSecret, frag.get('id')!, frag.get('issued_at')!));
    assert.equal(await limitsStatus(em, frag.get('access_token')!), 200);
  });
});

describe('authorize errors', () => {
  async function get(url: string): Promise<{ status: number; location: string | null; text: string }> {
    const res = await fetch(url, { redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }

  it('unknown client_id → error page, no redirect', async () => {
    const r = await get(authorizeUrl({ client_id: 'nope' }));
    assert.equal(r.status, 400);
    assert.equal(r.location, null);
    assert.ok(r.text.includes('error=invalid_client_id&amp;error_description=client+identifier+invalid'));
  });

  it('missing redirect_uri → redirect_uri_missing page', async () => {
    const u = new URL(authorizeUrl());
    u.searchParams.delete('redirect_uri');
    const r = await get(u.toString());
    assert.equal(r.status, 400);
    assert.ok(r.text.includes('error=redirect_uri_missing'));
  });

  it('redirect_uri not registered (even a trailing slash) → redirect_uri_mismatch page', async () => {
    const r = await get(authorizeUrl({ redirect_uri: `${em.banner.redirectUri}/` }));
    assert.equal(r.status, 400);
    assert.equal(r.location, null);
    assert.ok(r.text.includes('error=redirect_uri_mismatch&amp;error_description=redirect_uri+mismatch+with+remote+access+object'));
  });

  it('unsupported response_type → redirect with unsupported_response_type', async () => {
    const r = await get(authorizeUrl({ response_type: 'id_token', state: 'x' }));
    assert.equal(r.status, 302);
    assert.equal(r.location, `${em.banner.redirectUri}?error=unsupported_response_type&error_description=response+type+not+supported&state=x`);
  });

  it('scope outside the app → redirect with invalid_scope', async () => {
    const r = await get(authorizeUrl({ scope: 'api chatter_api', state: 'x' }));
    assert.equal(r.location, `${em.banner.redirectUri}?error=invalid_scope&error_description=the+requested+scope+is+not+allowed&state=x`);
  });

  it('PKCE-required app without a challenge → invalid_request', async () => {
    const r = await get(authorizeUrl({ client_id: PKCE_APP.clientId, redirect_uri: PKCE_APP.callbackUrls[0]!, state: 'x' }));
    assert.equal(r.location, `${PKCE_APP.callbackUrls[0]}?error=invalid_request&error_description=missing+required+code+challenge&state=x`);
  });

  it('unknown code_challenge_method → invalid_request', async () => {
    const r = await get(authorizeUrl({ code_challenge: 'abc', code_challenge_method: 'S512', state: 'x' }));
    assert.equal(r.location, `${em.banner.redirectUri}?error=invalid_request&error_description=invalid+code+challenge+method&state=x`);
  });

  it('prompt=none without a browser session → immediate_unsuccessful', async () => {
    const r = await get(authorizeUrl({ prompt: 'none', state: 'x' }));
    assert.equal(r.location, `${em.banner.redirectUri}?error=immediate_unsuccessful&error_description=immediate+unsuccessful&state=x`);
  });
});

describe('authorize browser flow with curl', () => {
  it('login + Allow, code to the token endpoint in the query string, refresh, query', async (t) => {
    const jar = `/tmp/fb-oauth-curl-${process.pid}.jar`;
    const a = demoUser(em);
    const authz = authorizeUrl({ state: 'curl-state' });
    const curl = async (...args: string[]) => (await run('curl', ['-s', '-S', ...args])).stdout;
    t.after(() => run('rm', ['-f', jar]));

    const loginPage = await curl('-c', jar, authz);
    assert.match(loginPage, /name="password"/);
    const consent = await curl(
      '-c',
      jar,
      '-b',
      jar,
      authz,
      '-d',
      'action=login',
      '--data-urlencode',
      `username=${a.username}`,
      '--data-urlencode',
      `password=${a.password}`,
    );
    assert.match(consent, /Allow Access\?/);
    const headers = await curl('-b', jar, '-D', '-', '-o', '/dev/null', authz, '-d', 'action=allow');
    const location = /^location: (.+)$/im.exec(headers)?.[1]?.trim();
    assert.ok(location, headers);
    const callback = new URL(location);
    assert.equal(callback.searchParams.get('state'), 'curl-state');
    const code = callback.searchParams.get('code')!;

    const tokenUrl = new URL(`${em.urls.login}/services/oauth2/token`);
    for (const [k, v] of Object.entries({ grant_type: 'authorization_code', code, ...demoClient(em), redirect_uri: em.banner.redirectUri }))
      tokenUrl.searchParams.set(k, v);
    const tokens = JSON.parse(await curl('-X', 'POST', tokenUrl.toString()));
    assert.ok(tokens.refresh_token, JSON.stringify(tokens));

    const refreshed = JSON.parse(
      await curl(
        `${em.urls.login}/services/oauth2/token`,
        '-d',
        'grant_type=refresh_token',
        '--data-urlencode',
        `refresh_token=${tokens.refresh_token}`,
        '--data-urlencode',
        `client_id=${em.banner.clientId}`,
        '--data-urlencode',
        `client_secret=${em.banner.clientSecret}`,
      ),
    );
    assert.ok(refreshed.access_token, JSON.stringify(refreshed));
    assert.notEqual(refreshed.access_token, tokens.access_token);

    const out = await curl(
      '-w',
      '\n%{http_code}',
      '-H',
      `Authorization: Bearer ${refreshed.access_token}`,
      `${refreshed.instance_url}/services/data/v66.0/query?q=SELECT+Id+FROM+Account`,
    );
    const status = out.slice(out.lastIndexOf('\n') + 1);
    const body = out.slice(0, out.lastIndexOf('\n'));
    assert.equal(status, '200', body);
    assert.ok(Array.isArray(JSON.parse(body).records));
  });
});
