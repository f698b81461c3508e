/**
 * Acceptance (issue 4) — faults injected by the emulator: 5xx, 429 with Retry-After,
 * REQUEST_LIMIT_EXCEEDED, timeout, connection reset mid-page, INVALID_SESSION_ID and a failed Bulk
 * job. Each run retries (ends `succeeded`), pauses (`paused`) or fails clearly (not `succeeded`, the
 * error names the cause); after recovery (faults cleared, rerun) every table equals the org.
 * The org changes before each case (a tie of 600 rows over several pages, inserts, soft deletes),
 * so faults land on a page in the middle of a run. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../emulator/server.js';
import { control, startTestEmulator } from '../../emulator/test-support/harness.js';
import { tokenRequestsSince } from '../../connections/test-support/hub.js';
import { backends } from '../../store/test-support/stores.js';
import { syncConnection, type RunOptions, type RunResult } from '../engine.js';
import { assertFeedInsertsOnce, assertMatchesTruth, storedCursor } from '../test-support/ground-truth.js';
import { openSyncTestHub, shortApiTimeout, type SyncTestHub } from '../test-support/hub.js';

const OBJECTS = ['Account', 'Contact'];
const BATCH = 200;
/** REST API calls time out after this long in this suite (the client's own floor is 30 s). */
const API_TIMEOUT_MS = 1500;
/** The first REST query of a run (`/query?q=` or `/queryAll?q=`). */
const FIRST_PAGE = '^/services/data/v[0-9.]+/query(All)?\\?';
/** The second page of a REST query (its locator, rows 200–399). */
const SECOND_PAGE = '^/services/data/v[0-9.]+/query(All)?/01g[A-Za-z0-9]{15}-200$';

const sfError = (errorCode: string, message: string) => [{ message, errorCode }];

/** Everything a run says about how it ended: status, failures, pause, notes. */
function outcome(r: RunResult): string {
  return JSON.stringify({
    status: r.status,
    failures: r.failures.map((f) => `${f.object}: ${f.error.message}`),
    paused: r.paused?.message,
    notes: r.objects.flatMap((o) => o.notes ?? []),
  });
}

/** Changes the org so the next run reads several pages of Account. */
async function changeOrg(em: RunningEmulator, step: number): Promise<void> {
  const admin = [...em.org.users.values()][0]!.id;
  const accounts = [...em.org.data.table('Account').live()];
  const ids = accounts
    .filter((_, i) => (i + step) % 2 === 0)
    .slice(0, 600)
    .map((r) => r.Id as string);
  const { now } = await control<{ now: number }>(em, 'GET', '');
  await control(em, 'POST', 'records/Account/update', { ids, values: { Description: `fault step ${step}` }, at: now });
  for (let i = 0; i < 5; i++) em.org.data.insert('Account', { Name: `Fault ${step}-${i}`, NumberOfEmployees: step, Industry: 'Retail' }, admin);
  em.org.data.softDelete(accounts[accounts.length - 1 - step]!, admin);
  const contacts = [...em.org.data.table('Contact').live()];
  em.org.data.update(contacts[step % contacts.length]!, { Title: `Fault ${step}` }, admin);
  em.org.data.softDelete(contacts[contacts.length - 1 - step]!, admin);
  await control(em, 'POST', 'clock', { advanceMs: 2000 });
}

for (const backend of backends) {
  describe(`faults injected by the emulator (${backend.name})`, { skip: backend.skip }, () => {
    let em: RunningEmulator;
    let t: SyncTestHub;
    let step = 0;
    const run = (o: RunOptions = {}) => syncConnection(t.hub, t.connectionId, { objects: OBJECTS, batchSize: BATCH, ...o });

    /** Recovery: faults cleared, a rerun if needed, then every table equals the org. */
    async function recoverAndCheck(first: RunResult): Promise<void> {
      await control(em, 'DELETE', 'faults');
      if (first.status !== 'succeeded') {
        const again = await run();
        assert.equal(again.status, 'succeeded', outcome(again));
      }
      for (const object of OBJECTS) {
        await assertMatchesTruth(em, t.hub.store, t.connectionId, object);
        await assertFeedInsertsOnce(t.hub.store, t.connectionId, object);
      }
    }

    /** The faults still armed (not used up). */
    const armed = () => control<unknown[]>(em, 'GET', 'faults');

    before(async () => {
      em = await startTestEmulator({ config: { settings: { records: 300, extraAccounts: 1000 } } });
      t = await openSyncTestHub(backend, em, { wrapTransport: shortApiTimeout(API_TIMEOUT_MS) });
      await control(em, 'POST', 'clock', { advanceMs: 2000 });
      const first = await run();
      assert.equal(first.status, 'succeeded', outcome(first));
    });
    after(async () => {
      await control(em, 'DELETE', 'faults').catch(() => undefined);
      await t?.cleanup();
      await em?.close();
    });

    it('5xx on a page: retried with backoff, the run succeeds', async () => {
      await changeOrg(em, ++step);
      await control(em, 'POST', 'faults', { path: SECOND_PAGE, status: 503, body: sfError('SERVER_UNAVAILABLE', 'Service unavailable'), times: 2 });
      const r = await run();
      assert.equal(r.status, 'succeeded', outcome(r));
      assert.deepEqual(await armed(), [], 'both 503s were answered');
      await recoverAndCheck(r);
    });

    it('5xx past every retry: the run fails naming the error; pages before it stay committed', async () => {
      await changeOrg(em, ++step);
      const before = await storedCursor(t.hub.store, t.connectionId, 'Account');
      await control(em, 'POST', 'faults', { path: SECOND_PAGE, status: 503, body: sfError('SERVER_UNAVAILABLE', 'Service unavailable'), times: 50 });
      const r = await run();
      assert.notEqual(r.status, 'succeeded', outcome(r));
      assert.deepEqual(
        r.failures.map((f) => f.object),
        ['Account'],
      );
      assert.match(r.failures[0]!.error.message, /SERVER_UNAVAILABLE/);
      assert.notDeepEqual(await storedCursor(t.hub.store, t.connectionId, 'Account'), before, 'the first page was committed');
      await recoverAndCheck(r);
    });

    it('429 with Retry-After: waits as told, then succeeds', async () => {
      await changeOrg(em, ++step);
      await control(em, 'POST', 'faults', {
        path: SECOND_PAGE,
        status: 429,
        headers: { 'Retry-After': '1' },
        body: sfError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
        times: 1,
      });
      const started = Date.now();
      const r = await run();
      assert.equal(r.status, 'succeeded', outcome(r));
      assert.ok(Date.now() - started >= 1000, 'Retry-After: 1 honoured');
      assert.deepEqual(await armed(), []);
      await recoverAndCheck(r);
    });

    it('REQUEST_LIMIT_EXCEEDED (403): the run pauses, never "succeeded"; the next run resumes', async () => {
      await changeOrg(em, ++step);
      await control(em, 'POST', 'faults', {
        path: SECOND_PAGE,
        status: 403,
        body: sfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
        times: 1,
      });
      const r = await run();
      assert.notEqual(r.status, 'succeeded', outcome(r));
      assert.equal(r.status, 'paused', outcome(r));
      const states = await t.hub.store.db.selectFrom('sync_objects').select(['object', 'state']).where('connection_id', '=', t.connectionId).execute();
      assert.deepEqual(
        states.filter((s) => OBJECTS.includes(s.object)).map((s) => [s.object, s.state]),
        OBJECTS.map((o) => [o, 'paused_quota']),
      );
      await recoverAndCheck(r);
      // The pause names Salesforce's answer, not the budget share (usage here is far below it).
      assert.match(r.paused?.message ?? '', /REQUEST_LIMIT_EXCEEDED/, outcome(r));
    });

    it(`timeout (no answer within ${API_TIMEOUT_MS} ms): retried, the run succeeds`, async () => {
      await changeOrg(em, ++step);
      await control(em, 'POST', 'faults', { path: SECOND_PAGE, latencyMs: API_TIMEOUT_MS * 2, times: 1 });
      const started = Date.now();
      const r = await run();
      assert.equal(r.status, 'succeeded', outcome(r));
      assert.ok(Date.now() - started >= API_TIMEOUT_MS, 'the slow answer was given up on');
      await recoverAndCheck(r);
    });

    it('connection reset mid-page: retried, the run succeeds', async () => {
      await changeOrg(em, ++step);
      await control(em, 'POST', 'faults', { path: SECOND_PAGE, reset: 'reset-mid-body', times: 1 });
      const r = await run();
      assert.equal(r.status, 'succeeded', outcome(r));
      assert.deepEqual(await armed(), []);
      await recoverAndCheck(r);
    });

    it('connection reset on every attempt: the run fails naming the network failure', async () => {
      await changeOrg(em, ++step);
      await control(em, 'POST', 'faults', { path: SECOND_PAGE, reset: 'reset-mid-body', times: 50 });
      const r = await run();
      assert.notEqual(r.status, 'succeeded', outcome(r));
      assert.match(r.failures.find((f) => f.object === 'Account')?.error.message ?? '', /failed|reset|closed|socket|terminated/i, outcome(r));
      await recoverAndCheck(r);
    });

    it('INVALID_SESSION_ID (401) on a page: the session is renewed once and the page retried', async () => {
      await changeOrg(em, ++step);
      const since = em.org.requestLog.lastSeq;
      await control(em, 'POST', 'faults', { path: SECOND_PAGE, status: 401, body: sfError('INVALID_SESSION_ID', 'Session expired or invalid'), times: 1 });
      const r = await run();
      assert.equal(r.status, 'succeeded', outcome(r));
      assert.equal(await tokenRequestsSince(em, since), 1, 'one token request renewed the session');
      await recoverAndCheck(r);
    });

    it('sessions expired in the org: renewed, the run succeeds', async () => {
      await changeOrg(em, ++step);
      await control(em, 'POST', 'sessions/expire');
      const r = await run();
      assert.equal(r.status, 'succeeded', outcome(r));
      await recoverAndCheck(r);
    });

    it('INVALID_SESSION_ID even after renewal: the run fails naming it', async () => {
      await changeOrg(em, ++step);
      await control(em, 'POST', 'faults', { path: FIRST_PAGE, status: 401, body: sfError('INVALID_SESSION_ID', 'Session expired or invalid'), times: 50 });
      const r = await run();
      assert.notEqual(r.status, 'succeeded', outcome(r));
      assert.ok(r.failures.length > 0, outcome(r));
      for (const f of r.failures) assert.match(f.error.message, /INVALID_SESSION_ID/);
      await recoverAndCheck(r);
    });

    it('Bulk job Failed on an initial load: not "succeeded", the error names the job; the rerun loads it', async () => {
      await changeOrg(em, ++step);
      const res = await fetch(`${em.urls.mydomain}/__emulator/bulk/fail-next`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ count: 1, message: 'InternalServerError: injected' }),
      });
      assert.equal(res.status, 200, await res.text());
      // A full run re-reads every object as an initial load; above 100 rows that is a Bulk job.
      const r = await run({ full: true, bulkThreshold: 100 });
      const account = r.objects.find((o) => o.object === 'Account');
      if (r.status === 'succeeded') {
        // Acceptable only when the engine retried the load and says so.
        assert.ok(account && account.notes.some((n) => /Failed/.test(n)), outcome(r));
      } else {
        assert.match(r.failures.find((f) => f.object === 'Account')?.error.message ?? '', /Bulk.*Failed.*InternalServerError/, outcome(r));
      }
      await fetch(`${em.urls.mydomain}/__emulator/bulk/fail-next`, { method: 'DELETE' });
      const again = await run({ full: true, bulkThreshold: 100 });
      assert.equal(again.status, 'succeeded', outcome(again));
      assert.equal(again.objects.find((o) => o.object === 'Account')?.method, 'bulk');
      await recoverAndCheck(again);
    });
  });
}
