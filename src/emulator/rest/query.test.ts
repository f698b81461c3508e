import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../server.js';
import { api, control, startTestEmulator, tokenFor } from '../test-support/harness.js';
import { batchSize } from './query.js';

const ROWS = 5000;
const NOW = Date.UTC(2024, 4, 15, 12, 0, 0);

let em: RunningEmulator;
let admin: string;
let sales: string;
let deletedId: string;

const q = (soql: string) => `/query?q=${encodeURIComponent(soql)}`;

before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 0 } } });
  await control(em, 'POST', 'clock', { pinMs: NOW });
  admin = tokenFor(em, 'admin');
  sales = tokenFor(em, 'sales');
  const org = em.org;
  org.data.table('Account').rows.clear();
  const owner = [...org.users.values()].find((u) => u.config.username.startsWith('admin@'))!.id;
  for (let i = 0; i < ROWS; i++) {
    // Three rows per second: SystemModstamp ties, broken by Id.
    org.data.insert('Account', { Name: `Row ${String(i).padStart(5, '0')}`, AnnualRevenue: i }, owner, NOW - 10_000_000 + Math.floor(i / 3) * 1000);
  }
  const gone = org.data.insert('Account', { Name: 'Deleted One' }, owner);
  org.data.softDelete(gone, owner);
  deletedId = gone.Id as string;
});

after(async () => {
  await em.close();
});

/** Follows nextRecordsUrl to the end; returns all records and the page sizes. */
async function pageAll(first: string, size?: number) {
  const headers: Record<string, string> = size ? { 'Sforce-Query-Options': `batchSize=${size}` } : {};
  let res = await api(em, admin, 'GET', first, undefined, headers);
  const records: any[] = [];
  const pages: number[] = [];
  while (true) {
    assert.equal(res.status, 200, res.text);
    records.push(...res.json.records);
    pages.push(res.json.records.length);
    assert.equal(res.json.totalSize, ROWS);
    if (res.json.done) {
      assert.equal('nextRecordsUrl' in res.json, false);
      break;
    }
    assert.match(res.json.nextRecordsUrl, /^\/services\/data\/v66\.0\/query\/01g[A-Za-z0-9]{15}-\d+$/);
    res = await api(em, admin, 'GET', res.json.nextRecordsUrl, undefined, headers);
  }
  return { records, pages };
}

describe('GET /query paging', () => {
  it('GET /query pages 5,000 rows with batchSize 200, each row exactly once in order', async () => {
    const { records, pages } = await pageAll(q('SELECT Id, Name FROM Account ORDER BY SystemModstamp, Id'), 200);
    assert.equal(pages.length, 25);
    assert.ok(pages.every((n) => n === 200));
    assert.equal(new Set(records.map((r) => r.Id)).size, ROWS);
    assert.deepEqual(
      records.map((r) => r.Name),
      Array.from({ length: ROWS }, (_, i) => `Row ${String(i).padStart(5, '0')}`),
    );
  });

  it('GET /query pages with the default batch size of 2000', async () => {
    const { records, pages } = await pageAll(q('SELECT Id FROM Account'));
    assert.deepEqual(pages, [2000, 2000, 1000]);
    assert.equal(new Set(records.map((r) => r.Id)).size, ROWS);
  });

  it('GET /query/:locator works under any API version prefix', async () => {
    const first = await api(em, admin, 'GET', q('SELECT Id FROM Account'));
    const locator = (first.json.nextRecordsUrl as string).split('/').pop()!;
    const res = await api(em, admin, 'GET', `/services/data/v58.0/query/${locator}`);
    assert.equal(res.status, 200);
    assert.equal(res.json.records.length, 2000);
    assert.equal(res.json.records[0].attributes.url.startsWith('/services/data/v66.0/'), true);
  });

  it('batchSize clamps Sforce-Query-Options to 200–2000', () => {
    assert.equal(batchSize(undefined), 2000);
    assert.equal(batchSize('batchSize=10'), 200);
    assert.equal(batchSize('batchSize=500'), 500);
    assert.equal(batchSize('batchSize=9000'), 2000);
  });

  it('GET /query/:locator answers INVALID_QUERY_LOCATOR for unknown and expired locators', async () => {
    const bad = await api(em, admin, 'GET', '/query/01gDn0000000zzzIAA-2000');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    const first = await api(em, admin, 'GET', q('SELECT Id FROM Account'));
    await control(em, 'POST', 'clock', { advanceMs: 14 * 60_000 });
    assert.equal((await api(em, admin, 'GET', first.json.nextRecordsUrl)).status, 200);
    await control(em, 'POST', 'clock', { advanceMs: 16 * 60_000 });
    const expired = await api(em, admin, 'GET', first.json.nextRecordsUrl);
    assert.equal(expired.status, 400);
    assert.deepEqual(expired.json, [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    await control(em, 'POST', 'clock', { pinMs: NOW });
  });
});

describe('GET /queryAll', () => {
  it('GET /queryAll sees a soft-deleted row that /query does not', async () => {
    const soql = "SELECT Id, IsDeleted FROM Account WHERE Name = 'Deleted One'";
    const live = await api(em, admin, 'GET', q(soql));
    assert.deepEqual(live.json, { totalSize: 0, done: true, records: [] });
    const all = await api(em, admin, 'GET', `/queryAll?q=${encodeURIComponent(soql)}`);
    assert.equal(all.status, 200);
    assert.deepEqual(all.json.records, [
      { attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${deletedId}` }, Id: deletedId, IsDeleted: true },
    ]);
  });

  it('GET /queryAll pages through /query/ locators', async () => {
    const res = await api(em, admin, 'GET', `/queryAll?q=${encodeURIComponent('SELECT Id FROM Account')}`);
    assert.equal(res.json.totalSize, ROWS + 1);
    assert.match(res.json.nextRecordsUrl, /\/query\/01g/);
  });
});

describe('GET /query answers', () => {
  it('GET /query COUNT() returns totalSize and no records', async () => {
    const res = await api(em, admin, 'GET', q('SELECT COUNT() FROM Account WHERE AnnualRevenue < 10'));
    assert.deepEqual(res.json, { totalSize: 10, done: true, records: [] });
    assert.equal(res.headers.get('content-type'), 'application/json;charset=UTF-8');
  });

  it('GET /query exact error bodies for MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE', async () => {
    const malformed = await api(em, admin, 'GET', q('SELECT Id, FROM Account'));
    assert.equal(malformed.status, 400);
    assert.deepEqual(malformed.json, [
      { message: "\nSELECT Id, FROM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FROM'", errorCode: 'MALFORMED_QUERY' },
    ]);
    const field = await api(em, admin, 'GET', q('SELECT Id, Nope FROM Account'));
    assert.deepEqual(field.json, [
      {
        message:
          "\nSELECT Id, Nope FROM Account\n          ^\nERROR at Row:1:Column:11\nNo such column 'Nope' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
        errorCode: 'INVALID_FIELD',
      },
    ]);
    const type = await api(em, admin, 'GET', q('SELECT Id FROM Bogus'));
    assert.deepEqual(type.json, [
      {
        message:
          "\nSELECT Id FROM Bogus\n              ^\nERROR at Row:1:Column:15\nsObject type 'Bogus' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
        errorCode: 'INVALID_TYPE',
      },
    ]);
    const missing = await api(em, admin, 'GET', '/query');
    assert.deepEqual(missing.json, [{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }]);
  });

  it('GET /query refuses Account.AnnualRevenue for the Standard User (FLS)', async () => {
    const res = await api(em, sales, 'GET', q('SELECT Id, AnnualRevenue FROM Account LIMIT 1'));
    assert.equal(res.status, 400);
    assert.equal(res.json[0].errorCode, 'INVALID_FIELD');
    assert.match(res.json[0].message, /No such column 'AnnualRevenue' on entity 'Account'/);
    assert.equal((await api(em, sales, 'GET', q('SELECT Id, Name FROM Account LIMIT 1'))).status, 200);
  });

  it('GET /query?explain returns a plan', async () => {
    const res = await api(em, admin, 'GET', `/query/?explain=${encodeURIComponent('SELECT Id FROM Account WHERE AnnualRevenue < 10')}`);
    assert.equal(res.status, 200);
    const plan = res.json.plans[0];
    assert.equal(plan.sobjectType, 'Account');
    assert.equal(plan.cardinality, 10);
    assert.equal(plan.sobjectCardinality, ROWS);
    assert.equal(plan.leadingOperationType, 'TableScan');
    assert.equal(typeof plan.relativeCost, 'number');
    assert.deepEqual(plan.fields, []);
  });
});
