import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { syncConnection } from './engine.js';
import { openSyncTestHub, type SyncTestHub } from './test-support/hub.js';

const MINUTE = 60_000;
const OBJECTS = ['Account', 'Contact', 'Opportunity'];

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 100 } } });
});
after(() => em.close());

interface Logged {
  path: string;
  query: string;
}

/** The run's REST calls by kind (describe is the read's own business and not counted here). */
async function callsSince(since: number) {
  const log = (await control<Logged[]>(em, 'GET', `requests?since=${since}`)).filter((l) => l.path.startsWith('/services/data/'));
  const q = (l: Logged) => new URLSearchParams(l.query).get('q') ?? '';
  const queries = log.filter((l) => /\/query(All)?$/.test(l.path));
  return {
    nonDescribe: log.filter((l) => !/\/describe$/.test(l.path)).length,
    getDeleted: log.filter((l) => /\/deleted\/?$/.test(l.path)).length,
    formulas: queries.filter((l) => /^SELECT Id, /.test(q(l)) && !/SystemModstamp/.test(q(l))).length,
    reconcile: queries.filter((l) => /^SELECT Id FROM /.test(q(l))).length,
  };
}

for (const backend of backends) {
  describe(`scheduled phases (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    before(async () => {
      t = await openSyncTestHub(backend, em);
      const first = await syncConnection(t.hub, t.connectionId, { objects: OBJECTS });
      assert.equal(first.status, 'succeeded');
    });
    after(() => t.cleanup());

    const cycle = async (advanceMs: number) => {
      await control(em, 'POST', 'clock', { advanceMs });
      const since = em.org.requestLog.lastSeq;
      const run = await syncConnection(t.hub, t.connectionId, { objects: OBJECTS });
      assert.equal(run.status, 'succeeded');
      for (const o of run.objects) assert.deepEqual([o.inserted, o.updated, o.deleted], [0, 0, 0], o.object);
      return callsSince(since);
    };

    it('a no-change cycle adds no phase calls: one read query per object', async () => {
      assert.deepEqual(await cycle(2000), { nonDescribe: OBJECTS.length, getDeleted: 0, formulas: 0, reconcile: 0 });
    });

    it('when due, each phase makes its one call, then waits for its next schedule', async () => {
      // 61 minutes: getDeleted (every 60 min) for each replicateable object, formula refresh (60 min)
      // for the one object with formula fields (Opportunity.ExpectedRevenue); no reconciliation.
      assert.deepEqual(await cycle(61 * MINUTE), { nonDescribe: 2 * OBJECTS.length + 1, getDeleted: OBJECTS.length, formulas: 1, reconcile: 0 });
      assert.deepEqual(await cycle(2000), { nonDescribe: OBJECTS.length, getDeleted: 0, formulas: 0, reconcile: 0 });
    });
  });
}
