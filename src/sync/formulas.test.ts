import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { feedEntries } from './feed.js';
import { syncConnection } from './engine.js';
import { tableRows } from './test-support/ground-truth.js';
import { openSyncTestHub, type SyncTestHub } from './test-support/hub.js';

const MINUTE = 60_000;

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 200 } } });
  // A formula that copies a stored input no describe shows: its value changes with no
  // SystemModstamp move, as a cross-object formula does when its parent changes.
  await control(em, 'POST', 'schema/Opportunity/fields', { name: 'Score__c', type: 'double', precision: 18, scale: 2, formula: 'ScoreInput' });
});
after(() => em.close());

interface Logged {
  path: string;
  query: string;
}
const formulaQueries = async (since: number) =>
  (await control<Logged[]>(em, 'GET', `requests?since=${since}`)).filter((l) =>
    /^SELECT Id, ExpectedRevenue, Score__c FROM Opportunity$/.test(new URLSearchParams(l.query).get('q') ?? ''),
  );

const catalog = [{ object: 'Opportunity', formulaRefreshMinutes: 30 }];

for (const backend of backends) {
  describe(`formula refresh (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    before(async () => {
      t = await openSyncTestHub(backend, em);
    });
    after(() => t.cleanup());

    const opps = () => [...em.org.data.table('Opportunity').live()].filter((r) => typeof r.Amount === 'number');
    const expected = (id: string) => em.org.data.find(id)!.record.Amount as number;

    it('reads formula fields as columns marked calculated; a first load counts as a refresh', async () => {
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Opportunity'], catalog });
      assert.equal(run.status, 'succeeded');
      assert.equal(run.objects[0]!.formulas.refreshed, false);
      const calc = await t.hub.store.db
        .selectFrom('sync_fields')
        .select('field')
        .where('connection_id', '=', t.connectionId)
        .where('object', '=', 'Opportunity')
        .where('calculated', '=', 1)
        .orderBy('field')
        .execute();
      assert.deepEqual(
        calc.map((c) => c.field),
        ['ExpectedRevenue', 'Score__c'],
      );
      const st = await t.hub.store.db
        .selectFrom('sync_objects')
        .select('formulas_refreshed_at')
        .where('connection_id', '=', t.connectionId)
        .executeTakeFirstOrThrow();
      assert.ok(st.formulas_refreshed_at !== null);
    });

    it('a formula input changed by the system (SystemModstamp moves) arrives with the next read', async () => {
      const opp = opps()[0]!;
      await control(em, 'POST', 'records/Opportunity/update', { ids: [opp.Id], values: { Amount: 1000 + expected(opp.Id as string) }, systemOnly: true });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Opportunity'], catalog });
      assert.equal(run.objects[0]!.updated, 1);
      const rec = em.org.data.find(opp.Id as string)!.record;
      const probability = (em.org.schema.get('Opportunity')!.fields.find((f) => f.name === 'Probability')!.compute!(rec) as number) ?? 0;
      const row = (await tableRows(t.hub.store, t.connectionId, 'Opportunity')).get(opp.Id as string)!;
      assert.equal(Number(row.expectedrevenue), Math.round((rec.Amount as number) * probability) / 100);
    });

    it('a formula value that changes without SystemModstamp moving is reflected after the refresh interval, and only changed rows are written', async () => {
      // The emulator is shared by both backends' suites: each takes its own records.
      const at = 1 + 2 * backends.indexOf(backend);
      const [b, c] = opps().slice(at, at + 2);
      for (const [i, r] of [b!, c!].entries())
        await control(em, 'POST', 'records/Opportunity/update', { ids: [r.Id], values: { ScoreInput: 10 + i }, systemOnly: true, at: r.SystemModstamp });
      assert.equal(em.org.data.find(b!.Id as string)!.record.SystemModstamp, b!.SystemModstamp, 'SystemModstamp did not move');
      await control(em, 'POST', 'clock', { advanceMs: 2000 });

      let since = em.org.requestLog.lastSeq;
      const early = await syncConnection(t.hub, t.connectionId, { objects: ['Opportunity'], catalog });
      assert.deepEqual([early.objects[0]!.updated, early.objects[0]!.formulas.refreshed], [0, false]);
      assert.equal((await formulaQueries(since)).length, 0, 'not refreshed every cycle');
      assert.equal((await tableRows(t.hub.store, t.connectionId, 'Opportunity')).get(b!.Id as string)!.score__c, null, 'stale until the refresh');

      await control(em, 'POST', 'clock', { advanceMs: 31 * MINUTE });
      const seq = await feedSeq(t);
      since = em.org.requestLog.lastSeq;
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Opportunity'], catalog });
      assert.equal(run.status, 'succeeded');
      assert.equal((await formulaQueries(since)).length, 1);
      assert.deepEqual([run.objects[0]!.formulas.refreshed, run.objects[0]!.formulas.updated, run.objects[0]!.updated], [true, 2, 2]);
      const rows = await tableRows(t.hub.store, t.connectionId, 'Opportunity');
      assert.deepEqual([Number(rows.get(b!.Id as string)!.score__c), Number(rows.get(c!.Id as string)!.score__c)], [10, 11]);
      // Every other formula value equals the org's, so nothing else changed.
      for (const [id, row] of rows) {
        if (row._fb_deleted_at !== null) continue;
        const rec = em.org.data.find(id)!.record;
        const score = (rec.ScoreInput as number | undefined) ?? null;
        assert.equal(row.score__c === null ? null : Number(row.score__c), score, `${id} Score__c`);
      }
      const feed = await feedEntries(t.hub.store, t.connectionId, { after: Number(seq) });
      assert.deepEqual(feed.map((f) => `${f.op}:${f.id}`).sort(), [`update:${b!.Id}`, `update:${c!.Id}`].sort());

      const forced = await syncConnection(t.hub, t.connectionId, { objects: ['Opportunity'], catalog, force: { formulas: true } });
      assert.deepEqual([forced.objects[0]!.formulas.refreshed, forced.objects[0]!.formulas.updated], [true, 0], 'unchanged values are not rewritten');
      assert.equal(await feedSeq(t), seq + 2);
    });
  });
}

async function feedSeq(t: SyncTestHub): Promise<number> {
  const r = await t.hub.store.db.selectFrom('sync_feed_seq').select('last_seq').where('connection_id', '=', t.connectionId).executeTakeFirst();
  return Number(r?.last_seq ?? 0);
}
