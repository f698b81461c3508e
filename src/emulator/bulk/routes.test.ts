import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import type { RunningEmulator } from '../server.js';
import { api, control, startTestEmulator, tokenFor, type ApiResult } from '../test-support/harness.js';

const V = '/services/data/v66.0';
const ROWS = 2500;

let em: RunningEmulator;
let admin: string;
let sales: string;

function userId(prefix: string): string {
  return [...em.org.users.values()].find((u) => u.config.username.startsWith(`${prefix}@`))!.id;
}

async function createJob(body: Record<string, unknown>, token = admin, version = V): Promise<ApiResult<any>> {
  return api(em, token, 'POST', `${version}/jobs/query`, body);
}

async function waitFinal(id: string, token = admin): Promise<{ info: any; seen: Set<string> }> {
  const seen = new Set<string>();
  for (let i = 0; i < 400; i++) {
    const r = await api(em, token, 'GET', `${V}/jobs/query/${id}`);
    assert.equal(r.status, 200, r.text);
    seen.add(r.json.state);
    if (!['UploadComplete', 'InProgress'].includes(r.json.state)) return { info: r.json, seen };
    await sleep(10);
  }
  throw new Error(`job ${id} never finished`);
}

async function runQuery(query: string, extra: Record<string, unknown> = {}, token = admin): Promise<string> {
  const created = await createJob({ operation: 'query', query, ...extra }, token);
  assert.equal(created.status, 200, created.text);
  const { info } = await waitFinal(created.json.id, token);
  assert.equal(info.state, 'JobComplete');
  return created.json.id as string;
}

async function results(id: string, params = '', token = admin, version = V): Promise<ApiResult<any>> {
  return api(em, token, 'GET', `${version}/jobs/query/${id}/results${params}`, undefined, { Accept: 'text/csv' });
}

function csvRecords(text: string, delimiter = ','): Record<string, string>[] {
  return parse(text, { columns: true, delimiter }) as Record<string, string>[];
}

describe('Bulk 2.0 query jobs', () => {
  before(async () => {
    em = await startTestEmulator({ config: { settings: { records: 0, bulkProcessingDelayMs: 60 } } });
    admin = tokenFor(em, 'admin');
    sales = tokenFor(em, 'sales');
    const adminId = userId('admin');
    for (let i = 0; i < ROWS; i++) {
      em.org.data.insert('Account', { Name: `Bulk Account ${String(i).padStart(5, '0')}`, Industry: i % 2 ? 'Energy' : null }, adminId);
    }
    em.org.data.insert('Account', { Name: 'Quote "Co", Ltd\nSecond line', Industry: null }, adminId);
    for (let i = 0; i < 10; i++) {
      const r = em.org.data.insert('Account', { Name: `Recycled ${i}` }, adminId);
      if (i < 4) em.org.data.softDelete(r, adminId);
    }
  });

  after(async () => {
    await em.close();
  });

  it('POST /jobs/query answers the created job info in Salesforce field order', async () => {
    const r = await createJob({ operation: 'query', query: "SELECT Id, Name FROM Account WHERE Name LIKE 'Bulk Account%'" });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^application\/json;charset=UTF-8/);
    assert.deepEqual(Object.keys(r.json), [
      'id',
      'operation',
      'object',
      'createdById',
      'createdDate',
      'systemModstamp',
      'state',
      'concurrencyMode',
      'contentType',
      'apiVersion',
      'lineEnding',
      'columnDelimiter',
    ]);
    assert.match(r.json.id, /^750[A-Za-z0-9]{15}$/);
    assert.equal(r.json.operation, 'query');
    assert.equal(r.json.object, 'Account');
    assert.equal(r.json.createdById, userId('admin'));
    assert.match(r.json.createdDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
    assert.equal(r.json.state, 'UploadComplete');
    assert.equal(r.json.concurrencyMode, 'Parallel');
    assert.equal(r.json.contentType, 'CSV');
    assert.match(r.text, /"apiVersion":66\.0,/);
    assert.equal(r.json.lineEnding, 'LF');
    assert.equal(r.json.columnDelimiter, 'COMMA');
    assert.ok(r.headers.get('sforce-limit-info')?.startsWith('api-usage='), 'counted against the API limit');
  });

  it('GET /jobs/query/:id moves through InProgress to JobComplete with the full job info', async () => {
    const created = await createJob({ operation: 'query', query: "SELECT Id FROM Account WHERE Name LIKE 'Bulk Account%'" });
    const { info, seen } = await waitFinal(created.json.id);
    assert.ok(seen.has('InProgress') || seen.has('UploadComplete'), `clients poll through a non-final state (${[...seen].join()})`);
    assert.equal(info.state, 'JobComplete');
    assert.equal(info.jobType, 'V2Query');
    assert.equal(info.numberRecordsProcessed, ROWS);
    assert.equal(info.retries, 0);
    assert.equal(typeof info.totalProcessingTime, 'number');
    assert.equal(info.isPkChunkingSupported, true);
    assert.ok(!('errorMessage' in info));
    assert.deepEqual(Object.keys(info).slice(10), [
      'jobType',
      'lineEnding',
      'columnDelimiter',
      'numberRecordsProcessed',
      'retries',
      'totalProcessingTime',
      'isPkChunkingSupported',
    ]);
  });

  it('GET /jobs/query/:id/results pages with maxRecords and Sforce-Locator, every row once', async () => {
    const id = await runQuery("SELECT Id, Name FROM Account WHERE Name LIKE 'Bulk Account%'");
    const expected = new Set([...em.org.data.table('Account').live()].filter((r) => String(r.Name).startsWith('Bulk Account')).map((r) => r.Id as string));
    assert.equal(expected.size, ROWS);
    const seen: string[] = [];
    const locators: string[] = [];
    let locator: string | null = null;
    let pages = 0;
    do {
      const r = await results(id, `?maxRecords=700${locator ? `&locator=${locator}` : ''}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('content-type'), 'text/csv');
      const rows = csvRecords(r.text);
      assert.ok(r.text.startsWith('"Id","Name"\n'));
      assert.equal(Number(r.headers.get('sforce-numberofrecords')), rows.length);
      seen.push(...rows.map((x) => x.Id!));
      locator = r.headers.get('sforce-locator');
      assert.ok(locator, 'every page carries Sforce-Locator');
      locators.push(locator);
      pages++;
      if (locator === 'null') locator = null;
    } while (locator);
    assert.equal(pages, 4);
    assert.deepEqual(locators, [Buffer.from('700').toString('base64').replace(/=+$/, ''), 'MTQwMA', 'MjEwMA', 'null']);
    assert.equal(seen.length, ROWS);
    assert.deepEqual(new Set(seen), expected);
    const again = await results(id, '?maxRecords=700&locator=MTQwMA');
    assert.equal(csvRecords(again.text)[0]!.Id, seen[1400], 'locators are stable and re-readable');
  });

  it('GET /jobs/query/:id/results without maxRecords uses the server page size', async () => {
    await control(em, 'PATCH', 'settings', { bulkResultPageSize: 1000 });
    try {
      const id = await runQuery("SELECT Id FROM Account WHERE Name LIKE 'Bulk Account%'");
      const first = await results(id);
      assert.equal(first.headers.get('sforce-numberofrecords'), '1000');
      assert.equal(first.headers.get('sforce-locator'), 'MTAwMA');
      const last = await results(id, '?locator=MjAwMA');
      assert.equal(last.headers.get('sforce-numberofrecords'), '500');
      assert.equal(last.headers.get('sforce-locator'), 'null');
    } finally {
      await control(em, 'PATCH', 'settings', { bulkResultPageSize: 50000 });
    }
  });

  it('GET /jobs/query/:id/results answers 412 JOB_NOT_COMPLETE before completion', async () => {
    await control(em, 'PATCH', 'settings', { bulkProcessingDelayMs: 5000 });
    try {
      const created = await createJob({ operation: 'query', query: 'SELECT Id FROM Account' });
      const r = await results(created.json.id);
      assert.equal(r.status, 412);
      assert.deepEqual(r.json, [
        {
          errorCode: 'JOB_NOT_COMPLETE',
          message: 'can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: UPLOAD_COMPLETE',
        },
      ]);
      await api(em, admin, 'PATCH', `${V}/jobs/query/${created.json.id}`, { state: 'Aborted' });
    } finally {
      await control(em, 'PATCH', 'settings', { bulkProcessingDelayMs: 60 });
    }
  });

  it('GET /jobs/query/:id/results answers 409 for another API version and 400 for bad paging', async () => {
    const id = await runQuery("SELECT Id FROM Account WHERE Name LIKE 'Recycled%'");
    const other = await results(id, '', admin, '/services/data/v60.0');
    assert.equal(other.status, 409);
    assert.equal(typeof other.json[0].errorCode, 'string');
    assert.equal((await results(id, '?locator=%21%21')).status, 400);
    assert.equal((await results(id, `?locator=${Buffer.from('999').toString('base64')}`)).status, 400);
    const zero = await results(id, '?maxRecords=0');
    assert.equal(zero.status, 400);
    assert.match(zero.json[0].message, /maxRecords/);
  });

  it('PATCH /jobs/query/:id aborts a running job and refuses to abort a finished one', async () => {
    await control(em, 'PATCH', 'settings', { bulkProcessingDelayMs: 5000 });
    let id: string;
    try {
      id = (await createJob({ operation: 'query', query: 'SELECT Id FROM Account' })).json.id;
      const aborted = await api(em, admin, 'PATCH', `${V}/jobs/query/${id}`, { state: 'Aborted' });
      assert.equal(aborted.status, 200);
      assert.equal(aborted.json.state, 'Aborted');
      assert.equal(aborted.json.id, id);
    } finally {
      await control(em, 'PATCH', 'settings', { bulkProcessingDelayMs: 60 });
    }
    const r = await results(id);
    assert.equal(r.status, 412);
    assert.match(r.json[0].message, /Current status: ABORTED$/);
    const done = await runQuery("SELECT Id FROM Account WHERE Name LIKE 'Recycled%'");
    const refused = await api(em, admin, 'PATCH', `${V}/jobs/query/${done}`, { state: 'Aborted' });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json, [{ errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Completed Job not allowed' }]);
    const badState = await api(em, admin, 'PATCH', `${V}/jobs/query/${done}`, { state: 'UploadComplete' });
    assert.equal(badState.status, 400);
  });

  it('DELETE /jobs/query/:id answers 204 and the job is gone', async () => {
    const id = await runQuery("SELECT Id FROM Account WHERE Name LIKE 'Recycled%'");
    const del = await api(em, admin, 'DELETE', `${V}/jobs/query/${id}`);
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    const gone = await api(em, admin, 'GET', `${V}/jobs/query/${id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    assert.equal((await results(id)).status, 404);
    assert.equal((await api(em, admin, 'GET', `${V}/jobs/query/750Dn0000000zzzAAA`)).status, 404);
  });

  it('GET /jobs/query lists the caller’s jobs; other users’ jobs stay hidden', async () => {
    const mine = await runQuery("SELECT Id FROM Account WHERE Name LIKE 'Recycled%'", {}, sales);
    const adminJob = await runQuery("SELECT Id FROM Account WHERE Name LIKE 'Recycled%'");
    const salesList = await api(em, sales, 'GET', `${V}/jobs/query`);
    assert.equal(salesList.status, 200);
    assert.equal(salesList.json.done, true);
    assert.equal(salesList.json.nextRecordsUrl, null);
    assert.deepEqual(
      salesList.json.records.map((j: { id: string }) => j.id),
      [mine],
    );
    assert.equal(salesList.json.records[0].jobType, 'V2Query');
    assert.equal((await api(em, sales, 'GET', `${V}/jobs/query/${adminJob}`)).status, 404);
    const adminList = await api(em, admin, 'GET', `${V}/jobs/query?jobType=V2Query&concurrencyMode=Parallel`);
    const ids = adminList.json.records.map((j: { id: string }) => j.id);
    assert.ok(ids.includes(mine) && ids.includes(adminJob), 'an admin sees every job');
    assert.deepEqual((await api(em, admin, 'GET', `${V}/jobs/query?jobType=V2Ingest`)).json.records, []);
    assert.deepEqual((await api(em, admin, 'GET', `${V}/jobs/query?isPkChunkingEnabled=true`)).json.records, []);
  });

  it('GET /jobs/query pages with nextRecordsUrl past 1000 jobs', async () => {
    const before = (await api(em, sales, 'GET', `${V}/jobs/query`)).json.records.length;
    for (let i = before; i < 1001; i++) {
      assert.equal((await createJob({ operation: 'query', query: "SELECT Id FROM Account WHERE Name = 'none'" }, sales)).status, 200);
    }
    const first = await api(em, sales, 'GET', `${V}/jobs/query?concurrencyMode=Parallel`);
    assert.equal(first.json.done, false);
    assert.equal(first.json.records.length, 1000);
    assert.match(first.json.nextRecordsUrl, /^\/services\/data\/v66\.0\/jobs\/query\?concurrencyMode=Parallel&queryLocator=/);
    const second = await api(em, sales, 'GET', first.json.nextRecordsUrl);
    assert.equal(second.json.done, true);
    assert.equal(second.json.nextRecordsUrl, null);
    assert.equal(second.json.records.length, 1);
    const ids = new Set([...first.json.records, ...second.json.records].map((j: { id: string }) => j.id));
    assert.equal(ids.size, 1001);
    assert.equal((await api(em, sales, 'GET', `${V}/jobs/query?queryLocator=bogus!`)).status, 400);
  });

  it('queryAll includes soft-deleted rows with IsDeleted true; query does not', async () => {
    const q = "SELECT Id, Name, IsDeleted FROM Account WHERE Name LIKE 'Recycled%'";
    const live = csvRecords((await results(await runQuery(q))).text);
    assert.equal(live.length, 6);
    assert.ok(live.every((r) => r.IsDeleted === 'false'));
    const createdAll = await createJob({ operation: 'queryAll', query: q });
    assert.equal(createdAll.json.operation, 'queryAll');
    await waitFinal(createdAll.json.id);
    const all = csvRecords((await results(createdAll.json.id)).text);
    assert.equal(all.length, 10);
    assert.equal(all.filter((r) => r.IsDeleted === 'true').length, 4);
  });

  it('results honour columnDelimiter, lineEnding, quoting and nulls', async () => {
    const id = await runQuery("SELECT Id, Name, Industry FROM Account WHERE Name LIKE 'Quote%'", { columnDelimiter: 'TAB', lineEnding: 'CRLF' });
    const r = await results(id);
    const rec = [...em.org.data.table('Account').live()].find((x) => String(x.Name).startsWith('Quote'))!;
    assert.equal(r.text, `"Id"\t"Name"\t"Industry"\r\n"${rec.Id as string}"\t"Quote ""Co"", Ltd\nSecond line"\t\r\n`);
    const pipe = await results(await runQuery("SELECT Name, Industry FROM Account WHERE Name = 'Bulk Account 00001'", { columnDelimiter: 'PIPE' }));
    assert.equal(pipe.text, '"Name"|"Industry"\n"Bulk Account 00001"|"Energy"\n');
    for (const [delimiter, ch] of [
      ['BACKQUOTE', '`'],
      ['CARET', '^'],
      ['SEMICOLON', ';'],
    ] as const) {
      const t = (await results(await runQuery("SELECT Name, Industry FROM Account WHERE Name = 'Bulk Account 00000'", { columnDelimiter: delimiter }))).text;
      assert.equal(t, `"Name"${ch}"Industry"\n"Bulk Account 00000"${ch}\n`, delimiter);
    }
  });

  it('results are gzip-encoded when the client accepts gzip', async () => {
    const id = await runQuery("SELECT Id FROM Account WHERE Name LIKE 'Bulk Account%'");
    const res = await fetch(`${em.urls.mydomain}${V}/jobs/query/${id}/results?maxRecords=10`, {
      headers: { Authorization: `Bearer ${admin}`, 'Accept-Encoding': 'gzip' },
    });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.equal(csvRecords(await res.text()).length, 10, 'fetch inflates the body');
  });

  it('POST /jobs/query refuses invalid options and unsupported or forbidden SOQL', async () => {
    const badOp = await createJob({ operation: 'upsert', query: 'SELECT Id FROM Account' });
    assert.equal(badOp.status, 400);
    assert.equal(badOp.json[0].errorCode, 'INVALIDJOB');
    const badDelim = await createJob({ operation: 'query', query: 'SELECT Id FROM Account', columnDelimiter: 'COLON' });
    assert.equal(badDelim.status, 400);
    assert.match(badDelim.json[0].message, /columnDelimiter/);
    for (const soql of [
      'SELECT COUNT() FROM Account',
      'SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry',
      'SELECT Id FROM Account OFFSET 5',
      'SELECT Id, (SELECT Id FROM Contacts) FROM Account',
      'SELECT Id, BillingAddress FROM Account',
      'SELECT FROM Account',
    ]) {
      const r = await createJob({ operation: 'query', query: soql });
      assert.equal(r.status, 400, `${soql} → ${r.text}`);
      assert.equal(typeof r.json[0].errorCode, 'string', soql);
      assert.equal(typeof r.json[0].message, 'string', soql);
    }
    const sub = await createJob({ operation: 'query', query: 'SELECT Id, (SELECT Id FROM Contacts) FROM Account' });
    assert.match(sub.json[0].message, /Aggregate Relationships not supported in Bulk V2 Query/);
    const hidden = await createJob({ operation: 'query', query: 'SELECT Id, AnnualRevenue FROM Account' }, sales);
    assert.equal(hidden.status, 400);
    assert.equal(hidden.json[0].errorCode, 'INVALID_FIELD');
    assert.equal((await createJob({ operation: 'query', query: 'SELECT Id, AnnualRevenue FROM Account' })).status, 200, 'admins see the field');
  });

  it('POST /__emulator/bulk/fail-next makes the next job end Failed with errorMessage', async () => {
    const set = await api(em, undefined, 'POST', '/__emulator/bulk/fail-next', { count: 1, message: 'Simulated processing failure' });
    assert.equal(set.status, 200);
    const failed = await createJob({ operation: 'query', query: "SELECT Id FROM Account WHERE Name LIKE 'Recycled%'" });
    const { info } = await waitFinal(failed.json.id);
    assert.equal(info.state, 'Failed');
    assert.equal(info.errorMessage, 'Simulated processing failure');
    const r = await results(failed.json.id);
    assert.equal(r.status, 412);
    assert.match(r.json[0].message, /Current status: FAILED$/);
    const next = await createJob({ operation: 'query', query: "SELECT Id FROM Account WHERE Name LIKE 'Recycled%'" });
    assert.equal((await waitFinal(next.json.id)).info.state, 'JobComplete', 'only the next job fails');
  });

  it('jobs/query is absent before API v47 and v48 locators are numbers', async () => {
    assert.equal((await createJob({ operation: 'query', query: 'SELECT Id FROM Account' }, admin, '/services/data/v46.0')).status, 404);
    const created = await createJob({ operation: 'query', query: "SELECT Name, Id FROM Account WHERE Name LIKE 'Recycled%'" }, admin, '/services/data/v48.0');
    assert.equal(created.status, 200);
    await waitFinal(created.json.id);
    const r = await results(created.json.id, '?maxRecords=4', admin, '/services/data/v48.0');
    assert.equal(r.headers.get('sforce-locator'), '4');
    assert.ok(r.text.startsWith('"Id","Name"\n'), 'columns are alphabetical before v50');
  });
});
