import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { ApiBudget } from './budget.js';
import { syncConnection } from './engine.js';
import { assertFeedInsertsOnce, assertMatchesTruth, storedCursor, tableRows } from './test-support/ground-truth.js';
import { openSyncTestHub, type SyncTestHub } from './test-support/hub.js';

const LIMIT = 1000;

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 200, extraAccounts: 1000, dailyApiLimit: LIMIT } } });
});
after(() => em.close());

interface Logged {
  path: string;
  query: string;
}
const apiCalls = async (since: number) => (await control<Logged[]>(em, 'GET', `requests?since=${since}`)).filter((l) => l.path.startsWith('/services/data/'));

describe('ApiBudget', () => {
  it('is over once used/max reaches the share; refuses a share outside (0, 1]', () => {
    const b = new ApiBudget(0.8, { used: 799, max: 1000 });
    assert.equal(b.over(), false);
    b.observe({ used: 800, max: 1000 });
    assert.equal(b.over(), true);
    assert.throws(() => b.assertRoom(), { code: 'sync.paused_quota' });
    assert.throws(() => new ApiBudget(1.5), { code: 'sync.invalid_budget_share', field: 'apiBudgetShare' });
    assert.equal(new ApiBudget().over(), false, 'no usage seen: room');
  });
});

for (const backend of backends) {
  describe(`API budget (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    before(async () => {
      t = await openSyncTestHub(backend, em);
    });
    after(() => t.cleanup());

    const state = async (object: string) =>
      (
        await t.hub.store.db
          .selectFrom('sync_objects')
          .select('state')
          .where('connection_id', '=', t.connectionId)
          .where('object', '=', object)
          .executeTakeFirst()
      )?.state;
    const runStatus = async (runId: string) =>
      (await t.hub.store.db.selectFrom('sync_runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow()).status;

    it('pauses between pages when usage passes the share, and the next run resumes from the cursor', async () => {
      await control(em, 'POST', 'api-usage', { used: 0 });
      let pushed = false;
      const run = await syncConnection(t.hub, t.connectionId, {
        objects: ['Account', 'Contact'],
        batchSize: 200,
        onProgress: () => {
          // People and agents use the org while the sync runs: usage jumps past 80%.
          if (!pushed) em.org.apiUsage.used = 0.8 * LIMIT;
          pushed = true;
        },
      });
      assert.equal(run.status, 'paused');
      assert.deepEqual([run.paused?.reason, run.paused?.object, run.paused?.share], ['quota', 'Account', 0.8]);
      assert.ok(run.paused!.used! >= 0.8 * LIMIT);
      assert.equal(await runStatus(run.runId), 'paused');
      assert.equal(await state('Account'), 'paused_quota');
      const cursor = await storedCursor(t.hub.store, t.connectionId, 'Account');
      assert.ok(cursor, 'the pages read before the pause are committed with their cursor');
      const partial = (await tableRows(t.hub.store, t.connectionId, 'Account')).size;
      assert.ok(partial >= 200 && partial < em.org.data.table('Account').rows.size, `${partial} rows before the pause`);
      assert.equal(await state('Contact'), undefined, 'Contact never started');
      assert.ok(em.org.apiUsage.used <= 0.8 * LIMIT + 2, 'at most the calls already in flight went out after the share was passed');

      // Still above the share: the next run asks once (GET /limits) and stays paused.
      let since = em.org.requestLog.lastSeq;
      const again = await syncConnection(t.hub, t.connectionId, { objects: ['Account', 'Contact'], batchSize: 200 });
      assert.equal(again.status, 'paused');
      assert.equal(again.paused!.object, undefined);
      assert.deepEqual(
        (await apiCalls(since)).map((l) => l.path.replace(/^\/services\/data\/v[\d.]+/, '')),
        ['/limits'],
      );

      await control(em, 'POST', 'api-usage', { used: 10 });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      since = em.org.requestLog.lastSeq;
      const resumed = await syncConnection(t.hub, t.connectionId, { objects: ['Account', 'Contact'], batchSize: 200 });
      assert.equal(resumed.status, 'succeeded', JSON.stringify(resumed.failures.map((f) => f.error.message)));
      // The first read of Account (after its change probe, which selects FIELDS(CUSTOM)).
      const firstQuery = (await apiCalls(since)).find((l) => {
        const q = new URLSearchParams(l.query).get('q') ?? '';
        return /\/queryAll$/.test(l.path) && /FROM Account/.test(q) && !/FIELDS\(CUSTOM\)/.test(q);
      })!;
      assert.match(new URLSearchParams(firstQuery.query).get('q')!, /SystemModstamp > /, 'resumed from the cursor, not from the start');
      assert.equal(await state('Account'), 'idle');
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Account');
      await assertMatchesTruth(em, t.hub.store, t.connectionId, 'Contact');
      await assertFeedInsertsOnce(t.hub.store, t.connectionId, 'Account');
    });

    it('a 403 REQUEST_LIMIT_EXCEEDED mid-run is the same pause, never a success', async () => {
      await control(em, 'POST', 'api-usage', { used: 0 });
      await control(em, 'POST', 'faults', {
        // Contact's first call of the run (its change probe).
        path: 'FROM(\\+|%20)Contact(\\+|%20|&|$)',
        status: 403,
        body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
      });
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Account', 'Contact', 'Case'] });
      assert.equal(run.status, 'paused');
      assert.deepEqual(
        run.objects.map((o) => o.object),
        ['Account'],
      );
      assert.equal(run.paused!.object, 'Contact');
      assert.match(run.paused!.message, /REQUEST_LIMIT_EXCEEDED/, 'the pause names Salesforce’s answer');
      assert.deepEqual(run.failures, []);
      assert.equal(await state('Contact'), 'paused_quota');
      assert.equal(await runStatus(run.runId), 'paused');
      const next = await syncConnection(t.hub, t.connectionId, { objects: ['Account', 'Contact', 'Case'] });
      assert.equal(next.status, 'succeeded');
      assert.equal(await state('Contact'), 'idle');
    });

    it('the share is configurable per run', async () => {
      await control(em, 'POST', 'api-usage', { used: 0.85 * LIMIT });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const run = await syncConnection(t.hub, t.connectionId, { objects: ['Account'], apiBudgetShare: 0.95 });
      assert.equal(run.status, 'succeeded');
      const low = await syncConnection(t.hub, t.connectionId, { objects: ['Account'], apiBudgetShare: 0.5 });
      assert.equal(low.status, 'paused');
      await control(em, 'POST', 'api-usage', { used: 0 });
    });
  });
}
