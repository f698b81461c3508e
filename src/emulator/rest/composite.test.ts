import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jsforce from 'jsforce';
import type { RunningEmulator } from '../server.js';
import { api, startTestEmulator, tokenFor } from '../test-support/harness.js';

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

describe('sObject Collections and composite', () => {
  let em: RunningEmulator;
  let admin: string;

  before(async () => {
    em = await startTestEmulator({ config: { customFields: { Account: [{ name: 'ExtKey__c', type: 'string', length: 20, externalId: true }] } } });
    admin = tokenFor(em, 'admin');
  });
  after(() => em.close());

  const count = (name: string) => [...em.org.data.table('Account').live()].filter((r) => r.Name === name).length;

  it('collections create + allOrNone false reports per-item errors with statusCode', async () => {
    const r = await api(em, admin, 'POST', '/composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, Name: 'Coll A' },
        { attributes: { type: 'Account' }, Phone: '1' },
        { attributes: { type: 'Contact' }, LastName: 'Coll C' },
      ],
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.length, 3);
    assert.deepEqual(r.json[0], { id: r.json[0].id, success: true, errors: [] });
    assert.deepEqual(r.json[1], {
      success: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }],
    });
    assert.match(r.json[2].id, /^003/);
    assert.equal(count('Coll A'), 1);
  });

  it('collections create + allOrNone true rolls everything back', async () => {
    const before = em.org.data.table('Account').rows.size;
    const r = await api(em, admin, 'POST', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Name: 'Rolled' },
        { attributes: { type: 'Account' }, Name: 'x'.repeat(300) },
      ],
    });
    assert.equal(r.status, 200);
    assert.equal(r.json[0].success, false);
    assert.deepEqual(r.json[0].errors, [ROLLED_BACK]);
    assert.equal(r.json[1].errors[0].statusCode, 'STRING_TOO_LONG');
    assert.equal(em.org.data.table('Account').rows.size, before);
    assert.equal(count('Rolled'), 0);
  });

  it('collections create + whole-request errors: unknown field, over 200 records', async () => {
    const bad = await api(em, admin, 'POST', '/composite/sobjects', {
      records: [
        { attributes: { type: 'Account' }, Name: 'Ok' },
        { attributes: { type: 'Account' }, Nope: 1 },
      ],
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, [{ message: "No such column 'Nope' on sobject of type Account", errorCode: 'INVALID_FIELD' }]);
    assert.equal(count('Ok'), 0, 'the request failed as a whole');
    const many = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `Many ${i}` }));
    const tooMany = await api(em, admin, 'POST', '/composite/sobjects', { records: many });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.json[0].errorCode, 'EXCEEDED_ID_LIMIT');
  });

  it('collections update, retrieve and delete', async () => {
    const created = await api(em, admin, 'POST', '/composite/sobjects', {
      records: [
        { attributes: { type: 'Account' }, Name: 'U1' },
        { attributes: { type: 'Account' }, Name: 'U2' },
      ],
    });
    const [a, b] = created.json.map((x: { id: string }) => x.id);
    const u = await api(em, admin, 'PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, id: a, Name: 'U1 renamed' },
        { attributes: { type: 'Account' }, Name: 'no id' },
        { attributes: { type: 'Account' }, id: 'garbage', Name: 'bad id' },
      ],
    });
    assert.deepEqual(u.json[0], { id: a, success: true, errors: [] });
    assert.deepEqual(u.json[1], { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] });
    assert.equal(u.json[2].errors[0].statusCode, 'MALFORMED_ID');
    const g = await api(em, admin, 'GET', `/composite/sobjects/Account?ids=${a},${b},001Dn0000zzzzzz&fields=Name`);
    assert.equal(g.status, 200);
    assert.deepEqual(g.json[0], { attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${a}` }, Name: 'U1 renamed' });
    assert.equal(g.json[2], null);
    const p = await api(em, admin, 'POST', '/composite/sobjects/Account', { ids: [b], fields: ['Id', 'Name'] });
    assert.equal(p.json[0].Name, 'U2');
    const d = await api(em, admin, 'DELETE', `/composite/sobjects?ids=${a},${b}&allOrNone=false`);
    assert.deepEqual(d.json, [
      { id: a, success: true, errors: [] },
      { id: b, success: true, errors: [] },
    ]);
    const again = await api(em, admin, 'DELETE', `/composite/sobjects?ids=${a}`);
    assert.deepEqual(again.json, [{ id: a, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] }]);
    const gone = await api(em, admin, 'GET', `/composite/sobjects/Account?ids=${a}&fields=Name`);
    assert.deepEqual(gone.json, [null]);
  });

  it('collections upsert + created flags and duplicate external ids', async () => {
    const r = await api(em, admin, 'PATCH', '/composite/sobjects/Account/ExtKey__c', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, ExtKey__c: 'C-1', Name: 'Ext 1' },
        { attributes: { type: 'Account' }, ExtKey__c: 'C-2', Name: 'Ext 2' },
      ],
    });
    assert.deepEqual(
      r.json.map((x: { created: boolean; success: boolean }) => [x.success, x.created]),
      [
        [true, true],
        [true, true],
      ],
    );
    const again = await api(em, admin, 'PATCH', '/composite/sobjects/Account/ExtKey__c', {
      records: [{ attributes: { type: 'Account' }, ExtKey__c: 'C-1', Name: 'Ext 1b' }],
    });
    assert.deepEqual(again.json, [{ id: r.json[0].id, success: true, errors: [], created: false }]);
    await api(em, admin, 'POST', '/sobjects/Account', { Name: 'Dup', ExtKey__c: 'c-2' });
    const dup = await api(em, admin, 'PATCH', '/composite/sobjects/Account/ExtKey__c', {
      records: [{ attributes: { type: 'Account' }, ExtKey__c: 'C-2', Name: 'Which' }],
    });
    assert.equal(dup.json[0].success, false);
    assert.equal(dup.json[0].errors[0].statusCode, 'DUPLICATE_EXTERNAL_ID');
  });

  it('composite + references between subrequests', async () => {
    const r = await api(em, admin, 'POST', '/composite', {
      compositeRequest: [
        { method: 'POST', url: '/services/data/v66.0/sobjects/Account', referenceId: 'refAccount', body: { Name: 'Composite Parent' } },
        { method: 'POST', url: '/services/data/v66.0/sobjects/Contact', referenceId: 'refContact', body: { LastName: 'Kid', AccountId: '@{refAccount.id}' } },
        { method: 'GET', url: '/services/data/v66.0/sobjects/Contact/@{refContact.id}?fields=AccountId', referenceId: 'readBack' },
      ],
    });
    assert.equal(r.status, 200);
    const [acc, con, read] = r.json.compositeResponse;
    assert.equal(acc.httpStatusCode, 201);
    assert.equal(acc.referenceId, 'refAccount');
    assert.equal(acc.httpHeaders.Location, `/services/data/v66.0/sobjects/Account/${acc.body.id}`);
    assert.deepEqual(acc.body, { id: acc.body.id, success: true, errors: [] });
    assert.equal(con.httpStatusCode, 201);
    assert.equal(read.httpStatusCode, 200);
    assert.equal(read.body.AccountId, acc.body.id);
  });

  it('composite + allOrNone rolls back earlier subrequests; not counted per subrequest', async () => {
    const usedBefore = em.org.apiUsage.used;
    const r = await api(em, admin, 'POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v66.0/sobjects/Account', referenceId: 'ok', body: { Name: 'Composite Rollback' } },
        { method: 'POST', url: '/services/data/v66.0/sobjects/Account', referenceId: 'bad', body: { Phone: '1' } },
        { method: 'POST', url: '/services/data/v66.0/sobjects/Account', referenceId: 'later', body: { Name: 'Never' } },
      ],
    });
    assert.equal(r.status, 200);
    const [ok, bad, later] = r.json.compositeResponse;
    assert.equal(ok.httpStatusCode, 400);
    assert.equal(ok.body[0].errorCode, 'PROCESSING_HALTED');
    assert.equal(bad.httpStatusCode, 400);
    assert.equal(bad.body[0].errorCode, 'REQUIRED_FIELD_MISSING');
    assert.equal(later.body[0].errorCode, 'PROCESSING_HALTED');
    assert.equal(count('Composite Rollback'), 0);
    assert.equal(count('Never'), 0);
    assert.equal(em.org.apiUsage.used, usedBefore + 1);
  });

  it('composite + allOrNone false continues; unresolved references halt dependents', async () => {
    const r = await api(em, admin, 'POST', '/composite', {
      compositeRequest: [
        { method: 'POST', url: '/services/data/v66.0/sobjects/Account', referenceId: 'bad', body: { Phone: '1' } },
        { method: 'POST', url: '/services/data/v66.0/sobjects/Contact', referenceId: 'dep', body: { LastName: 'Orphan', AccountId: '@{bad.id}' } },
        { method: 'POST', url: '/services/data/v66.0/sobjects/Account', referenceId: 'indep', body: { Name: 'Independent' } },
      ],
    });
    const [bad, dep, indep] = r.json.compositeResponse;
    assert.equal(bad.httpStatusCode, 400);
    assert.equal(dep.httpStatusCode, 400);
    assert.equal(dep.body[0].errorCode, 'PROCESSING_HALTED');
    assert.equal(indep.httpStatusCode, 201);
    assert.equal(count('Independent'), 1);
    const tooMany = await api(em, admin, 'POST', '/composite', {
      compositeRequest: Array.from({ length: 26 }, (_, i) => ({ method: 'GET', url: '/services/data/v66.0/limits', referenceId: `r${i}` })),
    });
    assert.equal(tooMany.status, 400);
  });

  it('composite batch + independent subrequests with haltOnError', async () => {
    const r = await api(em, admin, 'POST', '/composite/batch', {
      haltOnError: true,
      batchRequests: [
        { method: 'POST', url: 'v66.0/sobjects/Account', richInput: { Name: 'Batch One' } },
        { method: 'GET', url: 'v66.0/sobjects/Account/notanid' },
        { method: 'GET', url: 'v66.0/limits' },
      ],
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.hasErrors, true);
    assert.deepEqual(
      r.json.results.map((x: { statusCode: number }) => x.statusCode),
      [201, 404, 412],
    );
    assert.equal(count('Batch One'), 1);
  });

  it('collections + unmodified jsforce array create, retrieve, update and destroy', async () => {
    const conn = new jsforce.Connection({ instanceUrl: em.urls.mydomain, accessToken: admin, version: '66.0' });
    const created = await conn.sobject('Account').create([{ Name: 'JS One' }, { Name: 'JS Two' }]);
    assert.ok(created.every((r) => r.success));
    const ids = created.map((r) => r.id!);
    const got = await conn.sobject('Account').retrieve(ids, { fields: ['Name'] });
    assert.deepEqual(
      got.map((r) => r?.Name),
      ['JS One', 'JS Two'],
    );
    const upd = await conn.sobject('Account').update(ids.map((Id) => ({ Id, Description: 'bulk' })));
    assert.ok(upd.every((r) => r.success));
    const del = await conn.sobject('Account').destroy(ids);
    assert.ok(del.every((r) => r.success));
    assert.ok(ids.every((id) => em.org.data.find(id)!.record.IsDeleted === true));
  });
});
