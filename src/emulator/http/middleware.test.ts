import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../server.js';
import { api, control, startTestEmulator, tokenFor } from '../test-support/harness.js';

let em: RunningEmulator;
let token: string;

before(async () => {
  em = await startTestEmulator();
  token = tokenFor(em, 'admin');
});
after(() => em.close());

describe('requireSession', () => {
  it('answers 401 INVALID_SESSION_ID without a token', async () => {
    const r = await api(em, undefined, 'GET', '/limits');
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    assert.equal(r.headers.get('content-type'), 'application/json;charset=UTF-8');
  });

  it('answers 401 INVALID_SESSION_ID for an unknown token', async () => {
    const r = await api(em, `${em.org.orgId15}!AQnotARealToken`, 'GET', '/limits');
    assert.equal(r.status, 401);
    assert.equal(r.json[0].errorCode, 'INVALID_SESSION_ID');
  });

  it('accepts the older "OAuth <token>" header form', async () => {
    const r = await api(em, undefined, 'GET', '/limits', undefined, { Authorization: `OAuth ${token}` });
    assert.equal(r.status, 200);
  });

  it('answers INVALID_AUTH_HEADER for an odd Authorization header', async () => {
    const r = await api(em, undefined, 'GET', '/limits', undefined, { Authorization: 'Basic abc' });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, [{ message: 'INVALID_HEADER_TYPE', errorCode: 'INVALID_AUTH_HEADER' }]);
  });

  it('ends sessions after the inactivity timeout', async () => {
    const t = tokenFor(em, 'admin');
    assert.equal((await api(em, t, 'GET', '/limits')).status, 200);
    await control(em, 'POST', 'clock', { advanceMs: (em.org.settings.sessionTimeoutSeconds + 1) * 1000 });
    const r = await api(em, t, 'GET', '/limits');
    assert.equal(r.status, 401);
    assert.equal(r.json[0].errorCode, 'INVALID_SESSION_ID');
    token = tokenFor(em, 'admin');
  });

  it('ends every session on the control API "expire sessions"', async () => {
    const t = tokenFor(em, 'sales');
    const res = await control(em, 'POST', 'sessions/expire');
    assert.ok(res.expired >= 1);
    assert.equal((await api(em, t, 'GET', '/limits')).status, 401);
    token = tokenFor(em, 'admin');
  });

  it('refuses users whose profile has no API access', async () => {
    const r = await api(em, tokenFor(em, 'noapi'), 'GET', '/limits');
    assert.equal(r.status, 403);
    assert.equal(r.json[0].errorCode, 'API_DISABLED_FOR_ORG');
  });
});

describe('apiVersion', () => {
  it('lists versions without authentication and without Sforce-Limit-Info', async () => {
    const r = await api(em, undefined, 'GET', '/services/data/');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('sforce-limit-info'), null);
    const last = r.json.at(-1);
    assert.deepEqual(last, { label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
    assert.equal(r.json[0].version, '20.0');
  });

  it('answers 404 NOT_FOUND for versions not served', async () => {
    for (const v of ['v99.0', 'v19.0', 'latest-ish']) {
      const r = await api(em, token, 'GET', `/services/data/${v}/limits`);
      assert.equal(r.status, 404, v);
      assert.deepEqual(r.json, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    }
  });

  it('serves the version root with the identity URL of the caller', async () => {
    const r = await api(em, token, 'GET', '/services/data/v60.0/');
    assert.equal(r.status, 200);
    assert.equal(r.json.sobjects, '/services/data/v60.0/sobjects');
    assert.match(r.json.identity, new RegExp(`^${em.urls.login}/id/${em.org.orgId}/005`));
  });
});

describe('apiLimit', () => {
  it('counts calls in Sforce-Limit-Info and /limits', async () => {
    const a = await api(em, token, 'GET', '/limits');
    const b = await api(em, token, 'GET', '/limits');
    const used = (h: string | null) => Number(/api-usage=(\d+)\/(\d+)/.exec(h ?? '')?.[1]);
    assert.equal(used(b.headers.get('sforce-limit-info')), used(a.headers.get('sforce-limit-info')) + 1);
    assert.equal(b.json.DailyApiRequests.Max, em.org.settings.dailyApiLimit);
    assert.equal(b.json.DailyApiRequests.Remaining, em.org.settings.dailyApiLimit - used(b.headers.get('sforce-limit-info')));
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily allocation is spent', async () => {
    await control(em, 'POST', 'api-usage', { used: em.org.settings.dailyApiLimit });
    const r = await api(em, token, 'GET', '/limits');
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    assert.equal(r.headers.get('sforce-limit-info'), `api-usage=${em.org.settings.dailyApiLimit}/${em.org.settings.dailyApiLimit}`);
    await control(em, 'POST', 'api-usage', { used: 0 });
    assert.equal((await api(em, token, 'GET', '/limits')).status, 200);
  });
});

describe('faultInjector', () => {
  it('answers an injected status and body for the given count, then recovers', async () => {
    await control(em, 'POST', 'faults', {
      path: '/limits$',
      status: 503,
      body: [{ message: 'Server unavailable', errorCode: 'SERVER_UNAVAILABLE' }],
      times: 2,
    });
    assert.equal((await api(em, token, 'GET', '/limits')).status, 503);
    const second = await api(em, token, 'GET', '/limits');
    assert.equal(second.status, 503);
    assert.deepEqual(second.json, [{ message: 'Server unavailable', errorCode: 'SERVER_UNAVAILABLE' }]);
    assert.equal((await api(em, token, 'GET', '/limits')).status, 200);
  });

  it('adds latency', async () => {
    await control(em, 'POST', 'faults', { path: '/limits$', latencyMs: 300 });
    const t0 = Date.now();
    assert.equal((await api(em, token, 'GET', '/limits')).status, 200);
    assert.ok(Date.now() - t0 >= 290);
  });

  it('resets the connection before answering', async () => {
    await control(em, 'POST', 'faults', { path: '/limits$', reset: 'reset' });
    await assert.rejects(api(em, token, 'GET', '/limits'));
    assert.equal((await api(em, token, 'GET', '/limits')).status, 200);
  });

  it('cuts the body half-way with reset-mid-body', async () => {
    await control(em, 'POST', 'faults', { path: '/limits$', reset: 'reset-mid-body' });
    await assert.rejects(async () => {
      const res = await fetch(`${em.urls.mydomain}/services/data/v66.0/limits`, { headers: { Authorization: `Bearer ${token}` } });
      JSON.parse(await res.text());
    });
    assert.equal((await api(em, token, 'GET', '/limits')).status, 200);
  });

  it('matches by method and rejects an invalid pattern with a clear message', async () => {
    await control(em, 'POST', 'faults', { path: '/limits$', method: 'POST', status: 500 });
    assert.equal((await api(em, token, 'GET', '/limits')).status, 200);
    await control(em, 'DELETE', 'faults');
    await assert.rejects(control(em, 'POST', 'faults', { path: '(' }), /not a valid regular expression/);
    await assert.rejects(control(em, 'POST', 'faults', { path: '/x', times: 0 }), /times/);
  });
});

describe('requestLogger', () => {
  it('records method, path, status and user of every request', async () => {
    const since = em.org.requestLog.lastSeq;
    await api(em, token, 'GET', '/limits');
    await api(em, undefined, 'GET', '/limits');
    const log = await control(em, 'GET', `requests?since=${since}`);
    assert.equal(log.length, 2);
    assert.equal(log[0].path, '/services/data/v66.0/limits');
    assert.equal(log[0].status, 200);
    assert.equal(log[0].counted, true);
    assert.match(log[0].userId, /^005/);
    assert.equal(log[1].status, 401);
    assert.equal(log[1].counted, false);
  });
});

describe('control API', () => {
  it('is disabled unless the emulator runs in test or demo mode', async () => {
    const plain = await startTestEmulator({ control: false });
    try {
      const res = await fetch(`${plain.urls.login}/__emulator/truth`);
      assert.equal(res.status, 404);
      assert.match(await res.text(), /control_disabled/);
    } finally {
      await plain.close();
    }
  });

  it('reports ground truth with ids per object, including deleted and purged', async () => {
    const admin = [...em.org.users.values()][0]!.id;
    const a = em.org.data.insert('Account', { Name: 'Truth A' }, admin);
    const b = em.org.data.insert('Account', { Name: 'Truth B' }, admin);
    em.org.data.softDelete(b, admin);
    const c = em.org.data.insert('Account', { Name: 'Truth C' }, admin);
    await control(em, 'POST', 'records/Account/purge', { ids: [c.Id] });
    const truth = await control(em, 'GET', 'truth?object=Account');
    assert.ok(truth.Account.ids.includes(a.Id));
    assert.ok(truth.Account.deletedIds.includes(b.Id));
    assert.ok(truth.Account.purgedIds.includes(c.Id));
    assert.ok(!truth.Account.ids.includes(c.Id));
  });

  it('updates records with a chosen SystemModstamp (ties) and reads them back', async () => {
    const admin = [...em.org.users.values()][0]!.id;
    const ids = [1, 2, 3].map((i) => em.org.data.insert('Account', { Name: `Tie ${i}` }, admin).Id);
    const at = '2026-01-01T00:00:00.000Z';
    const res = await control(em, 'POST', 'records/Account/update', { ids, values: { Industry: 'Banking' }, at, systemOnly: true });
    assert.equal(res.updated, 3);
    for (const id of ids) {
      const rec = await control(em, 'GET', `records/Account/${id}`);
      assert.equal(rec.SystemModstamp, Date.parse(at));
      assert.equal(rec.Industry, 'Banking');
      assert.notEqual(rec.LastModifiedDate, Date.parse(at));
    }
  });

  it('validates bodies and names the bad field', async () => {
    await assert.rejects(control(em, 'POST', 'clock', { advanceMs: 'soon' }), /advanceMs/);
    await assert.rejects(control(em, 'PATCH', 'settings', { dailyApiLimit: -1 }), /dailyApiLimit/);
  });

  it('revokes a user’s refresh tokens and sessions', async () => {
    const u = em.org.usersByName.get('sales@forcebridge-demo.example')!;
    em.org.tokens.issueRefresh(u.id, em.banner.clientId, ['api', 'refresh_token'], 'login');
    const t = tokenFor(em, 'sales');
    const res = await control(em, 'POST', 'users/sales@forcebridge-demo.example/revoke');
    assert.equal(res.revoked, 1);
    assert.equal((await api(em, t, 'GET', '/limits')).status, 401);
  });
});
