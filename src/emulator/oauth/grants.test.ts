/**
 * Every grant succeeding: exact success field sets per flow, a verifiable signature, a token that
 * works on REST, refresh (and rotation), PKCE variants, code single use and expiry, and the
 * request variants Salesforce accepts (query-string parameters, multipart, HTTP Basic).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../server.js';
import { control, startTestEmulator } from '../test-support/harness.js';
import { s256 } from './pkce.js';
import { authorizationCode, authorizeRedirect, demoClient, demoUser, expectedSignature, limitsStatus, postForm, type OAuthResult } from './testing.js';

const ROTATING = {
  name: 'Rotating',
  clientId: 'rotating-app',
  clientSecret: 'rotating-secret',
  callbackUrls: ['http://localhost:9999/cb'],
  refreshTokenRotation: true,
  pkceRequired: true,
  requireSecretForWebServerFlow: true,
};

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { connectedApps: [ROTATING] } });
});
after(() => em.close());

function assertTokens(r: OAuthResult, fields: string[], secret = em.banner.clientSecret): void {
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json), fields);
  assert.match(r.json.access_token as string, new RegExp(`^${em.org.orgId15}!`));
  assert.equal(r.json.instance_url, em.urls.mydomain);
  assert.match(r.json.id as string, new RegExp(`^${em.urls.login.replace(/[.]/g, '\\.')}/id/${em.org.orgId}/005`));
  assert.equal(r.json.token_type, 'Bearer');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  if ('issued_at' in r.json) {
    assert.match(r.json.issued_at as string, /^\d{13}$/);
    assert.ok(Math.abs(Number(r.json.issued_at) - em.org.clock.nowPrecise()) < 60_000);
  }
  if ('signature' in r.json) assert.equal(r.json.signature, expectedSignature(secret, r.json.id as string, r.json.issued_at as string));
  assert.ok(!('expires_in' in r.json));
}

const CODE_FIELDS_REFRESH = ['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at'];
const CODE_FIELDS = ['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at'];

async function exchange(code: string, extra: Record<string, string> = {}): Promise<OAuthResult> {
  return postForm(em, { grant_type: 'authorization_code', code, ...demoClient(em), redirect_uri: em.banner.redirectUri, ...extra });
}

describe('authorization_code grant', () => {
  it('succeeds with refresh_token scope: exact fields, signature, REST works', async () => {
    const r = await exchange(await authorizationCode(em, { scope: 'api refresh_token' }));
    assertTokens(r, CODE_FIELDS_REFRESH);
    assert.equal(r.json.scope, 'api refresh_token');
    assert.equal(await limitsStatus(em, r.json.access_token as string), 200);
  });

  it('gives no refresh token without refresh_token/offline_access scope', async () => {
    const r = await exchange(await authorizationCode(em, { scope: 'api' }));
    assertTokens(r, CODE_FIELDS);
  });

  it('gives an id_token with openid', async () => {
    const r = await exchange(await authorizationCode(em, { scope: 'api openid offline_access', nonce: 'n-1' }));
    assertTokens(r, ['access_token', 'refresh_token', 'signature', 'scope', 'id_token', 'instance_url', 'id', 'token_type', 'issued_at']);
    const [, payload] = (r.json.id_token as string).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    assert.equal(claims.sub, r.json.id);
    assert.equal(claims.aud, em.banner.clientId);
    assert.equal(claims.nonce, 'n-1');
  });

  it('grants all app scopes when scope is omitted', async () => {
    const r = await exchange(await authorizationCode(em));
    assert.equal(r.json.scope, em.org.apps.get(em.banner.clientId)!.scopes.join(' '));
  });

  it('PKCE S256 succeeds with a 171-char verifier (jsforce)', async () => {
    const verifier = 'A'.repeat(171);
    const code = await authorizationCode(em, { code_challenge: s256(verifier), code_challenge_method: 'S256', scope: 'api' });
    assertTokens(await exchange(code, { code_verifier: verifier }), CODE_FIELDS);
  });

  it('PKCE without a method is taken as S256 (jsforce sends none)', async () => {
    const verifier = 'b'.repeat(64);
    const code = await authorizationCode(em, { code_challenge: s256(verifier), scope: 'api' });
    assertTokens(await exchange(code, { code_verifier: verifier }), CODE_FIELDS);
  });

  it('PKCE plain succeeds and a mismatch fails', async () => {
    const verifier = 'plain-verifier-'.repeat(4);
    const ok = await authorizationCode(em, { code_challenge: verifier, code_challenge_method: 'plain', scope: 'api' });
    assertTokens(await exchange(ok, { code_verifier: verifier }), CODE_FIELDS);
    const bad = await authorizationCode(em, { code_challenge: verifier, code_challenge_method: 'plain', scope: 'api' });
    const r = await exchange(bad, { code_verifier: `${verifier}x` });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { error: 'invalid_request', error_description: 'invalid code verifier' });
  });

  it('rejects a reused code', async () => {
    const code = await authorizationCode(em, { scope: 'api' });
    assert.equal((await exchange(code)).status, 200);
    const again = await exchange(code);
    assert.equal(again.status, 400);
    assert.deepEqual(again.json, { error: 'invalid_grant', error_description: 'expired authorization code' });
  });

  it('rejects an expired code (clock advanced past authCodeTtlSeconds)', async () => {
    const code = await authorizationCode(em, { scope: 'api' });
    await control(em, 'POST', 'clock', { advanceMs: (em.org.settings.authCodeTtlSeconds + 1) * 1000 });
    const r = await exchange(code);
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { error: 'invalid_grant', error_description: 'expired authorization code' });
  });

  it('accepts every parameter in the query string of the POST', async () => {
    const code = await authorizationCode(em, { scope: 'api refresh_token' });
    const r = await postForm(em, {}, { query: { grant_type: 'authorization_code', code, ...demoClient(em), redirect_uri: em.banner.redirectUri } });
    assertTokens(r, CODE_FIELDS_REFRESH);
  });

  it('accepts multipart/form-data', async () => {
    const code = await authorizationCode(em, { scope: 'api' });
    const r = await postForm(em, { grant_type: 'authorization_code', code, ...demoClient(em), redirect_uri: em.banner.redirectUri }, { multipart: true });
    assertTokens(r, CODE_FIELDS);
  });

  it('accepts client credentials in HTTP Basic', async () => {
    const code = await authorizationCode(em, { scope: 'api' });
    const basic = Buffer.from(`${em.banner.clientId}:${em.banner.clientSecret}`).toString('base64');
    const r = await postForm(
      em,
      { grant_type: 'authorization_code', code, redirect_uri: em.banner.redirectUri },
      { headers: { Authorization: `Basic ${basic}` } },
    );
    assertTokens(r, CODE_FIELDS);
  });

  it('answers format=urlencoded', async () => {
    const code = await authorizationCode(em, { scope: 'api' });
    const r = await exchange(code, { format: 'urlencoded' });
    assert.equal(r.status, 200);
    const body = new URLSearchParams(r.text);
    assert.deepEqual([...body.keys()], CODE_FIELDS);
    assert.equal(body.get('token_type'), 'Bearer');
  });
});

describe('refresh_token grant', () => {
  it('issues a new access token without a new refresh token', async () => {
    const first = await exchange(await authorizationCode(em, { scope: 'api refresh_token' }));
    const r = await postForm(em, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token as string, ...demoClient(em) });
    assertTokens(r, CODE_FIELDS);
    assert.notEqual(r.json.access_token, first.json.access_token);
    assert.equal(await limitsStatus(em, r.json.access_token as string), 200);
  });

  it('works without client_secret (optional for refresh)', async () => {
    const first = await exchange(await authorizationCode(em, { scope: 'api refresh_token' }));
    const r = await postForm(em, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token as string, client_id: em.banner.clientId });
    assertTokens(r, CODE_FIELDS);
  });

  it('rotates the refresh token when the app says so (PKCE-required app with secret)', async () => {
    const verifier = 'r'.repeat(60);
    const loc = new URL(
      (
        await authorizeRedirect(em, {
          client_id: ROTATING.clientId,
          redirect_uri: ROTATING.callbackUrls[0]!,
          scope: 'api refresh_token',
          code_challenge: s256(verifier),
        })
      ).toString(),
    );
    const code = loc.searchParams.get('code')!;
    const base = { client_id: ROTATING.clientId, client_secret: ROTATING.clientSecret };
    const first = await postForm(em, { grant_type: 'authorization_code', code, ...base, redirect_uri: ROTATING.callbackUrls[0]!, code_verifier: verifier });
    assertTokens(first, CODE_FIELDS_REFRESH, ROTATING.clientSecret);
    const second = await postForm(em, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token as string, ...base });
    assertTokens(second, CODE_FIELDS_REFRESH, ROTATING.clientSecret);
    assert.notEqual(second.json.refresh_token, first.json.refresh_token);
    const stale = await postForm(em, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token as string, ...base });
    assert.deepEqual(stale.json, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
    const third = await postForm(em, { grant_type: 'refresh_token', refresh_token: second.json.refresh_token as string, ...base });
    assertTokens(third, CODE_FIELDS_REFRESH, ROTATING.clientSecret);
  });
});

describe('password grant', () => {
  it('succeeds with password + security token: doc field set', async () => {
    const a = demoUser(em);
    assert.match(a.password, /[#&% ]/);
    const r = await postForm(em, { grant_type: 'password', ...demoClient(em), username: a.username, password: a.password + a.securityToken });
    assertTokens(r, ['access_token', 'signature', 'instance_url', 'id', 'token_type', 'issued_at']);
    assert.equal(await limitsStatus(em, r.json.access_token as string), 200);
  });

  it('form-decodes + and %XX in the password (query string too)', async () => {
    const a = demoUser(em);
    // Hand-built body: spaces as '+', reserved characters as %XX — what a form encoder sends.
    const raw = `grant_type=password&client_id=${encodeURIComponent(em.banner.clientId)}&client_secret=${em.banner.clientSecret}&username=${encodeURIComponent(a.username)}&password=${encodeURIComponent(a.password + a.securityToken).replace(/%20/g, '+')}`;
    const res = await fetch(`${em.urls.login}/services/oauth2/token?${raw}`, { method: 'POST' });
    assert.equal(res.status, 200, await res.clone().text());
    const body = await fetch(`${em.urls.login}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: raw,
    });
    assert.equal(body.status, 200);
  });

  it('a literal + in a password is a space after form decoding', async () => {
    const em2 = await startTestEmulator({
      config: {
        users: [
          {
            username: 'plus@forcebridge-demo.example',
            password: 'a+b c',
            securityToken: 'TOK',
            profile: 'Standard User',
            lastName: 'Plus',
            email: 'plus@forcebridge-demo.example',
          },
        ],
      },
    });
    try {
      const base = { grant_type: 'password', ...demoClient(em2), username: 'plus@forcebridge-demo.example' };
      assert.equal((await postForm(em2, { ...base, password: 'a+b cTOK' })).status, 200);
      // Unencoded '+' (a client that forgot to form-encode) arrives as a space and fails.
      const res = await fetch(`${em2.urls.login}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `${new URLSearchParams(base).toString()}&password=a+b%20cTOK`,
      });
      assert.deepEqual(await res.json(), { error: 'invalid_grant', error_description: 'authentication failure' });
    } finally {
      await em2.close();
    }
  });

  it('trusted-IP users need no security token', async () => {
    const em2 = await startTestEmulator({
      config: {
        users: [
          {
            username: 'trusted@forcebridge-demo.example',
            password: 'Trusted1',
            securityToken: 'TOK',
            profile: 'Standard User',
            lastName: 'T',
            email: 'trusted@forcebridge-demo.example',
            trustedIp: true,
          },
        ],
      },
    });
    try {
      const r = await postForm(em2, { grant_type: 'password', ...demoClient(em2), username: 'trusted@forcebridge-demo.example', password: 'Trusted1' });
      assert.equal(r.status, 200, r.text);
    } finally {
      await em2.close();
    }
  });

  it('a user without API permission gets a token but REST answers API_DISABLED_FOR_ORG', async () => {
    const u = demoUser(em, 'noapi');
    const r = await postForm(em, { grant_type: 'password', ...demoClient(em), username: u.username, password: u.password + u.securityToken });
    assert.equal(r.status, 200);
    assert.equal(await limitsStatus(em, r.json.access_token as string), 403);
  });
});

describe('client_credentials grant', () => {
  it('succeeds on the My Domain host as the Run-As user', async () => {
    const r = await postForm(em, { grant_type: 'client_credentials', ...demoClient(em) }, { host: 'mydomain' });
    assertTokens(r, ['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    const runAs = em.org.usersByName.get(em.org.apps.get(em.banner.clientId)!.clientCredentialsUser!)!;
    assert.ok((r.json.id as string).endsWith(`/${runAs.id}`));
    assert.equal(await limitsStatus(em, r.json.access_token as string), 200);
  });

  it('accepts HTTP Basic client auth (simple-salesforce)', async () => {
    const basic = Buffer.from(`${em.banner.clientId}:${em.banner.clientSecret}`).toString('base64');
    const r = await postForm(em, { grant_type: 'client_credentials' }, { host: 'mydomain', headers: { Authorization: `Basic ${basic}` } });
    assert.equal(r.status, 200, r.text);
  });
});

describe('sessions record the host role', () => {
  it('a sandbox login gets a sandbox identity URL', async () => {
    const a = demoUser(em);
    const r = await postForm(
      em,
      { grant_type: 'password', ...demoClient(em), username: a.username, password: a.password + a.securityToken },
      { host: 'sandbox' },
    );
    assert.ok((r.json.id as string).startsWith(`${em.urls.sandbox}/id/`));
    assert.equal(em.org.tokens.peekAccess(r.json.access_token as string)?.hostRole, 'sandbox');
  });
});
