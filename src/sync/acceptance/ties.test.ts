/**
 * Acceptance (issue 4) — ties: 5,000 records updated with one SystemModstamp span many pages; a
 * run (small pages) misses none, and a run cut off inside the tie resumes from its keyset cursor
 * (SystemModstamp, Id) without missing or re-reading a row. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../emulator/server.js';
import { control, startTestEmulator } from '../../emulator/test-support/harness.js';
import { backends } from '../../store/test-support/stores.js';
import { syncConnection, type RunResult } from '../engine.js';
import { assertFeedInsertsOnce, assertMatchesTruth, storedCursor, tableRows } from '../test-support/ground-truth.js';
import { openSyncTestHub, type SyncTestHub } from '../test-support/hub.js';

const TIE = 5000;
const BATCH = 200;
const failures = (r: RunResult) => JSON.stringify(r.failures.map((f) => `${f.object}: ${f.error.message}`));

/** Gives `TIE` Accounts the same SystemModstamp (the org's current second) and a marker value. */
async function tie(em: RunningEmulator, marker: string): Promise<{ ids: string[]; at: number }> {
  const { now } = await control<{ now: number }>(em, 'GET', '');
  const live = [...em.org.data.table('Account').live()].map((r) => r.Id as string);
  // Every other row: the tie interleaves (by Id) with rows outside it.
  const ids = live.filter((_, i) => i % 2 === 0).slice(0, TIE);
  assert.equal(ids.length, TIE);
  await control(em, 'POST', 'records/Account/update', { ids, values: { Description: marker }, at: now });
  await control(em, 'POST', 'clock', { advanceMs: 2000 });
  return { ids, at: now };
}

for (const backend of backends) {
  describe(`ties: ${TIE} rows with one SystemModstamp (${backend.name})`, { skip: backend.skip }, () => {
    let em: RunningEmulator;
    let t: SyncTestHub;
    before(async () => {
      em = await startTestEmulator({ config: { settings: { records: 100, extraAccounts: 2 * TIE + 100 } } });
      t = await openSyncTestHub(backend, em);
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const first = await syncConnection(t.hub, t.connectionId, { objects: ['Account'], batchSize: 2000 });
      assert.equal(first.status, 'succeeded', failures(first));
    });
    after(async () => {
      await t?.cleanup();
      await em?.close();
    });

    it('a run with pages of 200 reads every row of the tie', async () => {
      const { ids, at } = await tie(em, 'tie one');
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Account'], batchSize: BATCH });
      assert.equal(run.status, 'succeeded', failures(run));
      const r = run.objects[0]!;
      assert.deepEqual([r.inserted, r.updated, r.deleted], [0, TIE, 0]);
      assert.ok(r.pages >= TIE / BATCH, `${r.pages} pages`);
      const rows = await tableRows(t.hub.store, t.connectionId, 'Account');
      assert.deepEqual(
        ids.filter((id) => rows.get(id)?.description !== 'tie one'),
        [],
      );
      const cursor = await storedCursor(t.hub.store, t.connectionId, 'Account');
      assert.equal(Date.parse(cursor!.at), at);
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Account');
    });

    it('a run cut off inside the tie resumes from (SystemModstamp, Id) and misses none', async () => {
      const { ids, at } = await tie(em, 'tie two');
      // The 6th page (rows 1,000–1,199 of the tie) fails past every retry: pages 1–5 are committed.
      const page6 = '^/services/data/v[0-9.]+/query(All)?/01g[A-Za-z0-9]{15}-1000$';
      await control(em, 'POST', 'faults', { path: page6, status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }], times: 100 });
      const cut = await syncConnection(t.hub, t.connectionId, { objects: ['Account'], batchSize: BATCH });
      await control(em, 'DELETE', 'faults');
      assert.notEqual(cut.status, 'succeeded', 'the run failed on page 6');
      assert.match(failures(cut), /SERVER_UNAVAILABLE|503/);
      const mid = await storedCursor(t.hub.store, t.connectionId, 'Account');
      assert.equal(Date.parse(mid!.at), at, 'the cursor stopped inside the tie');

      const resumed = await syncConnection(t.hub, t.connectionId, { objects: ['Account'], batchSize: BATCH });
      assert.equal(resumed.status, 'succeeded', failures(resumed));
      const r = resumed.objects[0]!;
      // Pages 1–5 are not read again: the resumed run starts after the cursor inside the tie.
      assert.equal(r.inserted, 0);
      assert.ok(r.updated > 0 && r.updated <= TIE - 5 * BATCH, `resumed run updated ${r.updated}`);
      const rows = await tableRows(t.hub.store, t.connectionId, 'Account');
      assert.deepEqual(
        ids.filter((id) => rows.get(id)?.description !== 'tie two'),
        [],
      );
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Account');
      await assertFeedInsertsOnce(t.hub.store, t.connectionId, 'Account');
    });
  });
}
