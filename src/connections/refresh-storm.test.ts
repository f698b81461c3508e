/**
 * Acceptance: a refresh storm of 1,000 concurrent calls in 4 processes on one expired connection
 * makes exactly one token request, and refresh-token rotation is never lost under it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../emulator/server.js';
import { browserAuthorize } from '../emulator/test-support/browser-login.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { demoAdmin, demoIntegration, openTestHub, tokenRequestsSince, type TestHub } from './test-support/hub.js';
import { refreshStorm } from './test-support/storm.js';

const ROTATING_APP = {
  name: 'Rotating app',
  clientId: '3MVG9RotatingApp',
  clientSecret: 'ROTATINGSECRET0000000000000000000',
  callbackUrls: ['http://localhost:1717/OauthRedirect'],
  refreshTokenRotation: true,
};

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 20 }, connectedApps: [ROTATING_APP] } });
});
after(() => em.close());

for (const backend of backends) {
  describe(`refresh storm (${backend.name})`, { skip: backend.skip }, () => {
    let t: TestHub;
    let connectionId: string;
    before(async () => {
      t = await openTestHub(backend);
      const integ = await t.hub.integrations.create(
        t.hub.tenant.id,
        demoIntegration(em, 'authorization_code', { name: 'Rotating', clientId: ROTATING_APP.clientId, callbackUrl: ROTATING_APP.callbackUrls[0] }),
        { clientSecret: ROTATING_APP.clientSecret },
      );
      const start = await t.hub.service.startAuthorization(t.hub.admin, integ.name);
      const admin = demoAdmin(em);
      const cb = await browserAuthorize(start.url, admin.username, admin.password);
      connectionId = (await t.hub.service.completeAuthorization({ tenantId: t.hub.tenant.id, user: t.hub.admin }, cb.state!, cb.code!)).id;
    });
    after(() => t.cleanup());

    it('1,000 calls in 4 processes make exactly one token request; the rotated refresh token is kept', async () => {
      const before = await t.hub.connections.tokens(t.hub.tenant.id, connectionId);
      const storm = await refreshStorm(em, {
        databaseUrl: t.databaseUrl,
        dataDir: t.dataDir,
        masterKey: t.masterKey,
        connection: connectionId,
        processes: 4,
        callsPerProcess: 250,
      });
      for (const w of storm.workers) assert.equal(w.failed, 0, w.firstError ?? '');
      assert.equal(
        storm.workers.reduce((n, w) => n + w.ok, 0),
        1000,
      );
      assert.equal(storm.tokenRequests, 1, 'exactly one token request');
      const after = await t.hub.connections.tokens(t.hub.tenant.id, connectionId);
      assert.notEqual(after.refreshToken, before.refreshToken, 'rotation stored');
      assert.equal(after.version, before.version + 1);
      // The stored (rotated) refresh token still works: expire again and renew once more.
      const since = em.org.requestLog.lastSeq;
      await control(em, 'POST', 'sessions/expire');
      const { client } = await t.hub.service.client(t.hub.tenant.id, connectionId);
      assert.equal((await client.request({ method: 'GET', path: '/limits' })).status, 200);
      assert.equal(await tokenRequestsSince(em, since), 1);
      assert.equal((await t.hub.connections.get(t.hub.tenant.id, connectionId)).state, 'active');
    });
  });
}
