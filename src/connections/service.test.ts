import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizationCodeGrantRequest } from '../auth/flows/authorization-code.js';
import { normalizeLoginHost } from '../auth/login-host.js';
import { requestTokens } from '../auth/send.js';
import { ForcebridgeError } from '../errors.js';
import type { RunningEmulator } from '../emulator/server.js';
import { browserApproveDevice, browserAuthorize } from '../emulator/test-support/browser-login.js';
import { refreshTokenByHand } from '../emulator/test-support/tokens.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { ensureUser } from './tenancy.js';
import { demoAdmin, demoIntegration, demoSecrets, openTestHub, tokenRequestsSince, type TestHub } from './test-support/hub.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 50 } } });
});
after(() => em.close());

async function queryWorks(t: TestHub, connection: string): Promise<void> {
  const { client } = await t.hub.service.client(t.hub.tenant.id, connection);
  const res = await client.request<{ records: unknown[] }>({ method: 'GET', path: '/query', query: { q: 'SELECT Id FROM Account LIMIT 2' } });
  assert.equal(res.status, 200);
  assert.equal(res.json.records.length, 2);
}

for (const backend of backends) {
  describe(`ConnectionService (${backend.name})`, { skip: backend.skip }, () => {
    let t: TestHub;
    before(async () => {
      t = await openTestHub(backend);
    });
    after(() => t.cleanup());

    for (const flow of ['password', 'client_credentials', 'jwt_bearer'] as const) {
      it(`connectNonInteractive ${flow}: connects, stores encrypted tokens, queries`, async () => {
        const integ = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, flow), await demoSecrets(em, flow));
        const conn = await t.hub.service.connectNonInteractive(t.hub.tenant.id, integ.name);
        assert.equal(conn.state, 'active');
        assert.equal(conn.orgId, em.org.orgId);
        assert.equal(conn.instanceUrl, em.urls.mydomain);
        const row = await t.hub.store.db.selectFrom('connections').selectAll().where('id', '=', conn.id).executeTakeFirstOrThrow();
        assert.match(row.access_token_enc!, /^fbv1:/);
        await queryWorks(t, conn.name);
      });
    }

    it('connectNonInteractive refresh_token: an admin-supplied refresh token connects and is kept', async () => {
      const tokens = await refreshTokenByHand(em);
      const integ = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, 'refresh_token'), {
        clientSecret: em.banner.clientSecret,
        refreshToken: tokens.refreshToken!,
      });
      const conn = await t.hub.service.connectNonInteractive(t.hub.tenant.id, integ.name);
      assert.equal(conn.state, 'active');
      assert.ok(conn.hasRefreshToken);
      await queryWorks(t, conn.name);
    });

    it('authorization code + PKCE: state bound to the user, single-use; code exchanged', async () => {
      const integ = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, 'authorization_code'), {});
      const start = await t.hub.service.startAuthorization(t.hub.admin, integ.name);
      const u = new URL(start.url);
      assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
      assert.equal(u.searchParams.get('scope'), 'api refresh_token');
      const admin = demoAdmin(em);
      const cb = await browserAuthorize(start.url, admin.username, admin.password);
      assert.equal(cb.state, start.state);
      const conn = await t.hub.service.completeAuthorization({ tenantId: t.hub.tenant.id, user: t.hub.admin }, cb.state!, cb.code!);
      assert.equal(conn.kind, 'user');
      assert.equal(conn.ownerUserId, t.hub.admin.id);
      assert.equal(conn.state, 'active');
      await queryWorks(t, conn.name);
      await assert.rejects(
        t.hub.service.completeAuthorization({ tenantId: t.hub.tenant.id, user: t.hub.admin }, cb.state!, cb.code!),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'oauth.state_invalid' && /already used/.test(e.message),
      );
    });

    it('authorization code: a state started by another user, or unknown, is refused', async () => {
      const integ = await t.hub.integrations.get(t.hub.tenant.id, 'Emu authorization_code');
      const mallory = await ensureUser(t.hub.store.db, t.hub.tenant.id, 'mallory@example.com');
      const start = await t.hub.service.startAuthorization(t.hub.admin, integ.name);
      await assert.rejects(
        t.hub.service.completeAuthorization({ tenantId: t.hub.tenant.id, user: mallory }, start.state, 'any'),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'oauth.state_invalid',
      );
      await assert.rejects(
        t.hub.service.completeAuthorization({ tenantId: t.hub.tenant.id, user: t.hub.admin }, 'forged-state', 'any'),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'oauth.state_invalid',
      );
    });

    it('authorization code: a wrong verifier or redirect URI is refused by Salesforce', async () => {
      const integ = await t.hub.integrations.get(t.hub.tenant.id, 'Emu authorization_code');
      const admin = demoAdmin(em);
      const host = normalizeLoginHost(em.urls.login);
      for (const tamper of ['verifier', 'redirect'] as const) {
        const start = await t.hub.service.startAuthorization(t.hub.admin, integ.name);
        const cb = await browserAuthorize(start.url, admin.username, admin.password);
        const pending = await t.hub.service.states.consume(cb.state!, { tenantId: t.hub.tenant.id, userId: t.hub.admin.id });
        const req = authorizationCodeGrantRequest({
          host,
          clientId: em.banner.clientId,
          code: cb.code!,
          redirectUri: tamper === 'redirect' ? 'http://localhost:1717/Other' : pending.redirectUri,
          codeVerifier: tamper === 'verifier' ? `${pending.codeVerifier.slice(0, -4)}AAAA` : pending.codeVerifier,
        });
        await assert.rejects(requestTokens(t.hub.transport, req), (e: unknown) => e instanceof ForcebridgeError && e.kind === 'remote_error', tamper);
      }
    });

    it('device flow: shows a code, polls while pending, connects after approval', async () => {
      const integ = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, 'device'), {});
      const { device } = await t.hub.service.startDevice(t.hub.tenant.id, integ.name);
      let pending = 0;
      const admin = demoAdmin(em);
      const polling = t.hub.service.pollDevice(t.hub.tenant.id, integ.name, device, {
        intervalMs: 50,
        onPending: () => {
          pending++;
          if (pending === 2) void browserApproveDevice(device.verificationUri, device.userCode, admin.username, admin.password);
        },
      });
      const conn = await polling;
      assert.ok(pending >= 2);
      assert.equal(conn.state, 'active');
      await queryWorks(t, conn.name);
    });

    it('client: renews an expired session once and retries', async () => {
      const before = em.org.requestLog.lastSeq;
      await control(em, 'POST', 'sessions/expire');
      await queryWorks(t, 'Emu password');
      assert.equal(await tokenRequestsSince(em, before), 1);
      await queryWorks(t, 'Emu password');
      assert.equal(await tokenRequestsSince(em, before), 1, 'the renewed token is reused');
    });

    it('refresh: a revoked refresh token flips the connection to needs_reconnect with the reason', async () => {
      const conn = await t.hub.connections.get(t.hub.tenant.id, 'Emu refresh_token');
      await control(em, 'POST', `users/${encodeURIComponent(demoAdmin(em).username)}/revoke`);
      await assert.rejects(
        t.hub.refresher.renew(t.hub.tenant.id, conn.id, -1),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'oauth.refresh_token_revoked',
      );
      const after = await t.hub.connections.get(t.hub.tenant.id, conn.id);
      assert.equal(after.state, 'needs_reconnect');
      assert.equal(after.reason, 'refresh_token_revoked');
    });

    it('refresh: "token request is already being processed" is retried, not surfaced', async () => {
      const conn = await t.hub.connections.get(t.hub.tenant.id, 'Emu client_credentials');
      const since = em.org.requestLog.lastSeq;
      await control(em, 'POST', 'faults', {
        path: '^/services/oauth2/token$',
        status: 400,
        body: { error: 'invalid_request', error_description: 'token request is already being processed' },
        times: 1,
      });
      const fresh = await t.hub.refresher.renew(t.hub.tenant.id, conn.id, -1);
      assert.equal(fresh.reason, 'renewed');
      assert.equal(await tokenRequestsSince(em, since), 2);
      assert.equal((await t.hub.connections.get(t.hub.tenant.id, conn.id)).state, 'active');
    });

    it('refresh: a password that stopped working marks the connection password_changed', async () => {
      const conn = await t.hub.connections.get(t.hub.tenant.id, 'Emu password');
      await t.hub.integrations.setSecrets(t.hub.tenant.id, 'Emu password', { password: 'changed-elsewhere' });
      await assert.rejects(
        t.hub.refresher.renew(t.hub.tenant.id, conn.id, -1),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'oauth.authentication_failure',
      );
      const after = await t.hub.connections.get(t.hub.tenant.id, conn.id);
      assert.deepEqual([after.state, after.reason], ['needs_reconnect', 'password_changed']);
      const admin = demoAdmin(em);
      await t.hub.integrations.setSecrets(t.hub.tenant.id, 'Emu password', { password: admin.password });
      await t.hub.refresher.renew(t.hub.tenant.id, conn.id, -1);
      assert.equal((await t.hub.connections.get(t.hub.tenant.id, conn.id)).state, 'active');
    });

    it('refresh: transient failures are retried and never flip the state', async () => {
      const conn = await t.hub.connections.get(t.hub.tenant.id, 'Emu client_credentials');
      await control(em, 'POST', 'faults', { path: '^/services/oauth2/token$', status: 503, body: 'Service Unavailable', times: 2 });
      const fresh = await t.hub.refresher.renew(t.hub.tenant.id, conn.id, -1);
      assert.equal(fresh.reason, 'renewed');
      assert.equal((await t.hub.connections.get(t.hub.tenant.id, conn.id)).state, 'active');
    });
  });
}
