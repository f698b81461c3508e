import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureGroup, ensureTenant } from '../connections/tenancy.js';
import { demoIntegration, demoSecrets } from '../connections/test-support/hub.js';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { feedEntries } from '../sync/feed.js';
import { syncConnection } from '../sync/engine.js';
import { openTestServer, type TestServer } from './test-support/server.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 200 } } });
});
after(() => em.close());

interface Change {
  op: 'insert' | 'update' | 'delete';
  id: string;
  at: number;
  record?: Record<string, unknown>;
}

for (const backend of backends) {
  describe(`GET /api/v1/connections/{id}/records/{object} (${backend.name})`, { skip: backend.skip }, () => {
    let s: TestServer;
    let connectionId: string;
    let salesKey: string;
    let opsKey: string;
    let otherTenantKey: string;
    const touched: { renamed?: string; created?: string; victim?: string } = {};

    before(async () => {
      s = await openTestServer(backend);
      const { hub } = s.t;
      const sales = await ensureGroup(hub.store.db, hub.tenant.id, 'sales');
      const ops = await ensureGroup(hub.store.db, hub.tenant.id, 'ops');
      salesKey = await s.keyFor('sam@example.com', { groupId: sales });
      opsKey = await s.keyFor('olga@example.com', { groupId: ops });
      const other = await ensureTenant(hub.store.db, 'other-co');
      otherTenantKey = await s.keyFor('eve@other.example', { tenantId: other.id, isAdmin: true });
      // A service connection of the sales group's integration: sales may use it, ops may not.
      const integ = await hub.integrations.create(
        hub.tenant.id,
        { ...demoIntegration(em, 'client_credentials'), name: 'Sales org' },
        await demoSecrets(em, 'client_credentials'),
        sales,
      );
      connectionId = (await hub.service.connectNonInteractive(hub.tenant.id, integ.id, { name: 'sales-org' })).id;
      assert.equal((await syncConnection(hub, connectionId, { objects: ['Account', 'Contact'] })).status, 'succeeded');
      // Changes for a second run: an update, an insert and a soft delete.
      const admin = [...em.org.users.values()][0]!.id;
      const live = [...em.org.data.table('Account').live()];
      const first = live[1]!;
      em.org.data.update(first, { Name: `Renamed ${backend.name}` }, admin);
      touched.renamed = first.Id as string;
      touched.created = em.org.data.insert('Account', { Name: `New ${backend.name}` }, admin).Id as string;
      const victim = live[3]!;
      em.org.data.softDelete(victim, admin);
      touched.victim = victim.Id as string;
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      assert.equal((await syncConnection(hub, connectionId, { objects: ['Account'] })).status, 'succeeded');
    });
    after(() => s.cleanup());

    const path = (object: string, q: Record<string, string> = {}) =>
      `/api/v1/connections/${connectionId}/records/${object}${Object.keys(q).length ? `?${new URLSearchParams(q)}` : ''}`;

    it('pages every change exactly once, in order, with the current record for inserts and updates', async () => {
      const expected = await feedEntries(s.t.hub.store, connectionId, { object: 'Account' });
      assert.ok(expected.length > 14, 'several pages of changes');
      const got: Change[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const r = await s.call('GET', path('Account', { limit: '7', ...(cursor ? { cursor } : {}) }), { key: salesKey });
        assert.equal(r.status, 200, r.text);
        pages++;
        assert.ok(r.json.changes.length <= 7);
        got.push(...(r.json.changes as Change[]));
        cursor = r.json.nextCursor;
        if (r.json.done) break;
        assert.equal(r.json.changes.length, 7, 'a page that is not the last is full');
      }
      assert.equal(pages, Math.ceil(expected.length / 7) + (expected.length % 7 === 0 ? 1 : 0));
      assert.deepEqual(
        got.map((c) => [c.op, c.id]),
        expected.map((e) => [e.op, e.id]),
      );
      for (const c of got) {
        if (c.op === 'delete') assert.equal(c.record, undefined);
        else {
          const rec = em.org.data.find(c.id)!.record;
          assert.equal(c.record?.Id, c.id);
          assert.equal(c.record?.Name, rec.Name);
          assert.equal(Date.parse(String(c.record?.SystemModstamp)), rec.SystemModstamp);
        }
      }
      const last = (op: string, id: string | undefined) => got.filter((c) => c.id === id).at(-1)?.op === op;
      assert.ok(last('update', touched.renamed), 'the rename is an update');
      assert.equal(got.find((c) => c.id === touched.renamed && c.op === 'update')?.record?.Name, `Renamed ${backend.name}`);
      assert.ok(last('insert', touched.created), 'the new account is an insert');
      assert.ok(last('delete', touched.victim), 'the soft delete is a delete');
      // Typed values come back in Salesforce's JSON form from both stores.
      const withBool = got.find((c) => c.record && typeof c.record.IsDeleted !== 'undefined');
      assert.equal(typeof withBool?.record?.IsDeleted, 'boolean');

      // Caught up: the cursor stays, nothing new.
      const again = await s.call('GET', path('Account', { cursor: cursor! }), { key: salesKey });
      assert.deepEqual(again.json, { changes: [], nextCursor: cursor, done: true });
      // The object name is matched as the catalog does (case-insensitively), and the name works as id.
      const lower = await s.call('GET', `/api/v1/connections/sales-org/records/account?limit=1`, { key: salesKey });
      assert.equal(lower.status, 200, lower.text);
      assert.equal(lower.json.changes[0].id, expected[0]!.id);
    });

    it('refuses connections the caller may not use with 404, as the other connection endpoints do', async () => {
      for (const key of [opsKey, otherTenantKey]) {
        const r = await s.call('GET', path('Account'), { key });
        assert.equal(r.status, 404, r.text);
        assert.equal(r.json.error.code, 'connection.not_found');
        assert.doesNotMatch(r.text, /Renamed|"changes"/);
      }
      assert.equal((await s.call('GET', path('Account'))).status, 401);
      assert.equal((await s.call('GET', path('Account'), { key: s.adminKey })).status, 200);
    });

    it('answers bad cursors, limits and unsynced objects with the field at fault', async () => {
      const bad = await s.call('GET', path('Account', { cursor: 'abc' }), { key: salesKey });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.field, 'cursor');
      const limit = await s.call('GET', path('Account', { limit: '0' }), { key: salesKey });
      assert.equal(limit.status, 400);
      assert.equal(limit.json.error.field, 'limit');
      const unsynced = await s.call('GET', path('Opportunity'), { key: salesKey });
      assert.equal(unsynced.status, 404);
      assert.equal(unsynced.json.error.code, 'feed.object_not_synced');
      assert.equal(unsynced.json.error.field, 'object');
    });

    it('is in the OpenAPI document', async () => {
      const doc = await s.call('GET', '/api/v1/openapi.json');
      const op = doc.json.paths['/api/v1/connections/{id}/records/{object}'].get;
      assert.equal(op.operationId, 'listChanges');
      assert.deepEqual(op.parameters.map((p: { name: string }) => p.name).sort(), ['cursor', 'id', 'limit', 'object']);
    });
  });
}
