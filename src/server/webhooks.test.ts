import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoIntegration, demoSecrets } from '../connections/test-support/hub.js';
import type { RunningEmulator } from '../emulator/server.js';
import { startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { syncConnection } from '../sync/engine.js';
import { startReceiver, type Receiver } from '../sync/test-support/receiver.js';
import { verifySignature, Webhooks } from '../sync/webhooks.js';
import { openTestServer, type TestServer } from './test-support/server.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 20 } } });
});
after(() => em.close());

for (const backend of backends) {
  describe(`HTTP API: webhooks (${backend.name})`, { skip: backend.skip }, () => {
    let s: TestServer;
    let recv: Receiver;
    let userKey: string;
    let connectionId: string;

    before(async () => {
      s = await openTestServer(backend);
      recv = await startReceiver();
      userKey = await s.keyFor('sam@example.com');
      const { hub } = s.t;
      const integ = await hub.integrations.create(hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
      connectionId = (await hub.service.connectNonInteractive(hub.tenant.id, integ.id, { name: 'org' })).id;
    });
    after(async () => {
      await recv.close();
      await s.cleanup();
    });

    it('POST /api/v1/webhooks (admin): subscribes, shows the secret once; list, deliveries and delete', async () => {
      const r = await s.call('POST', '/api/v1/webhooks', { key: s.adminKey, body: { url: recv.url, connection: 'org', events: ['sync.changed'] } });
      assert.equal(r.status, 201, r.text);
      const { webhook, secret } = r.json;
      assert.match(secret, /^whsec_/);
      assert.equal(webhook.connectionId, connectionId);
      assert.deepEqual(webhook.events, ['sync.changed']);

      const list = await s.call('GET', '/api/v1/webhooks', { key: s.adminKey });
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.json.webhooks.map((w: { id: string }) => w.id),
        [webhook.id],
      );
      assert.ok(!list.text.includes(secret), 'the secret is not listed');

      // A run, then its delivery, shows up in the deliveries list.
      const run = await syncConnection(s.t.hub, connectionId, { objects: ['Account'] });
      const w = new Webhooks({ store: s.t.hub.store, vault: s.t.hub.vault });
      await w.enqueueRun(s.t.hub.tenant.id, connectionId, run);
      assert.equal((await w.deliverDue()).delivered, 1);
      assert.ok(verifySignature(secret, String(recv.received[0]!.headers['x-forcebridge-signature']), recv.received[0]!.body));
      const ds = await s.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries`, { key: s.adminKey });
      assert.equal(ds.status, 200, ds.text);
      assert.equal(ds.json.deliveries.length, 1);
      assert.equal(ds.json.deliveries[0].status, 'delivered');
      assert.equal(ds.json.deliveries[0].runId, run.runId);

      assert.equal((await s.call('DELETE', `/api/v1/webhooks/${webhook.id}`, { key: s.adminKey })).status, 204);
      assert.equal((await s.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries`, { key: s.adminKey })).status, 404);
      assert.deepEqual((await s.call('GET', '/api/v1/webhooks', { key: s.adminKey })).json.webhooks, []);
      assert.ok(!s.responses.slice(1).some((t) => t.includes(secret)), 'the secret appears only in the creation answer');
    });

    it('refuses non-admins, insecure URLs and unknown connections, naming the field', async () => {
      const body = { url: recv.url };
      assert.equal((await s.call('POST', '/api/v1/webhooks', { key: userKey, body })).status, 403);
      assert.equal((await s.call('GET', '/api/v1/webhooks', { key: userKey })).status, 403);
      const insecure = await s.call('POST', '/api/v1/webhooks', { key: s.adminKey, body: { url: 'http://hooks.example.com/x' } });
      assert.equal(insecure.status, 400);
      assert.equal(insecure.json.error.code, 'webhook.url_insecure');
      assert.equal(insecure.json.error.field, 'url');
      const unknown = await s.call('POST', '/api/v1/webhooks', { key: s.adminKey, body: { ...body, connection: 'nope' } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.error.field, 'connection');
      const badEvent = await s.call('POST', '/api/v1/webhooks', { key: s.adminKey, body: { ...body, events: ['record.created'] } });
      assert.equal(badEvent.status, 400);
      assert.equal((await s.call('DELETE', '/api/v1/webhooks/wh_nope', { key: s.adminKey })).status, 404);
    });
  });
}
