import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningEmulator } from '../server.js';
import { api, startTestEmulator, tokenFor } from '../test-support/harness.js';

const TEST_CONFIG = {
  customObjects: [{ name: 'Secret__c', sharingModel: 'Private', fields: [] }],
};

describe('SOSL search and parameterizedSearch', () => {
  let em: RunningEmulator;
  let admin: string;
  let sales: string;
  const ids: Record<string, string> = {};

  const search = (token: string, sosl: string) => api(em, token, 'GET', `/search?q=${encodeURIComponent(sosl)}`);

  before(async () => {
    em = await startTestEmulator({ config: TEST_CONFIG });
    admin = tokenFor(em, 'admin');
    sales = tokenFor(em, 'sales');
    const mk = async (token: string, object: string, body: Record<string, unknown>) =>
      (await api(em, token, 'POST', `/sobjects/${object}`, body)).json.id as string;
    ids.zephyr = await mk(admin, 'Account', { Name: 'Zephyrine Widgets', Phone: '(415) 555-0199', Industry: 'Energy', NumberOfEmployees: 50 });
    ids.zephyr2 = await mk(admin, 'Account', { Name: 'Zephyrine Holdings', Industry: 'Banking', NumberOfEmployees: 500 });
    ids.other = await mk(admin, 'Account', { Name: 'Quuxly Ltd', Description: 'partner of zephyrine' });
    ids.contact = await mk(admin, 'Contact', { FirstName: 'Ada', LastName: 'Zephyrine', Email: 'ada@zephyr.example', AccountId: ids.zephyr });
    ids.braces = await mk(admin, 'Account', { Name: 'Curly} RETURNING Contact(Id' });
    ids.secret = await mk(admin, 'Secret__c', { Name: 'Zephyrine secret' });
  });
  after(() => em.close());

  it('search + FIND RETURNING with fields, per-object order', async () => {
    const r = await search(admin, 'FIND {Zephyrine} IN NAME FIELDS RETURNING Account(Id, Name ORDER BY Name), Contact(Name, Email, Account.Name)');
    assert.equal(r.status, 200, r.text);
    const recs = r.json.searchRecords;
    assert.deepEqual(
      recs.map((x: { Id?: string; attributes: { url: string } }) => x.attributes.url.split('/').pop()),
      [ids.zephyr2, ids.zephyr, ids.contact],
    );
    assert.deepEqual(recs[0], {
      attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${ids.zephyr2}` },
      Id: ids.zephyr2,
      Name: 'Zephyrine Holdings',
    });
    assert.equal(recs[2].Email, 'ada@zephyr.example');
    assert.equal(recs[2].Account.Name, 'Zephyrine Widgets');
    assert.equal(recs[2].Account.attributes.type, 'Account');
  });

  it('search + ALL FIELDS finds description text; NAME FIELDS does not', async () => {
    const all = await search(admin, 'FIND {zephyrine} RETURNING Account');
    assert.ok(all.json.searchRecords.some((x: { Id: string }) => x.Id === ids.other));
    const names = await search(admin, 'FIND {zephyrine} IN NAME FIELDS RETURNING Account');
    assert.equal(
      names.json.searchRecords.some((x: { Id: string }) => x.Id === ids.other),
      false,
    );
  });

  it('search + wildcards, phrases, AND/OR/AND NOT, email and phone', async () => {
    const ids1 = async (sosl: string) => (await search(admin, sosl)).json.searchRecords.map((x: { Id: string }) => x.Id).sort();
    assert.deepEqual(await ids1('FIND {Zephyr*} IN NAME FIELDS RETURNING Account'), [ids.zephyr, ids.zephyr2].sort());
    assert.deepEqual(await ids1('FIND {"zephyrine widgets"} RETURNING Account'), [ids.zephyr]);
    assert.deepEqual(await ids1('FIND {Zephyrine AND NOT Holdings} IN NAME FIELDS RETURNING Account'), [ids.zephyr]);
    assert.deepEqual(await ids1('FIND {Quuxly OR "Zephyrine Holdings"} RETURNING Account'), [ids.zephyr2, ids.other].sort());
    assert.deepEqual(await ids1('FIND {ada@zephyr.example} IN EMAIL FIELDS RETURNING Contact'), [ids.contact]);
    assert.deepEqual(await ids1('FIND {4155550199} IN PHONE FIELDS RETURNING Account'), [ids.zephyr]);
    assert.deepEqual(await ids1('FIND {Zephyri?e Widgets} RETURNING Account'), [ids.zephyr]);
  });

  it('search + WHERE and LIMIT inside RETURNING, overall LIMIT', async () => {
    const w = await search(admin, "FIND {Zephyrine} RETURNING Account(Id WHERE NumberOfEmployees > 100 AND Industry = 'Banking')");
    assert.equal(w.status, 200, w.text);
    assert.deepEqual(
      w.json.searchRecords.map((x: { Id: string }) => x.Id),
      [ids.zephyr2],
    );
    const lim = await search(admin, 'FIND {Zephyrine} RETURNING Account(Id LIMIT 1), Contact');
    assert.equal(lim.json.searchRecords.filter((x: { attributes: { type: string } }) => x.attributes.type === 'Account').length, 1);
    const overall = await search(admin, 'FIND {Zephyrine} RETURNING Account, Contact LIMIT 2');
    assert.equal(overall.json.searchRecords.length, 2);
  });

  it('search + without RETURNING returns Id of every searchable object', async () => {
    const r = await search(admin, 'FIND {Zephyrine}');
    const types = new Set(r.json.searchRecords.map((x: { attributes: { type: string } }) => x.attributes.type));
    assert.ok(types.has('Account') && types.has('Contact') && types.has('Secret__c'));
    assert.deepEqual(Object.keys(r.json.searchRecords[0]), ['attributes', 'Id']);
  });

  it('search + sharing and FLS respected', async () => {
    const r = await search(sales, 'FIND {Zephyrine} RETURNING Secret__c, Account(Name)');
    assert.equal(
      r.json.searchRecords.some((x: { attributes: { type: string } }) => x.attributes.type === 'Secret__c'),
      false,
    );
    const hidden = await search(sales, 'FIND {Zephyrine} RETURNING Account(AnnualRevenue)');
    assert.equal(hidden.status, 400);
    assert.equal(hidden.json[0].errorCode, 'INVALID_FIELD');
  });

  it('search + malformed SOSL is MALFORMED_SEARCH', async () => {
    const cases = ['FIND Zephyrine', 'FIND {Zephyrine', 'FIND {a}', 'FIND {Zephyrine} RETURNING', 'FIND {Zephyrine} WITH SNIPPET', 'SELECT Id FROM Account'];
    for (const sosl of cases) {
      const r = await search(admin, sosl);
      assert.equal(r.status, 400, sosl);
      assert.equal(r.json[0].errorCode, 'MALFORMED_SEARCH', sosl);
    }
    const noBraces = await search(admin, 'FIND Zephyrine');
    assert.deepEqual(noBraces.json, [{ message: 'No search term found. The search term must be enclosed in braces.', errorCode: 'MALFORMED_SEARCH' }]);
    const badType = await search(admin, 'FIND {Zephyrine} RETURNING Bogus');
    assert.equal(badType.json[0].errorCode, 'INVALID_TYPE');
  });

  it('search + escaped reserved characters are data', async () => {
    const r = await search(admin, 'FIND {Curly\\} RETURNING} RETURNING Account');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.json.searchRecords.map((x: { Id: string }) => x.Id),
      [ids.braces],
    );
  });

  it('search + API versions before 37.0 answer a bare array', async () => {
    const r = await api(em, admin, 'GET', `/services/data/v36.0/search?q=${encodeURIComponent('FIND {Quuxly} RETURNING Account')}`);
    assert.ok(Array.isArray(r.json));
    assert.equal(r.json[0].Id, ids.other);
  });

  it('parameterizedSearch + GET with sobject, fields and limit', async () => {
    const r = await api(em, admin, 'GET', '/parameterizedSearch?q=Zephyrine&sobject=Account&Account.fields=Id,Name&Account.limit=1&in=NAME');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.searchRecords.length, 1);
    assert.deepEqual(Object.keys(r.json.searchRecords[0]), ['attributes', 'Id', 'Name']);
    const all = await api(em, admin, 'GET', '/parameterizedSearch?q=Zephyrine&overallLimit=3');
    assert.equal(all.json.searchRecords.length, 3);
  });

  it('parameterizedSearch + the term is data, never SOSL syntax', async () => {
    const q = encodeURIComponent('Curly} RETURNING Contact(Id');
    const r = await api(em, admin, 'GET', `/parameterizedSearch?q=${q}&sobject=Account`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.json.searchRecords.map((x: { Id: string; attributes: { type: string } }) => [x.attributes.type, x.Id]),
      [['Account', ids.braces]],
    );
    const injected = await api(em, admin, 'GET', `/parameterizedSearch?q=${encodeURIComponent('Quuxly} RETURNING Secret__c(Name')}&sobject=Account`);
    assert.deepEqual(injected.json.searchRecords, []);
  });

  it('parameterizedSearch + POST body', async () => {
    const r = await api(em, admin, 'POST', '/parameterizedSearch', {
      q: 'zephyrine',
      in: 'ALL',
      fields: ['Id'],
      sobjects: [{ name: 'Account', fields: ['Name'], limit: 10 }, { name: 'Contact' }],
      overallLimit: 10,
    });
    assert.equal(r.status, 200, r.text);
    const types = r.json.searchRecords.map((x: { attributes: { type: string } }) => x.attributes.type);
    assert.deepEqual([...new Set(types)], ['Account', 'Contact']);
    assert.ok('Name' in r.json.searchRecords[0]);
    const bad = await api(em, admin, 'POST', '/parameterizedSearch', { sobjects: 'x' });
    assert.equal(bad.status, 400);
  });
});
