import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoIntegration, demoSecrets, openTestHub, type TestHub } from '../connections/test-support/hub.js';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { catalogFor } from './catalog.js';
import { syncConnection } from './engine.js';
import { latestCursor } from './feed.js';
import { SyncScheduler } from './scheduler.js';
import { startReceiver, type Receiver } from './test-support/receiver.js';
import { checkWebhookUrl, signPayload, verifySignature, Webhooks, type WebhookPayload } from './webhooks.js';

describe('checkWebhookUrl', () => {
  it('accepts https anywhere and http only on loopback', () => {
    assert.equal(checkWebhookUrl('https://hooks.example.com/fb'), 'https://hooks.example.com/fb');
    for (const u of ['http://127.0.0.1:9000/x', 'http://localhost/x', 'http://[::1]:8080/']) assert.doesNotThrow(() => checkWebhookUrl(u), u);
  });
  it('refuses plain http elsewhere, credentials in the URL, other schemes and junk, naming the field', () => {
    for (const [u, code] of [
      ['http://hooks.example.com/fb', 'webhook.url_insecure'],
      ['http://10.0.0.5/fb', 'webhook.url_insecure'],
      ['ftp://127.0.0.1/fb', 'webhook.url_insecure'],
      ['https://user:pw@hooks.example.com/', 'webhook.url_credentials'],
      ['not a url', 'webhook.url_invalid'],
    ] as const)
      assert.throws(
        () => checkWebhookUrl(u),
        (e: { code: string; field: string }) => e.code === code && e.field === 'url',
        u,
      );
  });
});

describe('signPayload / verifySignature', () => {
  it('verifies its own signature and refuses a changed body, another secret or an old timestamp', () => {
    const now = Date.UTC(2025, 0, 2, 3, 4, 5);
    const body = '{"event":"sync.changed"}';
    const h = signPayload('whsec_a', body, now);
    assert.match(h, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(verifySignature('whsec_a', h, body, { nowMs: now }), true);
    assert.equal(verifySignature('whsec_a', h, body + ' ', { nowMs: now }), false);
    assert.equal(verifySignature('whsec_b', h, body, { nowMs: now }), false);
    assert.equal(verifySignature('whsec_a', h, body, { nowMs: now + 301_000 }), false);
    assert.equal(verifySignature('whsec_a', 'garbage', body, { nowMs: now }), false);
  });
});

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 40 } } });
});
after(() => em.close());

for (const backend of backends) {
  describe(`Webhooks (${backend.name})`, { skip: backend.skip }, () => {
    let t: TestHub;
    let connectionId: string;
    let ok: Receiver;
    let flaky: Receiver;
    let broken: Receiver;
    let clock = Date.now();
    const hooks = () => new Webhooks({ store: t.hub.store, vault: t.hub.vault, now: () => clock, backoffMs: [1_000, 5_000], maxAttempts: 3, timeoutMs: 2_000 });

    before(async () => {
      t = await openTestHub(backend);
      const integ = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
      connectionId = (await t.hub.service.connectNonInteractive(t.hub.tenant.id, integ.name)).id;
      ok = await startReceiver(() => 204);
      flaky = await startReceiver((n) => (n === 1 ? 500 : 200));
      broken = await startReceiver(() => 503);
    });
    after(async () => {
      await Promise.all([ok.close(), flaky.close(), broken.close()]);
      await t.cleanup();
    });

    it('a run that changed records is delivered signed; a failing receiver is retried with backoff, then given up', async () => {
      const w = hooks();
      const a = await w.create(t.hub.tenant.id, t.hub.admin.id, { url: ok.url });
      const b = await w.create(t.hub.tenant.id, t.hub.admin.id, { url: flaky.url, connectionId });
      const c = await w.create(t.hub.tenant.id, t.hub.admin.id, { url: broken.url, events: ['sync.changed', 'sync.failed'] });
      assert.match(a.secret, /^whsec_[A-Za-z0-9_-]{40,}$/);
      const stored = await t.hub.store.db.selectFrom('webhooks').select(['id', 'secret_enc']).execute();
      for (const r of stored) assert.ok(r.secret_enc.startsWith('fbv1:') && ![a.secret, b.secret, c.secret].some((s) => r.secret_enc.includes(s)));

      const run = await syncConnection(t.hub, connectionId, { objects: ['Account', 'Contact'] });
      assert.equal(run.status, 'succeeded');
      assert.equal(await w.enqueueRun(t.hub.tenant.id, connectionId, run), 3);
      assert.deepEqual(await w.deliverDue(), { delivered: 1, retrying: 2, failed: 0 });

      // The receiver that answered 204: one signed request with the run's counts and the feed cursor.
      assert.equal(ok.received.length, 1);
      const got = ok.received[0]!;
      assert.equal(verifySignature(a.secret, String(got.headers['x-forcebridge-signature']), got.body), true);
      assert.equal(verifySignature(b.secret, String(got.headers['x-forcebridge-signature']), got.body), false);
      assert.equal(got.headers['x-forcebridge-event'], 'sync.changed');
      const payload = JSON.parse(got.body) as WebhookPayload;
      assert.equal(payload.connectionId, connectionId);
      assert.equal(payload.runId, run.runId);
      assert.equal(payload.cursor, await latestCursor(t.hub.store, connectionId));
      assert.deepEqual(
        payload.objects,
        run.objects.map(({ object, inserted, updated, deleted }) => ({ object, inserted, updated, deleted })),
      );

      // Not due again until the backoff has passed.
      assert.deepEqual(await w.deliverDue(), { delivered: 0, retrying: 0, failed: 0 });
      clock += 1_000;
      assert.deepEqual(await w.deliverDue(), { delivered: 1, retrying: 1, failed: 0 });
      assert.equal(flaky.received.length, 2);
      assert.equal(flaky.received[0]!.body, flaky.received[1]!.body, 'a retry sends the same payload');
      assert.equal(verifySignature(b.secret, String(flaky.received[1]!.headers['x-forcebridge-signature']), flaky.received[1]!.body, { nowMs: clock }), true);
      clock += 5_000;
      assert.deepEqual(await w.deliverDue(), { delivered: 0, retrying: 0, failed: 1 });
      assert.equal(broken.received.length, 3);

      const [fd] = await w.deliveries(t.hub.tenant.id, b.webhook.id);
      assert.equal(fd?.status, 'delivered');
      assert.equal(fd?.attempts, 2);
      assert.equal(fd?.lastStatus, 200);
      const [bd] = await w.deliveries(t.hub.tenant.id, c.webhook.id);
      assert.deepEqual([bd?.status, bd?.attempts, bd?.lastStatus, bd?.nextAttemptAt], ['failed', 3, 503, null]);
      assert.match(bd?.lastError ?? '', /HTTP 503/);
      for (const h of [a, b, c]) await w.remove(t.hub.tenant.id, h.webhook.id);
    });

    it('a run without changes sends nothing; an unreachable receiver is recorded and retried', async () => {
      const w = hooks();
      const gone = await startReceiver();
      const url = gone.url;
      await gone.close();
      const h = await w.create(t.hub.tenant.id, t.hub.admin.id, { url });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const quiet = await syncConnection(t.hub, connectionId, { objects: ['Account'] });
      assert.equal(await w.enqueueRun(t.hub.tenant.id, connectionId, quiet), 0);

      const admin = [...em.org.users.values()][0]!.id;
      em.org.data.insert('Account', { Name: `Hooked ${backend.name}` }, admin);
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const run = await syncConnection(t.hub, connectionId, { objects: ['Account'] });
      assert.equal(await w.enqueueRun(t.hub.tenant.id, connectionId, run), 1);
      assert.deepEqual(await w.deliverDue(), { delivered: 0, retrying: 1, failed: 0 });
      const [d] = await w.deliveries(t.hub.tenant.id, h.webhook.id);
      assert.equal(d?.status, 'pending');
      assert.match(d?.lastError ?? '', /could not reach the receiver/);
      assert.equal(d?.nextAttemptAt, clock + 1_000);
      await w.remove(t.hub.tenant.id, h.webhook.id);
    });

    it('the scheduler delivers after its runs, and a hook scoped to another connection gets nothing', async () => {
      const w = hooks();
      const recv = await startReceiver();
      const other = await startReceiver();
      try {
        const h = await w.create(t.hub.tenant.id, t.hub.admin.id, { url: recv.url });
        const integ = (await t.hub.integrations.list(t.hub.tenant.id))[0]!;
        const second = await t.hub.service.connectNonInteractive(t.hub.tenant.id, integ.id, { name: 'second' });
        const scoped = await w.create(t.hub.tenant.id, t.hub.admin.id, { url: other.url, connectionId: second.id });
        const admin = [...em.org.users.values()][0]!.id;
        em.org.data.insert('Case', { Subject: `Scheduled ${backend.name}` }, admin);
        await control(em, 'POST', 'clock', { advanceMs: 2000 });
        const s = new SyncScheduler({ hub: t.hub, connections: [connectionId], entries: catalogFor(['Case']), webhooks: w });
        await s.runDue();
        await s.stop();
        assert.equal(recv.received.length, 1);
        const p = JSON.parse(recv.received[0]!.body) as WebhookPayload;
        assert.equal(p.objects[0]?.object, 'Case');
        assert.ok(verifySignature(h.secret, String(recv.received[0]!.headers['x-forcebridge-signature']), recv.received[0]!.body));
        assert.equal(other.received.length, 0);
        await w.remove(t.hub.tenant.id, h.webhook.id);
        await w.remove(t.hub.tenant.id, scoped.webhook.id);
      } finally {
        await Promise.all([recv.close(), other.close()]);
      }
    });
  });
}
