/**
 * Unmodified jsforce 3.10.16 against the emulator's Bulk 2.0 query jobs: `conn.bulk2.query()` and
 * the lower-level QueryJobV2 (open → poll → result, abort, delete).
 *
 * jsforce 3.10.16 limits that real orgs show too, so these tests stay inside them:
 * - `QueryJobV2.result()` pipes every results page into one CSV parser; the second page's header
 *   row then lands mid-stream and csv-parse throws CSV_INVALID_CLOSING_QUOTE (jsforce#1739/#1740,
 *   seen against Salesforce). Multi-page reads are tested over plain HTTP in routes.test.ts.
 * - its streaming CSV parser ignores `columnDelimiter`, so only COMMA results parse.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce from 'jsforce';
import { QueryJobV2 } from 'jsforce/lib/api/bulk2.js';
import type { RunningEmulator } from '../server.js';
import { control, startTestEmulator, tokenFor } from '../test-support/harness.js';

const ACCOUNTS = 5000;

let em: RunningEmulator;
let conn: jsforce.Connection;

function liveAccountIds(): Set<string> {
  return new Set([...em.org.data.table('Account').live()].map((r) => r.Id as string));
}

async function collect(stream: AsyncIterable<unknown>): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  for await (const r of stream) out.push(r as Record<string, string>);
  return out;
}

describe('jsforce bulk2 against the emulator', () => {
  before(async () => {
    em = await startTestEmulator({ config: { settings: { records: 0, bulkProcessingDelayMs: 150 } } });
    const adminId = [...em.org.users.values()].find((u) => u.config.username.startsWith('admin@'))!.id;
    for (let i = 0; i < ACCOUNTS; i++) {
      em.org.data.insert('Account', { Name: i === 7 ? 'Comma, "quoted"\nname' : `Jsforce Account ${i}` }, adminId);
    }
    const deleted = em.org.data.insert('Account', { Name: 'Deleted Jsforce Account' }, adminId);
    em.org.data.softDelete(deleted, adminId);
    conn = new jsforce.Connection({ instanceUrl: em.urls.mydomain, accessToken: tokenFor(em, 'admin'), version: '60.0' });
    conn.bulk2.pollInterval = 50;
    conn.bulk2.pollTimeout = 20_000;
  });

  after(async () => {
    await em.close();
  });

  it('bulk2.query returns every Account row', async () => {
    const records = await collect(await conn.bulk2.query('SELECT Id, Name FROM Account'));
    const expected = liveAccountIds();
    assert.equal(records.length, expected.size);
    assert.deepEqual(new Set(records.map((r) => r.Id)), expected);
    assert.ok(
      records.some((r) => r.Name === 'Comma, "quoted"\nname'),
      'quoted values survive jsforce’s CSV parser',
    );
  });

  it('bulk2.query with scanAll sees soft-deleted rows', async () => {
    const records = await collect(await conn.bulk2.query("SELECT Id, Name, IsDeleted FROM Account WHERE Name LIKE 'Deleted%'", { scanAll: true }));
    assert.deepEqual(
      records.map((r) => [r.Name, r.IsDeleted]),
      [['Deleted Jsforce Account', 'true']],
    );
  });

  it('QueryJobV2 open → poll → result, then delete', async () => {
    const job = new QueryJobV2(conn, {
      bodyParams: { operation: 'query', query: "SELECT Id, Name FROM Account WHERE Name LIKE 'Jsforce Account 1%'", lineEnding: 'CRLF' },
      pollingOptions: conn.bulk2,
    });
    const info = await job.open();
    assert.equal(info.state, 'UploadComplete');
    assert.match(info.id, /^750/);
    let sawProgress = false;
    job.on('inProgress', () => (sawProgress = true));
    await job.poll(20, 10_000);
    assert.ok(sawProgress, 'jsforce polled at least once before JobComplete');
    const records = await collect(await job.result());
    const expected = [...em.org.data.table('Account').live()].filter((r) => String(r.Name).startsWith('Jsforce Account 1')).length;
    assert.equal(records.length, expected);
    const checked = await job.check();
    assert.equal(checked.state, 'JobComplete');
    assert.equal(Number(checked.numberRecordsProcessed), expected);
    await job.delete();
    await assert.rejects(job.check(), (e: Error & { errorCode?: string }) => e.errorCode === 'NOT_FOUND');
  });

  it('QueryJobV2 abort, and poll rejects for aborted and failed jobs', async () => {
    await control(em, 'PATCH', 'settings', { bulkProcessingDelayMs: 5000 });
    try {
      const job = new QueryJobV2(conn, { bodyParams: { operation: 'query', query: 'SELECT Id FROM Account' }, pollingOptions: conn.bulk2 });
      await job.open();
      const aborted = await job.abort();
      assert.equal(aborted.state, 'Aborted');
      await assert.rejects(job.poll(20, 2000), /Job has been aborted/);
    } finally {
      await control(em, 'PATCH', 'settings', { bulkProcessingDelayMs: 150 });
    }
    const r = await fetch(`${em.urls.mydomain}/__emulator/bulk/fail-next`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"count":1}',
    });
    assert.equal(r.status, 200);
    await assert.rejects(conn.bulk2.query('SELECT Id FROM Account'), /Query job failed to complete/);
  });

  it('bulk2.query surfaces Salesforce’s error for SOQL Bulk cannot run', async () => {
    await assert.rejects(
      conn.bulk2.query('SELECT COUNT() FROM Account'),
      (e: Error & { errorCode?: string }) => typeof e.errorCode === 'string' && e.errorCode !== 'ERROR_HTTP_400',
    );
  });
});
