/**
 * Acceptance (issue 4) — crash: a sync process killed with SIGKILL at random points 20 times,
 * restarted each time, with the org changing between some kills (updates sharing one
 * SystemModstamp, inserts, soft deletes); one final uninterrupted run then leaves every table
 * equal to the org, without duplicates, and the cursor on the last row. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../emulator/server.js';
import { control, startTestEmulator } from '../../emulator/test-support/harness.js';
import { backends } from '../../store/test-support/stores.js';
import { syncConnection } from '../engine.js';
import { syncFields, type DescribeField } from '../fields.js';
import { ensureSyncTable } from '../tables.js';
import { assertFeedInsertsOnce, assertMatchesTruth, storedCursor, type Category } from '../test-support/ground-truth.js';
import { openSyncTestHub, type SyncTestHub } from '../test-support/hub.js';
import { startSyncWorker } from '../test-support/worker-process.js';

const OBJECTS = ['Account', 'Contact', 'Opportunity'];
const KILLS = 20;
const BATCH = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A deterministic PRNG (mulberry32) so a failure can be replayed with the printed seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Changes the org the way users and automation do between two runs. */
async function changeOrg(em: RunningEmulator, rnd: () => number, step: number): Promise<void> {
  const admin = [...em.org.users.values()][0]!.id;
  const pick = (object: string, n: number) => {
    const live = [...em.org.data.table(object).live()];
    const out = new Set<string>();
    while (out.size < Math.min(n, live.length)) out.add(live[Math.floor(rnd() * live.length)]!.Id as string);
    return [...out];
  };
  // 1,100 updates sharing one SystemModstamp: a tie across several pages of 200.
  const { now } = await control<{ now: number }>(em, 'GET', '');
  await control(em, 'POST', 'records/Account/update', { ids: pick('Account', 1100), values: { Description: `crash step ${step}` }, at: now });
  await control(em, 'POST', 'records/Opportunity/update', { ids: pick('Opportunity', 40), values: { Amount: 1000 + step } });
  for (let i = 0; i < 25; i++) em.org.data.insert('Account', { Name: `Crash ${step}-${i}`, NumberOfEmployees: i, Industry: 'Energy' }, admin);
  for (const id of pick('Account', 5)) em.org.data.softDelete(em.org.data.find(id)!.record, admin);
  for (const id of pick('Contact', 2)) em.org.data.softDelete(em.org.data.find(id)!.record, admin);
  // Rows stamped in the server's current second are read by the next run.
  await control(em, 'POST', 'clock', { advanceMs: 2000 });
}

for (const backend of backends) {
  describe(`crash: SIGKILL ${KILLS}× mid-run (${backend.name})`, { skip: backend.skip }, () => {
    let em: RunningEmulator;
    let t: SyncTestHub;
    before(async () => {
      em = await startTestEmulator({ config: { settings: { records: 300, extraAccounts: 3000 } } });
      t = await openSyncTestHub(backend, em);
    });
    after(async () => {
      await t?.cleanup();
      await em?.close();
    });

    it('resumes exactly after every kill; the end state equals the org', { timeout: 120_000 }, async () => {
      const seed = Number(process.env.FORCEBRIDGE_CRASH_SEED ?? Date.now() % 1_000_000);
      const rnd = prng(seed);
      const started = Date.now();
      // The typical run length, learnt from runs that end before their kill.
      let typicalMs = 1000;
      let kills = 0;
      let midObject = 0;
      const log: string[] = [];
      const cursors = async () => JSON.stringify(await Promise.all(OBJECTS.map((o) => storedCursor(t.hub.store, t.connectionId, o))));
      // The next process starts (loads, opens its hub, waits) while the current one runs.
      const spawnWorker = () => startSyncWorker(t, { objects: OBJECTS, batchSize: BATCH, waitForGo: true });
      let next = spawnWorker();
      for (let i = 0; kills < KILLS && i < KILLS * 3; i++) {
        if (i > 0 && i % 4 !== 0) await changeOrg(em, rnd, i);
        const before = await cursors();
        const w = next;
        const waitStart = Date.now();
        await w.ready;
        log.push(`  waited ${Date.now() - waitStart} ms for the process`);
        w.go();
        next = spawnWorker();
        const readyAt = Date.now();
        const delay = 3 + Math.floor(rnd() * typicalMs);
        const killed = await Promise.race([sleep(delay).then(() => true), w.exited.then(() => false)]);
        if (killed) w.child.kill('SIGKILL');
        const end = await w.exited;
        if (end.signal === 'SIGKILL') {
          kills++;
          // A cursor that moved in a run that did not finish: the kill landed between page commits.
          const moved = (await cursors()) !== before;
          if (moved) midObject++;
          log.push(`kill ${kills} after ${delay} ms${moved ? ', after a page commit' : ''}`);
        } else {
          assert.equal(end.code, 0, `run ${i} ended with code ${end.code}: ${JSON.stringify(end.result)} ${end.stderr.slice(-2000)}`);
          const took = Date.now() - readyAt;
          typicalMs = Math.max(50, took, Math.round(typicalMs * 0.6));
          log.push(`run ${i} completed in ${took} ms`);
        }
      }
      next.child.kill('SIGKILL');
      await next.exited;
      assert.equal(kills, KILLS, `only ${kills} kills landed mid-run (seed ${seed}):\n${log.join('\n')}`);

      await changeOrg(em, rnd, 999);
      const last = startSyncWorker(t, { objects: OBJECTS, batchSize: BATCH });
      const end = await last.exited;
      assert.equal(end.code, 0, `final run: ${JSON.stringify(end.result)} ${end.stderr.slice(-2000)}`);
      assert.equal(end.result?.status, 'succeeded');
      const runs = await t.hub.store.db.selectFrom('sync_runs').select('status').where('connection_id', '=', t.connectionId).execute();
      assert.ok(!runs.some((r) => r.status === 'running'), 'killed runs are marked interrupted, not left running');
      assert.ok(runs.filter((r) => r.status === 'interrupted').length >= 1);

      const compared = new Set<Category>();
      for (const object of OBJECTS) {
        const r = await assertMatchesTruth(em, t.hub.store, t.connectionId, object);
        for (const [k, n] of Object.entries(r.compared)) if (n > 0) compared.add(k as Category);
        await assertFeedInsertsOnce(t.hub.store, t.connectionId, object);
      }
      assert.deepEqual([...compared].sort(), ['boolean', 'date', 'datetime', 'number', 'picklist', 'reference', 'text']);
      // Some kills must have landed after the cursor moved (inside the object's read, between pages).
      assert.ok(midObject >= 3, `only ${midObject} kills landed after a page commit (seed ${seed}):\n${log.join('\n')}`);
      if (process.env.FORCEBRIDGE_CRASH_LOG) process.stdout.write(`${log.join('\n')}\n`);
      process.stdout.write(`# crash ${backend.name}: seed ${seed}, ${kills} kills (${midObject} after a page commit), ${Date.now() - started} ms\n`);
    });

    it('a kill between creating an object table and recording its columns does not wedge the object', async () => {
      // The exact state such a kill leaves: the table and its sync_objects row exist, only some
      // sync_fields rows were written. (Random kills land there rarely; this makes it certain.)
      const { client } = await t.hub.service.client(t.hub.tenant.id, t.connectionId);
      const d = await client.request<{ fields: DescribeField[] }>({ method: 'GET', path: '/sobjects/Case/describe' });
      const fields = syncFields(d.json.fields);
      await ensureSyncTable(t.hub.store, t.connectionId, 'Case', fields);
      const kept = fields.slice(0, 5).map((f) => f.field);
      await t.hub.store.db
        .deleteFrom('sync_fields')
        .where('connection_id', '=', t.connectionId)
        .where('object', '=', 'Case')
        .where('field', 'not in', kept)
        .execute();
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Case'] });
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failures.map((f) => `${f.object}: ${f.error.message}`)));
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Case');
    });
  });
}
