/**
 * `query` paging: a 25,000-row answer read through the cursor returns every row exactly once
 * (calls stop inside Salesforce pages, by row cap and by byte cap); a one-page answer continues by
 * re-running; cursors are sealed and bound to the connection and the user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureUser } from '../../connections/tenancy.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { control, startTestEmulator } from '../../emulator/test-support/harness.js';
import { ForcebridgeError } from '../../errors.js';
import { backends } from '../../store/test-support/stores.js';
import { runTool } from '../run.js';
import { openAgentTestHub, type AgentTestHub } from '../test-support/agent-hub.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 20, extraAccounts: 25_000 } } });
});
after(() => em.close());

type Page = { records: { Id: string; Name?: string }[]; totalSize: number; done: boolean; cursor?: string };

async function rejectsWith(p: Promise<unknown>, code: string, field: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof ForcebridgeError && e.code === code && e.field === field);
}

for (const backend of backends) {
  describe(`agent query paging (${backend.name})`, { skip: backend.skip }, () => {
    let t: AgentTestHub;
    const run = (input: unknown) => runTool(t.hub, t.hub.admin, t.adminConnection, 'query', input) as Promise<Page>;

    before(async () => {
      t = await openAgentTestHub(backend, em);
    });
    after(() => t.cleanup());

    /** Follows the cursor to the end; returns every Id in order and the number of calls. */
    async function readAll(first: Page, more: Record<string, unknown>): Promise<{ ids: string[]; calls: number; sizes: number[] }> {
      const ids = first.records.map((r) => r.Id);
      const sizes = [first.records.length];
      let page = first;
      let calls = 1;
      while (page.cursor) {
        assert.equal(page.done, false);
        page = await run({ cursor: page.cursor, ...more });
        ids.push(...page.records.map((r) => r.Id));
        sizes.push(page.records.length);
        calls++;
      }
      assert.equal(page.done, true);
      return { ids, calls, sizes };
    }

    it(
      'a 25,000-row query paged through the cursor returns every row exactly once',
      { skip: backend.name === 'postgres' ? 'the store plays no part; sqlite covers it' : false },
      async () => {
        const count = await run({ soql: 'SELECT COUNT() FROM Account' });
        assert.ok(count.totalSize >= 25_000, `only ${count.totalSize} accounts`);
        const seq = em.org.requestLog.lastSeq;
        // 1,500 rows a call against 1,500-row Salesforce pages would line up; 1,700 stops inside pages.
        const first = await run({ soql: 'SELECT Id, Name FROM Account', limit: 1700 });
        assert.equal(first.totalSize, count.totalSize);
        const { ids, calls, sizes } = await readAll(first, { limit: 1700 });
        assert.equal(ids.length, count.totalSize);
        assert.equal(new Set(ids).size, count.totalSize, 'a row came back twice');
        assert.equal(calls, Math.ceil(count.totalSize / 1700));
        assert.ok(sizes.slice(0, -1).every((n) => n === 1700));
        // The query ran once; every later call read its locator.
        const log = await control<{ path: string }[]>(em, 'GET', `requests?since=${seq}`);
        assert.equal(log.filter((r) => r.path.endsWith('/query')).length, 1);
        assert.ok(log.filter((r) => /\/query\/01g[0-9A-Za-z]+-\d+$/.test(r.path)).length >= calls - 1);
      },
    );

    it('the byte cap stops a call inside a page and the cursor continues at the next row', async () => {
      const soql = 'SELECT Id, Name FROM Account ORDER BY Id LIMIT 3000';
      const first = await run({ soql, limit: 2000, maxBytes: 20_000 });
      assert.ok(first.records.length > 10 && first.records.length < 2000, `${first.records.length} rows`);
      assert.ok(Buffer.byteLength(JSON.stringify(first.records)) <= 20_000);
      const { ids } = await readAll(first, { limit: 2000, maxBytes: 60_000 });
      assert.equal(ids.length, 3000);
      assert.equal(new Set(ids).size, 3000);
      assert.deepEqual(ids, [...ids].sort(), 'rows stay in query order');
    });

    it('a one-page answer stopped early continues by re-running the query; a changed result is refused as stale', async () => {
      const soql = 'SELECT Id FROM Account ORDER BY Id LIMIT 150';
      const first = await run({ soql, limit: 100 });
      assert.equal(first.records.length, 100);
      assert.ok(first.cursor);
      const second = await run({ cursor: first.cursor });
      assert.equal(second.done, true);
      const ids = [...first.records, ...second.records].map((r) => r.Id);
      assert.equal(new Set(ids).size, 150);
      // LIMIT keeps the count at 60 after a delete; the last row returned has moved, and that is seen.
      const small = await run({ soql: 'SELECT Id FROM Account ORDER BY Id LIMIT 60', limit: 5 });
      assert.ok(small.cursor);
      const purged = await control<{ purged: number }>(em, 'POST', 'records/Account/purge', { ids: [small.records[0]!.Id] });
      assert.equal(purged.purged, 1);
      await rejectsWith(run({ cursor: small.cursor }), 'agent.cursor_stale', 'cursor');
    });

    it('cursors are sealed: altered, foreign-connection and foreign-user cursors are refused', async () => {
      const first = await run({ soql: 'SELECT Id FROM Account ORDER BY Id LIMIT 500', limit: 200 });
      const cursor = first.cursor!;
      assert.match(cursor, /^fbq1\.[A-Za-z0-9_-]+$/);
      assert.equal(cursor.includes('01g'), false, 'the locator is not readable in the cursor');
      const flipped = cursor.slice(0, -2) + (cursor.at(-2) === 'A' ? 'B' : 'A') + cursor.at(-1);
      await rejectsWith(run({ cursor: flipped }), 'agent.cursor_invalid', 'cursor');
      await rejectsWith(run({ cursor: 'fbq1.bm9wZQ' }), 'agent.cursor_invalid', 'cursor');
      await rejectsWith(run({ cursor: 'SELECT Id FROM Account' }), 'agent.cursor_invalid', 'cursor');
      // Sam's own connection: the admin's cursor is not valid there.
      await rejectsWith(runTool(t.hub, t.sam, t.salesConnection, 'query', { cursor }), 'agent.cursor_invalid', 'cursor');
      // Another admin of the same tenant on the same connection: bound to the user too.
      const other = await ensureUser(t.hub.store.db, t.hub.tenant.id, 'ops-admin@example.com', { isAdmin: true });
      await rejectsWith(runTool(t.hub, other, t.adminConnection, 'query', { cursor }), 'agent.cursor_invalid', 'cursor');
      const rest = await run({ cursor });
      assert.equal(rest.records.length, 200);
    });
  });
}
