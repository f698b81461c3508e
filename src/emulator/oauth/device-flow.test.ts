/**
 * Device flow end to end: device code → polling pending → the user types the code on
 * `/setup/connect`, logs in and allows → the next poll gets tokens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../server.js';
import { startTestEmulator } from '../test-support/harness.js';
import { INVALID_USER_CODE_MESSAGE } from './device-verify.js';
import { demoUser, expectedSignature, inputValue, limitsStatus, postForm } from './testing.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator();
});
after(() => em.close());

describe('device flow', () => {
  it('pending → approve on the verification page → tokens (multipart, as sfdx-core sends)', async () => {
    const start = await postForm(em, { response_type: 'device_code', client_id: em.banner.clientId, scope: 'api refresh_token' }, { multipart: true });
    assert.equal(start.status, 200, start.text);
    assert.deepEqual(Object.keys(start.json), ['device_code', 'user_code', 'verification_uri', 'interval']);
    assert.equal(start.json.verification_uri, `${em.urls.login}/setup/connect`);
    assert.equal(start.json.interval, em.org.settings.deviceInterval);
    const poll = () => postForm(em, { grant_type: 'device', client_id: em.banner.clientId, code: start.json.device_code as string }, { multipart: true });

    const pending = await poll();
    assert.equal(pending.status, 400);
    assert.equal(pending.json.error, 'authorization_pending');

    // The user opens the verification page and types the code.
    const entry = await fetch(start.json.verification_uri as string);
    assert.match(await entry.text(), /name="user_code"/);
    const wrong = await postForm(em, { user_code: 'NOPE1234', action: 'connect' }, { path: '/setup/connect' });
    assert.ok(wrong.text.includes(INVALID_USER_CODE_MESSAGE));
    const userCode = start.json.user_code as string;
    const login = await postForm(em, { user_code: userCode, action: 'connect' }, { path: '/setup/connect' });
    assert.match(login.text, /name="password"/);
    assert.equal(inputValue(login.text, 'user_code'), userCode);
    const a = demoUser(em);
    const consent = await postForm(em, { user_code: userCode, action: 'login', username: a.username, password: a.password }, { path: '/setup/connect' });
    assert.match(consent.text, /Allow Access\?/);
    const sid = inputValue(consent.text, 'sid')!;
    assert.equal((await poll()).json.error, 'authorization_pending');
    const done = await postForm(em, { user_code: userCode, action: 'allow', sid }, { path: '/setup/connect' });
    assert.equal(done.status, 200);
    assert.match(done.text, /Device Connected/);

    const tokens = await poll();
    assert.equal(tokens.status, 200, tokens.text);
    assert.deepEqual(Object.keys(tokens.json), ['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    assert.equal(tokens.json.signature, expectedSignature(em.banner.clientSecret, tokens.json.id as string, tokens.json.issued_at as string));
    assert.equal(await limitsStatus(em, tokens.json.access_token as string), 200);

    // The device code is spent.
    const reuse = await poll();
    assert.deepEqual(reuse.json, { error: 'invalid_grant', error_description: 'invalid device code' });
    // And the user code no longer opens the page.
    const stale = await postForm(em, { user_code: userCode }, { path: '/setup/connect' });
    assert.ok(stale.text.includes(INVALID_USER_CODE_MESSAGE));
  });

  it('GET /setup/connect?user_code= with a browser session goes straight to Allow', async () => {
    const start = await postForm(em, { response_type: 'device_code', client_id: em.banner.clientId });
    const a = demoUser(em);
    const consent = await postForm(
      em,
      { user_code: start.json.user_code as string, action: 'login', username: a.username, password: a.password },
      { path: '/setup/connect' },
    );
    const cookie = consent.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const res = await fetch(`${em.urls.login}/setup/connect?user_code=${start.json.user_code as string}`, { headers: { Cookie: cookie } });
    assert.match(await res.text(), /Allow Access\?/);
  });

  it('an unknown device code → invalid_grant', async () => {
    const r = await postForm(em, { grant_type: 'device', client_id: em.banner.clientId, code: 'bogus' });
    assert.deepEqual(r.json, { error: 'invalid_grant', error_description: 'invalid device code' });
  });
});
