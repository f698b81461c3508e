import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { feedEntries } from './feed.js';
import { syncConnection } from './engine.js';
import { assertMatchesTruth, tableRows } from './test-support/ground-truth.js';
import { openSyncTestHub, type SyncTestHub } from './test-support/hub.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 200 } } });
});
after(() => em.close());

interface Logged {
  path: string;
  query: string;
}
const apiCalls = async (since: number) => (await control<Logged[]>(em, 'GET', `requests?since=${since}`)).filter((l) => l.path.startsWith('/services/data/'));
const deletedCalls = (log: Logged[]) => log.filter((l) => /\/deleted\/?$/.test(l.path));
const idQueries = (log: Logged[], object: string) =>
  log.filter((l) => /\/query$/.test(l.path) && new URLSearchParams(l.query).get('q') === `SELECT Id FROM ${object}`);
const liveIds = (object: string, n: number, skip = 0) => [...em.org.data.table(object).live()].slice(skip, skip + n).map((r) => r.Id as string);

async function objectState(t: SyncTestHub, object: string) {
  return t.hub.store.db
    .selectFrom('sync_objects')
    .selectAll()
    .where('connection_id', '=', t.connectionId)
    .where('object', '=', object)
    .executeTakeFirstOrThrow();
}

for (const backend of backends) {
  describe(`hard deletes (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    before(async () => {
      t = await openSyncTestHub(backend, em);
    });
    after(() => t.cleanup());

    it('getDeleted finds records purged within its window, on its own schedule', async () => {
      const first = await syncConnection(t.hub, t.connectionId, { objects: ['Account'] });
      assert.equal(first.status, 'succeeded');
      assert.equal(first.objects[0]!.deletes.method, 'none');
      const checked = (await objectState(t, 'Account')).deletes_checked_at;
      assert.ok(checked !== null && checked % MINUTE === 0, 'the first load records where getDeleted starts (a whole minute)');

      // One record purged straight away, one soft-deleted then purged before any run saw it.
      const [hard, binned] = liveIds('Account', 2);
      await control(em, 'POST', 'records/Account/purge', { ids: [hard] });
      em.org.data.softDelete(em.org.data.find(binned!)!.record, [...em.org.users.values()][0]!.id);
      await control(em, 'POST', 'records/Account/purge', { ids: [binned] });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });

      let since = em.org.requestLog.lastSeq;
      const early = await syncConnection(t.hub, t.connectionId, { objects: ['Account'] });
      assert.equal(early.status, 'succeeded');
      assert.equal(deletedCalls(await apiCalls(since)).length, 0, 'getDeleted is not asked every cycle');
      assert.equal((await tableRows(t.hub.store, t.connectionId, 'Account')).get(hard!)!._fb_deleted_at, null);

      await control(em, 'POST', 'clock', { advanceMs: 61 * MINUTE });
      since = em.org.requestLog.lastSeq;
      const seqBefore = await feedSeq(t);
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Account'] });
      assert.equal(run.status, 'succeeded');
      const log = await apiCalls(since);
      assert.equal(deletedCalls(log).length, 1);
      assert.equal(idQueries(log, 'Account').length, 0, 'no reconciliation within the window');
      assert.deepEqual([run.objects[0]!.deletes.method, run.objects[0]!.deletes.deleted], ['getDeleted', 2]);
      assert.equal(run.objects[0]!.deleted, 2);
      const rows = await tableRows(t.hub.store, t.connectionId, 'Account');
      for (const id of [hard!, binned!]) assert.equal(typeof rows.get(id)!._fb_deleted_at, 'number', `${id} marked with the time seen`);
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Account');
      const feed = await feedEntries(t.hub.store, t.connectionId, { after: Number(seqBefore) });
      assert.deepEqual(feed.map((f) => `${f.op}:${f.id}`).sort(), [`delete:${hard}`, `delete:${binned}`].sort());
      const st = await objectState(t, 'Account');
      assert.ok(st.deletes_checked_at! > checked!, 'the next check starts where this one ended');
    });

    it('a hard delete beyond the recycle bin and past the getDeleted window is found by id reconciliation', async () => {
      const [gone] = liveIds('Account', 1);
      // The deletion log forgets it too: getDeleted could never report it.
      await control(em, 'POST', 'records/Account/purge', { ids: [gone], forgetDeletion: true });
      await control(em, 'POST', 'clock', { advanceMs: 16 * DAY });
      const since = em.org.requestLog.lastSeq;
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Account'] });
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failures.map((f) => f.error.message)));
      const log = await apiCalls(since);
      assert.equal(deletedCalls(log).length, 0, 'a start before the window is not sent to getDeleted');
      assert.equal(idQueries(log, 'Account').length, 1);
      assert.equal(run.objects[0]!.deletes.method, 'reconcile');
      assert.match(run.objects[0]!.deletes.reason!, /window/);
      assert.ok(run.objects[0]!.deletes.deleted >= 1);
      assert.equal(typeof (await tableRows(t.hub.store, t.connectionId, 'Account')).get(gone!)!._fb_deleted_at, 'number');
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Account');
      const st = await objectState(t, 'Account');
      assert.ok(
        st.reconciled_at !== null && st.deletes_checked_at === st.reconciled_at - (st.reconciled_at % MINUTE),
        'getDeleted resumes from the reconciliation',
      );
    });

    it('objects with deletes "reconcile" and objects getDeleted does not serve are reconciled on their schedule', async () => {
      const catalog = [
        { object: 'Contact', deletes: 'reconcile', reconcileMinutes: 30 },
        { object: 'Profile', reconcileMinutes: 30 },
      ];
      // A profile no user holds, so purging it leaves the org consistent.
      const model = [...em.org.data.table('Profile').live()][0]!;
      const profile = em.org.data.insert(
        'Profile',
        { Name: `Spare ${backend.name}`, UserLicenseId: model.UserLicenseId ?? null, UserType: 'Standard' },
        [...em.org.users.values()][0]!.id,
      );
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const first = await syncConnection(t.hub, t.connectionId, { objects: ['Contact', 'Profile'], catalog });
      assert.equal(first.status, 'succeeded', JSON.stringify(first.failures.map((f) => f.error.message)));
      assert.ok((await tableRows(t.hub.store, t.connectionId, 'Profile')).has(profile.Id as string));
      const [contact] = liveIds('Contact', 1, 2);
      await control(em, 'POST', 'records/Contact/purge', { ids: [contact], forgetDeletion: true });
      await control(em, 'POST', 'records/Profile/purge', { ids: [profile.Id] });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      let since = em.org.requestLog.lastSeq;
      await syncConnection(t.hub, t.connectionId, { objects: ['Contact', 'Profile'], catalog });
      let log = await apiCalls(since);
      assert.equal(idQueries(log, 'Contact').length + idQueries(log, 'Profile').length, 0, 'not due yet');

      await control(em, 'POST', 'clock', { advanceMs: 31 * MINUTE });
      since = em.org.requestLog.lastSeq;
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Contact', 'Profile'], catalog });
      assert.equal(run.status, 'succeeded');
      log = await apiCalls(since);
      assert.equal(deletedCalls(log).length, 0, 'Profile is not replicateable: getDeleted is not asked');
      assert.equal(idQueries(log, 'Contact').length, 1);
      assert.equal(idQueries(log, 'Profile').length, 1);
      assert.deepEqual(
        run.objects.map((o) => [o.object, o.deletes.method, o.deletes.deleted]),
        [
          ['Contact', 'reconcile', 1],
          ['Profile', 'reconcile', 1],
        ],
      );
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Contact');
      assert.equal(typeof (await tableRows(t.hub.store, t.connectionId, 'Profile')).get(profile.Id as string)!._fb_deleted_at, 'number');
    });

    it('a full run reconciles ids; a forced check asks getDeleted now', async () => {
      const [gone] = liveIds('Account', 1);
      await control(em, 'POST', 'records/Account/purge', { ids: [gone], forgetDeletion: true });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const full = await syncConnection(t.hub, t.connectionId, { objects: ['Account'], full: true });
      assert.equal(full.objects[0]!.deletes.method, 'reconcile');
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Account');

      const [hard] = liveIds('Account', 1);
      await control(em, 'POST', 'records/Account/purge', { ids: [hard] });
      await control(em, 'POST', 'clock', { advanceMs: 2 * MINUTE });
      const forced = await syncConnection(t.hub, t.connectionId, { objects: ['Account'], force: { deletes: true } });
      assert.deepEqual([forced.objects[0]!.deletes.method, forced.objects[0]!.deletes.deleted], ['getDeleted', 1]);
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Account');
    });
  });
}

async function feedSeq(t: SyncTestHub): Promise<number> {
  const r = await t.hub.store.db.selectFrom('sync_feed_seq').select('last_seq').where('connection_id', '=', t.connectionId).executeTakeFirst();
  return Number(r?.last_seq ?? 0);
}
