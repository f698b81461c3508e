import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator, tokenFor } from '../emulator/test-support/harness.js';
import { ForcebridgeError } from '../errors.js';
import { SalesforceClient } from '../salesforce/client.js';
import { createTransport } from '../salesforce/transport.js';
import { bulkSoql, countRows, DEFAULT_BULK_THRESHOLD, isBulkRefusal, planRead } from './planner.js';

let em: RunningEmulator;
let client: SalesforceClient;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 200 } } });
  const token = tokenFor(em);
  const session = { accessToken: token, instanceUrl: em.urls.mydomain, version: 1 };
  client = new SalesforceClient({ transport: createTransport(), session: { current: async () => session, renew: async () => session } });
});
after(() => em.close());

const queriesSince = async (since: number) =>
  (await control<{ path: string }[]>(em, 'GET', `requests?since=${since}`)).filter((l) => /\/query(All)?$/.test(l.path)).length;

describe('planRead', () => {
  it('uses Bulk above the threshold and REST at or below it (one COUNT query)', async () => {
    const truth = (await control<Record<string, { ids: string[]; deletedIds: string[] }>>(em, 'GET', 'truth?object=Account')).Account!;
    const n = await countRows(client, 'Account', undefined, true);
    assert.equal(n, truth.ids.length + truth.deletedIds.length);
    assert.equal(await countRows(client, 'Account', undefined, false), truth.ids.length);

    const since = em.org.requestLog.lastSeq;
    const above = await planRead(client, { object: 'Account', all: true, initialLoad: true, threshold: n - 1 });
    assert.deepEqual([above.method, above.count], ['bulk', n]);
    const at = await planRead(client, { object: 'Account', all: true, initialLoad: true, threshold: n });
    assert.deepEqual([at.method, at.count], ['rest', n]);
    assert.equal(await queriesSince(since), 2);
  });

  it('counts with the catalog filter and defaults to 10,000', async () => {
    const plan = await planRead(client, { object: 'Account', where: "Name = 'no such account'", all: false, initialLoad: true });
    assert.deepEqual([plan.method, plan.count], ['rest', 0]);
    assert.equal(DEFAULT_BULK_THRESHOLD, 10_000);
  });

  it('reads increments over REST without counting', async () => {
    const since = em.org.requestLog.lastSeq;
    const plan = await planRead(client, { object: 'Account', all: true, initialLoad: false, threshold: 0 });
    assert.equal(plan.method, 'rest');
    assert.equal(await queriesSince(since), 0);
  });

  it('builds the Bulk SOQL with the before bound and filter, without ORDER BY', () => {
    assert.equal(
      bulkSoql({ object: 'Account', fields: ['Name', 'Id'], cursorField: 'SystemModstamp', before: '2024-01-02T03:04:05.000Z', where: "Type = 'x'" }),
      "SELECT Id, SystemModstamp, Name FROM Account WHERE SystemModstamp < 2024-01-02T03:04:05Z AND (Type = 'x')",
    );
    assert.equal(bulkSoql({ object: 'UserLicense', fields: ['Id', 'Name'] }), 'SELECT Id, Name FROM UserLicense');
  });

  it('tells a Bulk refusal from other failures', () => {
    const sf = (errorCode: string, status: number, message = '') =>
      new ForcebridgeError('x', 'remote_error', 'x', { salesforce: { errorCode, status, message } });
    assert.equal(isBulkRefusal(sf('INVALIDENTITY', 400, "Entity 'X' is not supported by the Bulk API.")), true);
    assert.equal(isBulkRefusal(sf('API_ERROR', 400, 'Selecting compound data not supported in Bulk Query')), true);
    assert.equal(isBulkRefusal(sf('INVALID_SESSION_ID', 401)), false);
    assert.equal(isBulkRefusal(sf('REQUEST_LIMIT_EXCEEDED', 403)), false);
    assert.equal(isBulkRefusal(new Error('network')), false);
  });
});
