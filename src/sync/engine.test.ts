import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../connections/test-support/hub.js';
import { openSyncTestHub, type SyncTestHub } from './test-support/hub.js';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { feedEntries } from './feed.js';
import { syncConnection } from './engine.js';
import { assertMatchesTruth as assertOrgTruth, tableRows as syncedRows } from './test-support/ground-truth.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 400 } } });
});
after(() => em.close());

const assertMatchesTruth = (t: TestHub, connectionId: string, object: string) => assertOrgTruth(em, t.hub.store, connectionId, object);
const tableRows = (t: TestHub, connectionId: string, object: string) => syncedRows(t.hub.store, connectionId, object);

for (const backend of backends) {
  describe(`syncConnection (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    let connectionId: string;
    before(async () => {
      t = await openSyncTestHub(backend, em);
      connectionId = t.connectionId;
    });
    after(() => t.cleanup());

    it('a first run makes every object table equal the org (ids, values, soft deletes marked)', async () => {
      const run = await syncConnection(t.hub, connectionId);
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failures.map((f) => `${f.object}: ${f.error.message}`)));
      for (const object of ['Account', 'Contact', 'Opportunity', 'Case', 'EmailMessage', 'Task', 'Event', 'User'])
        await assertMatchesTruth(t, connectionId, object);
      const lic = await tableRows(t, connectionId, 'UserLicense');
      assert.equal(lic.size, em.org.data.table('UserLicense').rows.size);
    });

    it('an incremental run picks up changes, new rows, soft deletes and a new custom field', async () => {
      const admin = [...em.org.users.values()][0]!.id;
      const acc = em.org.data.table('Account');
      const first = [...acc.live()][0]!;
      em.org.data.update(first, { Name: 'Renamed Co' }, admin);
      const created = em.org.data.insert('Account', { Name: 'Brand New Co' }, admin);
      const victim = [...acc.live()][5]!;
      em.org.data.softDelete(victim, admin);
      // The emulator is shared by both backends' suites: each adds its own field.
      const field = `Tier_${backend.name}__c`;
      await control(em, 'POST', 'schema/Account/fields', { name: field, type: 'string' });
      em.org.data.update(created, { [field]: 'Gold' }, admin);
      // Rows stamped in the server's current second are read next run; move the clock past it.
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const seqBefore =
        (await t.hub.store.db.selectFrom('sync_feed_seq').select('last_seq').where('connection_id', '=', connectionId).executeTakeFirst())?.last_seq ?? 0;
      const run = await syncConnection(t.hub, connectionId, { objects: ['Account'] });
      assert.equal(run.status, 'succeeded');
      const r = run.objects[0]!;
      assert.deepEqual(r.columnsAdded, [field]);
      assert.ok(r.inserted >= 1 && r.updated >= 1 && r.deleted >= 1, JSON.stringify(r));
      await assertMatchesTruth(t, connectionId, 'Account');
      const rows = await tableRows(t, connectionId, 'Account');
      assert.equal(rows.get(created.Id as string)![field.toLowerCase()], 'Gold');
      const feed = await feedEntries(t.hub.store, connectionId, { after: Number(seqBefore) });
      assert.equal(feed.length, r.inserted + r.updated + r.deleted);
      assert.deepEqual(
        feed.map((f) => f.seq),
        feed.map((_, i) => Number(seqBefore) + 1 + i),
        'consecutive seqs',
      );
      const ops = new Map(feed.map((f) => [f.id, f.op]));
      assert.equal(ops.get(created.Id as string), 'insert');
      assert.equal(ops.get(victim.Id as string), 'delete');
      assert.equal(ops.get(first.Id as string), 'update');
    });

    it('a no-change cycle over N objects makes N API calls and changes nothing', async () => {
      const objects = ['Account', 'Contact', 'Opportunity', 'Case'];
      await syncConnection(t.hub, connectionId, { objects });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const since = em.org.requestLog.lastSeq;
      const run = await syncConnection(t.hub, connectionId, { objects });
      assert.equal(run.status, 'succeeded');
      for (const o of run.objects) assert.deepEqual([o.inserted, o.updated, o.deleted], [0, 0, 0]);
      const log = await control<{ path: string; counted: boolean }[]>(em, 'GET', `requests?since=${since}`);
      const counted = log.filter((l) => l.counted);
      assert.equal(counted.length, objects.length, JSON.stringify(counted.map((l) => l.path)));
      // A change still gets described (drift) and read: the probe, describe and the read.
      const admin = [...em.org.users.values()][0]!.id;
      em.org.data.update([...em.org.data.table('Contact').live()][0]!, { Title: 'Changed' }, admin);
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const again = await syncConnection(t.hub, connectionId, { objects: ['Contact'] });
      assert.equal(again.objects[0]!.updated, 1);
    });

    it('a custom field added without any record change appears as a column on the next run', async () => {
      const field = `Quiet_${backend.name}__c`;
      await control(em, 'POST', 'schema/Contact/fields', { name: field, type: 'string' });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const run = await syncConnection(t.hub, connectionId, { objects: ['Contact'] });
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(run.objects[0]!.columnsAdded, [field]);
      const rows = await tableRows(t, connectionId, 'Contact');
      assert.ok([...rows.values()].every((r) => field.toLowerCase() in r));
    });
  });
}
