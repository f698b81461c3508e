import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureGroup, ensureTenant, ensureUser } from '../connections/tenancy.js';
import { demoAdmin, demoIntegration, demoSecrets, tokenRequestsSince } from '../connections/test-support/hub.js';
import type { RunningEmulator } from '../emulator/server.js';
import { browserApproveDevice, browserAuthorize } from '../emulator/test-support/browser-login.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { refreshTokenByHand } from '../emulator/test-support/tokens.js';
import { backends } from '../store/test-support/stores.js';
import { ADMIN_PASSWORD, openTestServer, TEST_BASE_URL, type TestServer } from './test-support/server.js';

let em: RunningEmulator;
/** Every token the emulator issues during the run (its own store forgets expired ones). */
const issued = new Set<string>();
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 20 } } });
  const store = em.org.tokens;
  const issueAccess = store.issueAccess.bind(store);
  const issueRefresh = store.issueRefresh.bind(store);
  store.issueAccess = (...a) => {
    const s = issueAccess(...a);
    issued.add(s.token);
    return s;
  };
  store.issueRefresh = (...a) => {
    const g = issueRefresh(...a);
    issued.add(g.token);
    return g;
  };
});
after(() => em.close());

const CALLBACK = '/api/integrations/callback/salesforce';
const QUERY = '/services/data/v62.0/query?q=SELECT+Id+FROM+Account+LIMIT+2';

/** The callback path with the query Salesforce's redirect carried. */
function callbackPath(params: Record<string, string>): string {
  return `${CALLBACK}?${new URLSearchParams(params)}`;
}

for (const backend of backends) {
  describe(`HTTP API: connections (${backend.name})`, { skip: backend.skip }, () => {
    let s: TestServer;
    let salesKey: string;
    let salesKey2: string;
    let opsKey: string;
    const sfAdmin = () => demoAdmin(em);
    const secretsUsed: string[] = [];

    before(async () => {
      s = await openTestServer(backend);
      const db = s.t.hub.store.db;
      const sales = await ensureGroup(db, s.t.hub.tenant.id, 'sales');
      const ops = await ensureGroup(db, s.t.hub.tenant.id, 'ops');
      salesKey = await s.keyFor('sam@example.com', { groupId: sales });
      salesKey2 = await s.keyFor('sue@example.com', { groupId: sales });
      opsKey = await s.keyFor('olga@example.com', { groupId: ops });
      assert.equal((await s.call('POST', '/api/v1/auth/step-up', { key: s.adminKey, body: { password: ADMIN_PASSWORD } })).status, 200);
      for (const flow of ['password', 'client_credentials', 'jwt_bearer'] as const) {
        const secrets = await demoSecrets(em, flow);
        secretsUsed.push(...Object.values(secrets).filter((v): v is string => typeof v === 'string'));
        const r = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body: { ...demoIntegration(em, flow), secrets } });
        assert.equal(r.status, 201, r.text);
      }
      const web = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body: { ...demoIntegration(em, 'authorization_code'), name: 'Web' } });
      assert.equal(web.status, 201, web.text);
      const dev = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body: { ...demoIntegration(em, 'device'), name: 'Device' } });
      assert.equal(dev.status, 201, dev.text);
    });
    after(() => s.cleanup());

    for (const flow of ['password', 'client_credentials', 'jwt_bearer'] as const) {
      it(`POST /api/v1/connections (${flow}): connects at once; the connection answers a proxied query`, async () => {
        const r = await s.call('POST', '/api/v1/connections', { key: s.adminKey, body: { integration: `Emu ${flow}` } });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.flow, flow);
        assert.equal(r.json.connection.state, 'active');
        assert.equal(r.json.connection.kind, 'service');
        assert.equal(r.json.connection.orgId, em.org.orgId);
        const q = await s.call('POST', `/api/v1/connections/${r.json.connection.id}/proxy`, { key: s.adminKey, body: { method: 'GET', path: QUERY } });
        assert.equal(q.status, 200, q.text);
        assert.equal(q.json.status, 200);
        assert.equal(q.json.body.records.length, 2);
        assert.match(q.json.headers['sforce-limit-info'], /api-usage=\d+\/\d+/);
        assert.equal(q.json.headers.authorization, undefined);
      });
    }

    it('POST /api/v1/connections (refresh_token): an admin-supplied refresh token connects', async () => {
      const { refreshToken } = await refreshTokenByHand(em);
      const created = await s.call('POST', '/api/v1/integrations', {
        key: s.adminKey,
        body: { ...demoIntegration(em, 'refresh_token'), secrets: { clientSecret: em.banner.clientSecret, refreshToken } },
      });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.json.integration.secretsSet.sort(), ['clientSecret', 'refreshToken']);
      const r = await s.call('POST', '/api/v1/connections', { key: s.adminKey, body: { integration: 'Emu refresh_token' } });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.connection.hasRefreshToken, true);
    });

    it('POST /api/v1/connections: non-interactive flows are admin only; a flow the integration is not set up for is refused', async () => {
      const r = await s.call('POST', '/api/v1/connections', { key: salesKey, body: { integration: 'Emu password' } });
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'connection.admin_only');
      const f = await s.call('POST', '/api/v1/connections', { key: s.adminKey, body: { integration: 'Web', flow: 'password' } });
      assert.equal(f.status, 400);
      assert.equal(f.json.error.field, 'flow');
      const missing = await s.call('POST', '/api/v1/connections', { key: s.adminKey, body: {} });
      assert.equal(missing.json.error.field, 'integration');
    });

    let samConnection: string;
    it('web callback: authorization code with PKCE end to end; the state is single-use', async () => {
      const start = await s.call('POST', '/api/v1/connections', { key: salesKey, body: { integration: 'Web' } });
      assert.equal(start.status, 201, start.text);
      assert.equal(start.json.redirectUri, `${TEST_BASE_URL}${CALLBACK}`);
      const url = new URL(start.json.authorizeUrl);
      assert.equal(url.searchParams.get('redirect_uri'), start.json.redirectUri);
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      assert.match(url.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      // A Salesforce user of its own: the admin user's many authorizations below would push this
      // refresh token out (Salesforce keeps only a few per user and app).
      const sales = em.banner.users.find((u) => u.username.startsWith('sales@'))!;
      const cb = await browserAuthorize(start.json.authorizeUrl, sales.username, sales.password);
      assert.ok(cb.code && cb.state);
      const done = await s.call('GET', callbackPath({ code: cb.code!, state: cb.state! }));
      assert.equal(done.status, 200, done.text);
      assert.match(done.headers.get('content-type') ?? '', /text\/html/);
      assert.match(done.text, /Salesforce is connected/);
      assert.match(done.text, /sam@example\.com/);
      assert.ok(!done.text.includes(cb.code!) && !done.text.includes(cb.state!), 'the page shows neither code nor state');
      assert.equal(done.headers.get('referrer-policy'), 'no-referrer');
      const mine = await s.call('GET', '/api/v1/connections', { key: salesKey });
      const conn = mine.json.connections.find((c: any) => c.kind === 'user');
      assert.equal(conn.state, 'active');
      assert.equal(conn.integration.name, 'Web');
      samConnection = conn.id;
      const q = await s.call('POST', `/api/v1/connections/${conn.id}/proxy`, { key: salesKey, body: { method: 'GET', path: QUERY } });
      assert.equal(q.json.status, 200);
      const replay = await s.call('GET', callbackPath({ code: cb.code!, state: cb.state! }));
      assert.equal(replay.status, 403);
      assert.match(replay.text, /not valid/);
      assert.ok(!replay.text.includes(cb.state!));
    });

    it('web callback: a state presented by another user, an unknown state and a missing code are refused', async () => {
      const start = await s.call('POST', '/api/v1/connections', { key: salesKey, body: { integration: 'Web' } });
      const cb = await browserAuthorize(start.json.authorizeUrl, sfAdmin().username, sfAdmin().password);
      const stolen = await s.call('GET', callbackPath({ code: cb.code!, state: cb.state! }), { key: opsKey });
      assert.equal(stolen.status, 403);
      assert.match(stolen.text, /not valid/);
      const after = await s.call('GET', callbackPath({ code: cb.code!, state: cb.state! }));
      assert.equal(after.status, 403, 'a state seen by someone else is burnt');
      const unknown = await s.call('GET', callbackPath({ code: 'abc', state: 'forged-state-value' }));
      assert.equal(unknown.status, 403);
      const incomplete = await s.call('GET', callbackPath({ state: 'x' }));
      assert.equal(incomplete.status, 400);
      assert.match(incomplete.text, /missing its code or state/);
      const xss = await s.call('GET', callbackPath({ error: '<script>alert(1)</script>', state: 'x' }));
      assert.equal(xss.status, 400);
      assert.ok(!xss.text.includes('<script>'));
    });

    it('web callback: the user pressing Deny gets a readable page and the state is burnt', async () => {
      const start = await s.call('POST', '/api/v1/connections', { key: salesKey, body: { integration: 'Web' } });
      const cb = await browserAuthorize(start.json.authorizeUrl, sfAdmin().username, sfAdmin().password, /deny/i);
      assert.equal(cb.error, 'access_denied');
      const page = await s.call('GET', callbackPath(cb));
      assert.equal(page.status, 400);
      assert.match(page.text, /chose not to allow access/);
      const retry = await s.call('GET', callbackPath({ code: 'any', state: cb.state! }));
      assert.equal(retry.status, 403);
    });

    it('web callback: a server whose callback URL is not registered on the connected app is refused by Salesforce', async () => {
      const other = await openTestServer(backend, { baseUrl: 'http://127.0.0.1:9999' });
      try {
        await other.call('POST', '/api/v1/integrations', { key: other.adminKey, body: { ...demoIntegration(em, 'authorization_code'), name: 'Web' } });
        const start = await other.call('POST', '/api/v1/connections', { key: other.adminKey, body: { integration: 'Web' } });
        assert.equal(start.json.redirectUri, `http://127.0.0.1:9999${CALLBACK}`);
        await assert.rejects(browserAuthorize(start.json.authorizeUrl, sfAdmin().username, sfAdmin().password), /redirect_uri|400/);
      } finally {
        await other.cleanup();
      }
    });

    it('device flow through the API: code shown, pending until approved, then connected (only its starter may poll)', async () => {
      const start = await s.call('POST', '/api/v1/connections', { key: salesKey2, body: { integration: 'Device' } });
      assert.equal(start.status, 201, start.text);
      assert.equal(start.json.flow, 'device');
      assert.ok(start.json.userCode && start.json.verificationUri);
      assert.ok(!start.text.includes('device_code'));
      const pending = await s.call('POST', start.json.pollUrl, { key: salesKey2 });
      assert.equal(pending.status, 202, pending.text);
      assert.equal(pending.json.status, 'pending');
      assert.equal((await s.call('POST', start.json.pollUrl, { key: salesKey })).status, 404, 'another user cannot poll it');
      await browserApproveDevice(start.json.verificationUri, start.json.userCode, sfAdmin().username, sfAdmin().password);
      const done = await s.call('POST', start.json.pollUrl, { key: salesKey2 });
      assert.equal(done.status, 200, done.text);
      assert.equal(done.json.status, 'connected');
      assert.equal(done.json.connection.kind, 'user');
      assert.equal(done.json.connection.state, 'active');
      const again = await s.call('POST', start.json.pollUrl, { key: salesKey2 });
      assert.equal(again.json.connection.id, done.json.connection.id);
    });

    it('proxy: a session expiring in the middle is renewed once; API usage is recorded', async () => {
      const id = (await s.call('GET', '/api/v1/connections/Emu password', { key: s.adminKey })).json.connection.id;
      assert.equal((await s.call('POST', `/api/v1/connections/${id}/proxy`, { key: s.adminKey, body: { method: 'GET', path: QUERY } })).json.status, 200);
      const seq = em.org.requestLog.lastSeq;
      await control(em, 'POST', 'sessions/expire');
      const r = await s.call('POST', `/api/v1/connections/${id}/proxy`, { key: s.adminKey, body: { method: 'GET', path: QUERY } });
      assert.equal(r.json.status, 200);
      assert.equal(await tokenRequestsSince(em, seq), 1, 'exactly one renewal');
      assert.equal((await s.call('POST', `/api/v1/connections/${id}/proxy`, { key: s.adminKey, body: { method: 'GET', path: QUERY } })).json.status, 200);
      assert.equal(await tokenRequestsSince(em, seq), 1, 'the renewed session is reused');
      const shown = await s.call('GET', `/api/v1/connections/${id}`, { key: s.adminKey });
      assert.ok(shown.json.connection.apiUsage.used > 0);
    });

    it('proxy: Salesforce errors come back as they are; writes and 5xx retries pass through', async () => {
      const id = (await s.call('GET', '/api/v1/connections/Emu password', { key: s.adminKey })).json.connection.id;
      const bad = await s.call('POST', `/api/v1/connections/${id}/proxy`, {
        key: s.adminKey,
        body: { method: 'GET', path: '/services/data/v62.0/query?q=SELECT+Nope+FROM+Account' },
      });
      assert.equal(bad.status, 200);
      assert.equal(bad.json.status, 400);
      assert.equal(bad.json.body[0].errorCode, 'INVALID_FIELD');
      const created = await s.call('POST', `/api/v1/connections/${id}/proxy`, {
        key: s.adminKey,
        body: { method: 'POST', path: '/services/data/v62.0/sobjects/Account', body: { Name: 'Via proxy' } },
      });
      assert.equal(created.json.status, 201, created.text);
      assert.equal(created.json.body.success, true);
      await control(em, 'POST', 'faults', { path: '^/services/data/v62.0/limits$', status: 503, body: 'busy', times: 1 });
      const retried = await s.call('POST', `/api/v1/connections/${id}/proxy`, {
        key: s.adminKey,
        body: { method: 'GET', path: '/services/data/v62.0/limits' },
      });
      assert.equal(retried.json.status, 200, 'a GET is retried after a 503');
    });

    it('proxy: paths outside /services/data/ and unsafe headers are refused with the field named', async () => {
      const id = (await s.call('GET', '/api/v1/connections/Emu password', { key: s.adminKey })).json.connection.id;
      for (const path of [
        '/services/oauth2/token',
        '/services/data/../oauth2/token',
        '/services/data/%2e%2e/oauth2/revoke',
        '//evil.example/services/data/',
        'https://evil.example/services/data/v62.0/',
      ]) {
        const r = await s.call('POST', `/api/v1/connections/${id}/proxy`, { key: s.adminKey, body: { method: 'GET', path } });
        assert.equal(r.status, 400, path);
        assert.equal(r.json.error.code, 'proxy.path_refused', path);
        assert.equal(r.json.error.field, 'path');
      }
      const h = await s.call('POST', `/api/v1/connections/${id}/proxy`, {
        key: s.adminKey,
        body: { method: 'GET', path: QUERY, headers: { Authorization: 'Bearer x' } },
      });
      assert.equal(h.status, 400);
      assert.equal(h.json.error.field, 'headers.Authorization');
      const m = await s.call('POST', `/api/v1/connections/${id}/proxy`, { key: s.adminKey, body: { method: 'TRACE', path: QUERY } });
      assert.equal(m.json.error.field, 'method');
    });

    it('isolation: users see and use only their own per-user connections and their group’s service connections', async () => {
      const db = s.t.hub.store.db;
      const r = await s.call('POST', '/api/v1/integrations', {
        key: s.adminKey,
        body: { ...demoIntegration(em, 'client_credentials'), name: 'Sales CC', group: 'sales', secrets: await demoSecrets(em, 'client_credentials') },
      });
      assert.equal(r.status, 201, r.text);
      const svc = (await s.call('POST', '/api/v1/connections', { key: s.adminKey, body: { integration: 'Sales CC' } })).json.connection;
      const names = async (key: string) => ((await s.call('GET', '/api/v1/connections', { key })).json.connections as any[]).map((c) => c.name).sort();
      const sam = await names(salesKey);
      assert.ok(sam.includes('Sales CC') && sam.includes('Emu password'));
      assert.ok(sam.some((n) => n.endsWith(':sam@example.com')) && !sam.some((n) => n.endsWith(':sue@example.com')));
      const olga = await names(opsKey);
      assert.ok(!olga.includes('Sales CC'), 'ops cannot see the sales group’s service connection');
      assert.ok(!olga.some((n) => n.includes('@')), 'nor anyone’s per-user connection');
      const admin = await names(s.adminKey);
      assert.ok(admin.includes('Sales CC') && !admin.some((n) => n.includes('@example.com')), 'admins see service connections, not people’s own');
      for (const [key, id, who] of [
        [opsKey, svc.id, 'ops → sales service connection'],
        [salesKey2, samConnection, 'sue → sam’s connection'],
        [s.adminKey, samConnection, 'admin → sam’s connection'],
      ] as const) {
        assert.equal((await s.call('GET', `/api/v1/connections/${id}`, { key })).status, 404, who);
        assert.equal((await s.call('POST', `/api/v1/connections/${id}/proxy`, { key, body: { method: 'GET', path: QUERY } })).status, 404, who);
        assert.equal((await s.call('DELETE', `/api/v1/connections/${id}`, { key })).status, 404, who);
      }
      assert.equal((await s.call('POST', '/api/v1/connections', { key: opsKey, body: { integration: 'Sales CC', flow: 'client_credentials' } })).status, 404);
      const other = await ensureTenant(db, 'isolated-org');
      const root = await ensureUser(db, other.id, 'root@isolated.example', { isAdmin: true });
      const foreign = await s.keyFor(root.email, { tenantId: other.id, isAdmin: true });
      assert.deepEqual((await s.call('GET', '/api/v1/connections', { key: foreign })).json.connections, []);
      for (const id of [svc.id, samConnection, 'Emu password']) {
        assert.equal((await s.call('GET', `/api/v1/connections/${id}`, { key: foreign })).status, 404);
        assert.equal((await s.call('POST', `/api/v1/connections/${id}/proxy`, { key: foreign, body: { method: 'GET', path: QUERY } })).status, 404);
        assert.equal((await s.call('DELETE', `/api/v1/connections/${id}`, { key: foreign })).status, 404);
      }
      assert.equal((await s.call('POST', '/api/v1/connections', { key: foreign, body: { integration: 'Web' } })).status, 404);
      const noServiceDelete = await s.call('DELETE', `/api/v1/connections/${svc.id}`, { key: salesKey });
      assert.equal(noServiceDelete.status, 403);
    });

    it('DELETE /api/v1/connections/{id}: revokes the token at Salesforce, then deletes', async () => {
      const tokens = await s.t.hub.connections.tokens(s.t.hub.tenant.id, samConnection);
      const r = await s.call('DELETE', `/api/v1/connections/${samConnection}`, { key: salesKey });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.revoked, 'revoked');
      assert.equal(em.org.tokens.lookupRefresh(tokens.refreshToken!), undefined, 'the refresh token no longer works at Salesforce');
      assert.equal((await s.call('GET', `/api/v1/connections/${samConnection}`, { key: salesKey })).status, 404);
      const svc = (await s.call('GET', '/api/v1/connections/Emu jwt_bearer', { key: s.adminKey })).json.connection;
      await control(em, 'POST', 'faults', { path: '^/services/oauth2/revoke$', status: 503, body: 'down', times: 1 });
      const kept = await s.call('DELETE', `/api/v1/connections/${svc.id}`, { key: s.adminKey });
      assert.equal(kept.status, 502);
      assert.equal(kept.json.error.code, 'connection.revoke_failed');
      assert.equal((await s.call('GET', `/api/v1/connections/${svc.id}`, { key: s.adminKey })).status, 200, 'kept when revocation failed');
      const gone = await s.call('DELETE', `/api/v1/connections/${svc.id}`, { key: s.adminKey });
      assert.equal(gone.status, 200);
      // JWT bearer holds only an access token; the earlier session expiry already ended it.
      assert.equal(gone.json.revoked, 'already_invalid');
    });

    it('no answer and no log line of this run contains a token, a secret or an API key', async () => {
      const tokens = [...issued];
      assert.ok(tokens.length > 5, `emulator issued ${tokens.length} tokens`);
      const secrets = [...secretsUsed, em.banner.clientSecret, sfAdmin().password, sfAdmin().securityToken, ADMIN_PASSWORD];
      const pemLines = secretsUsed.filter((v) => v.includes('PRIVATE KEY')).flatMap((pem) => pem.split('\n').filter((l) => l.length > 40));
      const needles = [...tokens, ...secrets, ...pemLines].filter((n) => n.length >= 8);
      for (const text of s.responses)
        for (const n of needles) assert.ok(!text.includes(n), `a response contains a secret (${n.slice(0, 4)}…): ${text.slice(0, 300)}`);
      const keys = [s.adminKey, salesKey, salesKey2, opsKey];
      for (const line of s.logs)
        for (const n of [...needles, ...keys]) assert.ok(!line.includes(n), `a log line contains a secret (${n.slice(0, 4)}…): ${line.slice(0, 300)}`);
    });
  });
}
