import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSyncTestHub, type SyncTestHub } from './test-support/hub.js';
import type { RunningEmulator } from '../emulator/server.js';
import { api, control, startTestEmulator } from '../emulator/test-support/harness.js';
import type { ForcebridgeError } from '../errors.js';
import { backends } from '../store/test-support/stores.js';
import { catalogFor } from './catalog.js';
import { syncConnection } from './engine.js';
import { syncObject } from './object-sync.js';
import { writerFor } from './writers/index.js';
import { assertFeedInsertsOnce, assertMatchesTruth, storedCursor, tableRows } from './test-support/ground-truth.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 400, bulkProcessingDelayMs: 30 } } });
});
after(() => em.close());

/** Small thresholds, pages and batches so a few dozen rows still cross result pages (locators) and batches. */
const BULK = { bulkThreshold: 10, bulk: { pageSize: 15, batchRows: 7, pollMs: 20 } };

const jobsLeft = async () => (await api<unknown[]>(em, undefined, 'GET', '/__emulator/bulk/jobs')).json.length;

for (const backend of backends) {
  describe(`Bulk initial loads (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    let connectionId: string;
    before(async () => {
      t = await openSyncTestHub(backend, em);
      connectionId = t.connectionId;
    });
    after(() => t.cleanup());

    it('an initial load above the threshold reads through Bulk, equals the org, and the next run reads over REST', async () => {
      const run = await syncConnection(t.hub, connectionId, { objects: ['Account', 'Contact', 'Case'], ...BULK });
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failures.map((f) => `${f.object}: ${f.error.message}`)));
      for (const r of run.objects) {
        assert.equal(r.method, 'bulk', `${r.object} read through Bulk`);
        assert.ok(r.pages > 2, `${r.object}: several batches (${r.pages})`);
        await assertMatchesTruth(em, t.hub.store, connectionId, r.object);
        await assertFeedInsertsOnce(t.hub.store, connectionId, r.object);
      }
      assert.equal(await jobsLeft(), 0, 'Bulk jobs deleted');

      const admin = [...em.org.users.values()][0]!.id;
      const acc = em.org.data.table('Account');
      const first = [...acc.live()][0]!;
      em.org.data.update(first, { Name: 'Renamed "Bulk", Co\nline 2' }, admin);
      const created = em.org.data.insert('Account', { Name: 'After Bulk Co' }, admin);
      em.org.data.softDelete([...acc.live()][3]!, admin);
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const inc = await syncConnection(t.hub, connectionId, { objects: ['Account'], ...BULK });
      assert.equal(inc.status, 'succeeded');
      const r = inc.objects[0]!;
      assert.equal(r.method, 'rest');
      assert.deepEqual([r.inserted >= 1, r.updated >= 1, r.deleted >= 1], [true, true, true], JSON.stringify(r));
      await assertMatchesTruth(em, t.hub.store, connectionId, 'Account');
      assert.ok(created.Id);
    });

    it('values with quotes, line breaks, tabs, backslashes, control characters and unicode survive a Bulk load, compound address included', async () => {
      const admin = [...em.org.users.values()][0]!.id;
      const tricky: Record<string, string | number>[] = [
        {
          LastName: 'Say "hi", there',
          Company: 'Quote, Co',
          Street: '1 "Main" St\nSuite \\5',
          City: 'Zürich',
          Latitude: 47.3769,
          Description: 'tab\there\r\nnext',
        },
        { LastName: 'Ünïcödé ☃ 🚀', Company: 'Back\\slash \\N Ltd', Street: 'ctrl \u0001 char' },
        { LastName: 'Plain', Company: 'Plain Co', City: 'Only City' },
      ];
      const ids = tricky.map((v) => em.org.data.insert('Lead', v, admin).Id as string);
      await control(em, 'POST', 'clock', { advanceMs: 2000 }); // past the second the load reads up to
      // Batches of 20: SQLite writes 16 rows to a statement and the rest one by one.
      const run = await syncConnection(t.hub, connectionId, { objects: ['Lead'], ...BULK, bulk: { ...BULK.bulk, pageSize: 25, batchRows: 20 } });
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failures.map((f) => f.error.message)));
      assert.equal(run.objects[0]!.method, 'bulk');
      assert.ok(run.objects[0]!.inserted > 20, 'more rows than one batch');
      await assertMatchesTruth(em, t.hub.store, connectionId, 'Lead');
      const rows = await tableRows(t.hub.store, connectionId, 'Lead');
      ids.forEach((id, n) => {
        const row = rows.get(id)!;
        assert.equal(row.lastname, tricky[n]!.LastName);
        assert.equal(row.street ?? null, tricky[n]!.Street ?? null);
        const raw = row.address;
        const address = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
        assert.equal(address.street ?? null, tricky[n]!.Street ?? null, `row ${n}: address.street`);
        assert.equal(address.city ?? null, tricky[n]!.City ?? null, `row ${n}: address.city`);
        assert.equal(address.latitude ?? null, tricky[n]!.Latitude ?? null, `row ${n}: address.latitude`);
      });
    });

    it('an object Bulk refuses is read over REST, with a note', async () => {
      const def = em.org.schema.get('Opportunity')!;
      (def as { bulkQueryable: boolean }).bulkQueryable = false;
      try {
        const run = await syncConnection(t.hub, connectionId, { objects: ['Opportunity'], ...BULK });
        assert.equal(run.status, 'succeeded', JSON.stringify(run.failures.map((f) => f.error.message)));
        const r = run.objects[0]!;
        assert.equal(r.method, 'rest');
        assert.match(r.notes.join('\n'), /Bulk API refused the query \(INVALIDENTITY/);
        await assertMatchesTruth(em, t.hub.store, connectionId, 'Opportunity');
      } finally {
        (def as { bulkQueryable: boolean }).bulkQueryable = true;
      }
    });

    it('a Bulk load that dies midway leaves no cursor; the rerun upserts over the rows written and equals the org', async () => {
      const { client } = await t.hub.service.client(t.hub.tenant.id, connectionId);
      const writer = writerFor(t.hub.store);
      let pages = 0;
      const dying = {
        ...writer,
        applyPage: async (p: Parameters<typeof writer.applyPage>[0]) => {
          if (++pages === 2) throw new Error('simulated crash');
          return writer.applyPage(p);
        },
      };
      const ctx = { store: t.hub.store, client, connectionId, now: Date.now, bulkThreshold: BULK.bulkThreshold, bulk: BULK.bulk };
      const entry = catalogFor(['Event'])[0]!;
      await assert.rejects(syncObject({ ...ctx, writer: dying }, entry), /simulated crash/);
      assert.equal(await storedCursor(t.hub.store, connectionId, 'Event'), undefined);
      assert.equal(await jobsLeft(), 0, 'the job is deleted when the load stops');
      const r = await syncObject({ ...ctx, writer }, entry);
      assert.equal(r.method, 'bulk');
      assert.ok(r.updated > 0 && r.inserted > 0, JSON.stringify(r));
      await assertMatchesTruth(em, t.hub.store, connectionId, 'Event');
      await assertFeedInsertsOnce(t.hub.store, connectionId, 'Event');
    });

    it('a Bulk job that ends Failed fails the run clearly; the rerun loads the object', async () => {
      await api(em, undefined, 'POST', '/__emulator/bulk/fail-next', { message: 'simulated processing outage' });
      const run = await syncConnection(t.hub, connectionId, { objects: ['Task'], ...BULK });
      assert.equal(run.status, 'failed');
      const err = run.failures[0]!.error as ForcebridgeError;
      assert.equal(err.code, 'sync.bulk_job_failed');
      assert.match(err.message, /Bulk query job 750\w+ on Task ended Failed: simulated processing outage/);
      assert.equal(await storedCursor(t.hub.store, connectionId, 'Task'), undefined, 'no cursor after a failed load');
      assert.equal(await jobsLeft(), 0, 'the failed job is deleted');

      const rerun = await syncConnection(t.hub, connectionId, { objects: ['Task'], ...BULK });
      assert.equal(rerun.status, 'succeeded', JSON.stringify(rerun.failures.map((f) => f.error.message)));
      assert.equal(rerun.objects[0]!.method, 'bulk');
      await assertMatchesTruth(em, t.hub.store, connectionId, 'Task');
      await assertFeedInsertsOnce(t.hub.store, connectionId, 'Task');
    });
  });
}
