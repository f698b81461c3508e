import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureGroup, ensureTenant, ensureUser } from '../connections/tenancy.js';
import { demoIntegration, demoSecrets } from '../connections/test-support/hub.js';
import type { RunningEmulator } from '../emulator/server.js';
import { startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { honoPath } from './endpoint.js';
import { MCP_PATH } from './mcp.js';
import { ENDPOINTS } from './routes.js';
import { ADMIN_PASSWORD, openTestServer, type TestServer } from './test-support/server.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 20 } } });
});
after(() => em.close());

for (const backend of backends) {
  describe(`HTTP API: keys, step-up, integrations (${backend.name})`, { skip: backend.skip }, () => {
    let s: TestServer;
    before(async () => {
      s = await openTestServer(backend);
    });
    after(() => s.cleanup());

    it('GET /api/v1/openapi.json: OpenAPI 3.1 listing every route the app serves', async () => {
      const r = await s.call('GET', '/api/v1/openapi.json');
      assert.equal(r.status, 200);
      assert.equal(r.json.openapi, '3.1.0');
      for (const ep of ENDPOINTS) {
        const op = r.json.paths[ep.path]?.[ep.method];
        assert.ok(op, `${ep.method} ${ep.path} documented`);
        assert.equal(op.operationId, ep.operationId);
        if (ep.body) assert.ok(op.requestBody.content['application/json'].schema, `${ep.operationId} body schema`);
      }
      // MCP (`/mcp/{connection}`) documents itself through tools/list, not OpenAPI.
      const served = s.app.routes.filter((rt) => rt.method !== 'ALL' && rt.path !== MCP_PATH).map((rt) => `${rt.method} ${rt.path}`);
      assert.deepEqual([...new Set(s.app.routes.filter((rt) => rt.path === MCP_PATH).map((rt) => rt.method))], ['GET', 'POST', 'DELETE']);
      assert.ok(!Object.keys(r.json.paths).some((p) => p.startsWith('/mcp')), 'MCP is not an OpenAPI path');
      const documented = Object.entries(r.json.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${honoPath(p)}`),
      );
      assert.deepEqual([...new Set(served)].sort(), documented.sort());
      assert.ok(r.json.components.schemas.Integration && r.json.components.schemas.Connection && r.json.components.schemas.Error);
      assert.deepEqual(r.json.paths['/api/v1/integrations/{id}'].get.parameters[0].name, 'id');
    });

    it('API-key auth: missing, malformed, unknown and revoked keys answer 401', async () => {
      const none = await s.call('GET', '/api/v1/connections');
      assert.equal(none.status, 401);
      assert.equal(none.json.error.code, 'auth.api_key_missing');
      assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
      assert.match(none.json.error.hint, /--print-admin-key/);
      for (const key of ['nope', 'fb_unknownkeyunknownkeyunknownkeyunknownkey00']) {
        const r = await s.call('GET', '/api/v1/connections', { key });
        assert.equal(r.status, 401);
        assert.equal(r.json.error.code, 'auth.api_key_invalid');
      }
      assert.equal((await s.call('GET', '/api/v1/connections', { key: s.adminKey })).status, 200);
    });

    it('api-keys: an admin creates a key (shown once), lists prefixes, revokes; non-admins may not', async () => {
      const created = await s.call('POST', '/api/v1/api-keys', { key: s.adminKey, body: { email: 'bob@example.com', group: 'sales', name: 'bob laptop' } });
      assert.equal(created.status, 201);
      assert.match(created.json.key, /^fb_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.json.apiKey.user.group, 'sales');
      assert.equal(created.json.apiKey.user.isAdmin, false);
      const bobKey: string = created.json.key;
      const list = await s.call('GET', '/api/v1/api-keys', { key: s.adminKey });
      assert.equal(list.status, 200);
      assert.ok(!list.text.includes(bobKey), 'the key is never listed');
      const listed = list.json.apiKeys.find((k: any) => k.id === created.json.apiKey.id);
      assert.ok(bobKey.startsWith(listed.prefix) && listed.prefix.length < 16);
      const forbidden = await s.call('GET', '/api/v1/api-keys', { key: bobKey });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.json.error.code, 'auth.admin_required');
      const clash = await s.call('POST', '/api/v1/api-keys', { key: s.adminKey, body: { email: 'bob@example.com', isAdmin: true } });
      assert.equal(clash.status, 409);
      assert.equal(clash.json.error.field, 'isAdmin');
      const bad = await s.call('POST', '/api/v1/api-keys', { key: s.adminKey, body: { email: 'not-an-email' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.field, 'email');
      assert.equal((await s.call('DELETE', `/api/v1/api-keys/${created.json.apiKey.id}`, { key: s.adminKey })).status, 204);
      const revoked = await s.call('GET', '/api/v1/connections', { key: bobKey });
      assert.equal(revoked.status, 401);
      assert.equal((await s.call('DELETE', '/api/v1/api-keys/key_nope', { key: s.adminKey })).status, 404);
    });

    it('step-up: saving secrets needs it; wrong password refused; fresh one passes; it expires after 5 minutes', async () => {
      const body = { ...demoIntegration(em, 'client_credentials'), name: 'CC', secrets: await demoSecrets(em, 'client_credentials') };
      const need = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body });
      assert.equal(need.status, 403);
      assert.equal(need.json.error.code, 'auth.step_up_required');
      assert.match(need.json.error.hint, /\/api\/v1\/auth\/step-up/);
      const wrong = await s.call('POST', '/api/v1/auth/step-up', { key: s.adminKey, body: { password: 'wrong password' } });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.json.error.code, 'auth.password_wrong');
      const ok = await s.call('POST', '/api/v1/auth/step-up', { key: s.adminKey, body: { password: ADMIN_PASSWORD } });
      assert.equal(ok.status, 200);
      assert.equal(ok.json.expiresAt - ok.json.stepUpAt, 5 * 60_000);
      const created = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.json.integration.secretsSet, ['clientSecret']);
      assert.ok(!created.text.includes(em.banner.clientSecret));
      s.advance(5 * 60_000 + 1_000);
      const expired = await s.call('PUT', `/api/v1/integrations/CC/secrets`, { key: s.adminKey, body: { clientSecret: em.banner.clientSecret } });
      assert.equal(expired.status, 403);
      assert.equal(expired.json.error.code, 'auth.step_up_required');
      assert.match(expired.json.error.message, /expired/);
      assert.equal((await s.call('POST', '/api/v1/auth/step-up', { key: s.adminKey, body: { password: ADMIN_PASSWORD } })).status, 200);
      const put = await s.call('PUT', `/api/v1/integrations/CC/secrets`, { key: s.adminKey, body: { clientSecret: em.banner.clientSecret } });
      assert.equal(put.status, 200);
      assert.deepEqual(put.json, { id: created.json.integration.id, secretsSet: ['clientSecret'], missing: [] });
    });

    it('step-up: another key of the same admin has its own session; repeated wrong passwords lock the key', async () => {
      const other = await s.keyFor('admin@localhost', { isAdmin: true });
      const r = await s.call('PUT', '/api/v1/integrations/CC/secrets', { key: other, body: { clientSecret: 'x' } });
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'auth.step_up_required');
      for (let i = 0; i < 5; i++) await s.call('POST', '/api/v1/auth/step-up', { key: other, body: { password: `guess ${i}` } });
      const locked = await s.call('POST', '/api/v1/auth/step-up', { key: other, body: { password: ADMIN_PASSWORD } });
      assert.equal(locked.status, 403);
      assert.equal(locked.json.error.code, 'auth.step_up_locked');
    });

    it('PUT /api/v1/auth/password needs a step-up; a user without a password is told how to set one', async () => {
      const nobody = await s.keyFor('nopass@example.com', { isAdmin: true });
      const r = await s.call('POST', '/api/v1/auth/step-up', { key: nobody, body: { password: 'whatever123' } });
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'auth.password_not_set');
      const noStep = await s.call('PUT', '/api/v1/auth/password', { key: nobody, body: { password: 'a new long password' } });
      assert.equal(noStep.json.error.code, 'auth.step_up_required');
      assert.equal((await s.call('PUT', '/api/v1/auth/password', { key: s.adminKey, body: { password: 'short' } })).json.error.field, 'password');
    });

    it('integrations: create without secrets needs no step-up; validation names the field; duplicates conflict', async () => {
      const created = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body: { ...demoIntegration(em, 'authorization_code'), name: 'Web' } });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.json.integration.secretsSet, []);
      assert.equal(created.json.integration.group, null);
      const badFlow = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body: { name: 'X', clientId: 'c', flow: 'magic' } });
      assert.equal(badFlow.status, 400);
      assert.equal(badFlow.json.error.field, 'flow');
      const misplaced = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body: { name: 'X', clientId: 'c', clientSecret: 'top-level' } });
      assert.equal(misplaced.status, 400);
      assert.equal(misplaced.json.error.field, 'clientSecret');
      const lightning = await s.call('POST', '/api/v1/integrations', {
        key: s.adminKey,
        body: { name: 'X', clientId: 'c', loginHost: 'https://acme.lightning.force.com' },
      });
      assert.equal(lightning.status, 400);
      assert.equal(lightning.json.error.field, 'loginHost');
      assert.match(lightning.json.error.message, /my\.salesforce\.com/);
      const notJson = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body: '{nope' });
      assert.equal(notJson.json.error.code, 'request.invalid_json');
      const dup = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body: { ...demoIntegration(em, 'authorization_code'), name: 'Web' } });
      assert.equal(dup.status, 409);
      assert.equal(dup.json.error.field, 'name');
      const missing = await s.call('POST', '/api/v1/auth/step-up', { key: s.adminKey, body: { password: ADMIN_PASSWORD } });
      assert.equal(missing.status, 200);
      const noSecret = await s.call('POST', '/api/v1/integrations', { key: s.adminKey, body: { ...demoIntegration(em, 'password'), name: 'PW' } });
      assert.equal(noSecret.status, 400);
      assert.equal(noSecret.json.error.code, 'integration.secret_missing');
      assert.equal(noSecret.json.error.field, 'clientSecret');
    });

    it('integrations: list, get by id or name, patch settings, delete; non-admins are refused', async () => {
      const list = await s.call('GET', '/api/v1/integrations', { key: s.adminKey });
      assert.deepEqual(
        list.json.integrations.map((i: any) => i.name),
        ['CC', 'Web'],
      );
      const web = list.json.integrations.find((i: any) => i.name === 'Web');
      assert.equal((await s.call('GET', `/api/v1/integrations/${web.id}`, { key: s.adminKey })).json.integration.name, 'Web');
      const patched = await s.call('PATCH', '/api/v1/integrations/Web', {
        key: s.adminKey,
        body: { enabled: false, scopes: ['api', 'refresh_token', 'openid'], group: 'ops' },
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.json.integration.enabled, false);
      assert.equal(patched.json.integration.group, 'ops');
      assert.deepEqual(patched.json.integration.scopes, ['api', 'refresh_token', 'openid']);
      const back = await s.call('PATCH', '/api/v1/integrations/Web', { key: s.adminKey, body: { group: null, enabled: true } });
      assert.equal(back.json.integration.group, null);
      const flowChange = await s.call('PATCH', '/api/v1/integrations/Web', { key: s.adminKey, body: { flow: 'jwt_bearer', username: 'someone@example.com' } });
      assert.equal(flowChange.status, 400);
      assert.equal(flowChange.json.error.code, 'integration.secret_missing');
      const unknown = await s.call('PATCH', '/api/v1/integrations/Web', { key: s.adminKey, body: { secrets: { clientSecret: 'x' } } });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.json.error.field, 'secrets');
      const user = await s.keyFor('dora@example.com');
      assert.equal((await s.call('GET', '/api/v1/integrations', { key: user })).status, 403);
      assert.equal((await s.call('POST', '/api/v1/integrations', { key: user, body: { name: 'Z', clientId: 'z' } })).status, 403);
      assert.equal((await s.call('DELETE', '/api/v1/integrations/CC', { key: s.adminKey })).status, 204);
      assert.equal((await s.call('GET', '/api/v1/integrations/CC', { key: s.adminKey })).status, 404);
    });

    it('GET /api/v1/integrations/resolve: group override, organization default, fallback when the override is disabled', async () => {
      const db = s.t.hub.store.db;
      const sales = await ensureGroup(db, s.t.hub.tenant.id, 'sales');
      const ops = await ensureGroup(db, s.t.hub.tenant.id, 'ops');
      const salesKey = await s.keyFor('sam@example.com', { groupId: sales });
      const opsKey = await s.keyFor('olga@example.com', { groupId: ops });
      const r0 = await s.call('POST', '/api/v1/integrations', {
        key: s.adminKey,
        body: { ...demoIntegration(em, 'authorization_code'), name: 'Sales app', group: 'sales' },
      });
      assert.equal(r0.status, 201);
      const mine = await s.call('GET', '/api/v1/integrations/resolve?environment=Production', { key: salesKey });
      assert.equal(mine.status, 200);
      assert.equal(mine.json.integration.name, 'Sales app');
      assert.equal(mine.json.source, 'group_override');
      assert.equal(mine.json.fellBack, false);
      const theirs = await s.call('GET', '/api/v1/integrations/resolve', { key: opsKey });
      assert.equal(theirs.json.integration.name, 'Web');
      assert.equal(theirs.json.source, 'tenant_default');
      await s.call('PATCH', '/api/v1/integrations/Sales app', { key: s.adminKey, body: { enabled: false } });
      const fell = await s.call('GET', '/api/v1/integrations/resolve', { key: salesKey });
      assert.equal(fell.json.integration.name, 'Web');
      assert.equal(fell.json.fellBack, true);
      const none = await s.call('GET', '/api/v1/integrations/resolve?environment=UAT', { key: salesKey });
      assert.equal(none.status, 404);
      assert.equal(none.json.error.code, 'integration.none');
    });

    it('cross-tenant: another organization’s admin sees none of these integrations', async () => {
      const other = await ensureTenant(s.t.hub.store.db, 'other-org');
      const otherAdmin = await ensureUser(s.t.hub.store.db, other.id, 'root@other.example', { isAdmin: true });
      const key = await s.keyFor(otherAdmin.email, { tenantId: other.id, isAdmin: true });
      const web = (await s.call('GET', '/api/v1/integrations/Web', { key: s.adminKey })).json.integration;
      assert.deepEqual((await s.call('GET', '/api/v1/integrations', { key })).json.integrations, []);
      for (const [m, body] of [
        ['GET', undefined],
        ['PATCH', { enabled: false }],
        ['DELETE', undefined],
      ] as const) {
        const r = await s.call(m, `/api/v1/integrations/${web.id}`, { key, ...(body ? { body } : {}) });
        assert.equal(r.status, 404, `${m} another tenant's integration`);
      }
      assert.equal((await s.call('GET', '/api/v1/api-keys', { key })).json.apiKeys.length, 1, 'only its own key');
    });

    it('errors: unknown routes are JSON 404s; every answer has no-store and a request id', async () => {
      const r = await s.call('GET', '/api/v1/nope', { key: s.adminKey });
      assert.equal(r.status, 404);
      assert.equal(r.json.error.code, 'route.not_found');
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.ok(r.headers.get('x-request-id'));
      const logged = s.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      assert.ok(logged.length > 10);
      assert.ok(logged.every((l) => typeof l.path === 'string' && !l.path.includes('?')));
    });
  });
}
