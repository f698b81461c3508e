import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ForcebridgeError } from '../errors.js';
import { openSyncTestHub, type SyncTestHub } from './test-support/hub.js';
import type { RunningEmulator } from '../emulator/server.js';
import { startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { catalogFor } from './catalog.js';
import { syncConnection } from './engine.js';
import { dueEntries, lastRunTimes, SYNC_STOPPED, SyncScheduler, type SchedulerEvent } from './scheduler.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 30 } } });
});
after(() => em.close());

describe('dueEntries', () => {
  it('is due when never run or when scheduleMinutes have passed since the last start', () => {
    const [a, c] = catalogFor(['Account', 'Contact']) as [ReturnType<typeof catalogFor>[0], ReturnType<typeof catalogFor>[0]];
    const now = 10 * 3600_000;
    const last = new Map([['account', now - a.scheduleMinutes * 60_000 + 1]]);
    assert.deepEqual(
      dueEntries([a, c], last, now).map((e) => e.object),
      ['Contact'],
    );
    last.set('account', now - a.scheduleMinutes * 60_000);
    assert.deepEqual(
      dueEntries([a, c], last, now).map((e) => e.object),
      ['Account', 'Contact'],
    );
  });
});

for (const backend of backends) {
  describe(`SyncScheduler (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    let connectionId: string;
    before(async () => {
      t = await openSyncTestHub(backend, em);
      connectionId = t.connectionId;
    });
    after(() => t.cleanup());

    it('runs a due object and skips one that ran within its schedule (from the run history)', async () => {
      const first = await syncConnection(t.hub, connectionId, { objects: ['Account'] });
      assert.equal(first.status, 'succeeded');
      assert.ok((await lastRunTimes(t.hub, connectionId)).has('account'));

      let clock = Date.now();
      const events: SchedulerEvent[] = [];
      const s = new SyncScheduler({ hub: t.hub, entries: catalogFor(['Account', 'Contact']), now: () => clock, onEvent: (e) => events.push(e) });
      await s.runDue();
      const started = events.filter((e) => e.type === 'run_started');
      assert.deepEqual(
        started.map((e) => e.objects),
        [['Contact']],
      );
      const finished = events.find((e) => e.type === 'run_finished');
      assert.equal(finished?.run.status, 'succeeded');

      // Nothing is due right after.
      events.length = 0;
      await s.runDue();
      assert.equal(events.length, 0, 'nothing due');

      // Past the schedule both are due again, in one run.
      clock += 16 * 60_000;
      await s.runDue();
      assert.deepEqual(
        events.filter((e) => e.type === 'run_started').map((e) => e.objects),
        [['Account', 'Contact']],
      );
      await s.stop();
    });

    it('never starts two runs of one connection at once', async () => {
      const events: SchedulerEvent[] = [];
      const s = new SyncScheduler({ hub: t.hub, connections: [connectionId], entries: catalogFor(['Opportunity']), onEvent: (e) => events.push(e) });
      await Promise.all([s.runDue(), s.runDue(), s.runDue()]);
      assert.equal(events.filter((e) => e.type === 'run_started').length, 1);
      await s.stop();
    });

    it('start() runs due objects on ticks; stop() waits for the run in flight and starts no more', async () => {
      const events: SchedulerEvent[] = [];
      let finished!: () => void;
      const done = new Promise<void>((r) => (finished = r));
      const s = new SyncScheduler({
        hub: t.hub,
        connections: [connectionId],
        entries: catalogFor(['Case']),
        tickMs: 20,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'run_finished') finished();
        },
      });
      s.start();
      await done;
      await s.stop();
      const count = events.length;
      await new Promise((r) => setTimeout(r, 60));
      assert.equal(events.length, count, 'no events after stop');
      assert.deepEqual(s.running, []);
      const runs = await t.hub.store.db.selectFrom('sync_runs').select('status').where('connection_id', '=', connectionId).execute();
      assert.ok(
        runs.every((r) => r.status !== 'running'),
        'every run recorded as finished',
      );
    });

    it('stop() interrupts a run after its current page; the run is recorded as not succeeded', async () => {
      const events: SchedulerEvent[] = [];
      let stopping: Promise<void> | undefined;
      const s: SyncScheduler = new SyncScheduler({
        hub: t.hub,
        connections: [connectionId],
        entries: catalogFor(['Event', 'Task']),
        onEvent: (e) => events.push(e),
        onProgress: () => {
          stopping ??= s.stop();
        },
      });
      await s.runDue();
      await stopping;
      const fin = events.find((e) => e.type === 'run_finished');
      assert.ok(fin, JSON.stringify(events.map((e) => e.type)));
      assert.notEqual(fin.run.status, 'succeeded');
      assert.ok(fin.run.failures.length >= 1);
      for (const f of fin.run.failures) assert.equal((f.error as ForcebridgeError).code, SYNC_STOPPED);
      const row = await t.hub.store.db.selectFrom('sync_runs').select('status').where('id', '=', fin.run.runId).executeTakeFirstOrThrow();
      assert.equal(row.status, fin.run.status);
    });

    it('skips connections that need a person and reports unknown names', async () => {
      const events: SchedulerEvent[] = [];
      await t.hub.connections.setState(t.hub.tenant.id, connectionId, 'needs_reconnect', 'refresh_token_revoked');
      try {
        const s = new SyncScheduler({ hub: t.hub, connections: [connectionId, 'no-such-connection'], onEvent: (e) => events.push(e) });
        await s.runDue();
        assert.deepEqual(
          events.map((e) => e.type),
          ['skipped', 'run_error'],
        );
        const skipped = events[0] as Extract<SchedulerEvent, { type: 'skipped' }>;
        assert.match(skipped.reason, /needs_reconnect \(refresh_token_revoked\)/);
      } finally {
        await t.hub.connections.setState(t.hub.tenant.id, connectionId, 'active', null);
      }
    });
  });
}
