import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { field } from '../schema/define.js';
import type { RunningEmulator } from '../server.js';
import { api, startTestEmulator, tokenFor } from '../test-support/harness.js';

/** Custom schema the tests rely on, independent of the demo data generator. */
const TEST_CONFIG = {
  customObjects: [
    {
      name: 'Secret__c',
      sharingModel: 'Private',
      fields: [
        { name: 'Code__c', type: 'string', length: 10, externalId: true },
        { name: 'Tier__c', type: 'picklist', picklistValues: ['Gold', 'Silver'], restrictedPicklist: true },
      ],
    },
  ],
  customFields: { Account: [{ name: 'ExtKey__c', type: 'string', length: 20, externalId: true }] },
};

describe('sObject rows', () => {
  let em: RunningEmulator;
  let admin: string;
  let sales: string;
  let viewer: string;

  before(async () => {
    em = await startTestEmulator({ config: TEST_CONFIG });
    admin = tokenFor(em, 'admin');
    sales = tokenFor(em, 'sales');
    viewer = tokenFor(em, 'viewer');
  });
  after(() => em.close());

  const create = async (token: string, object: string, body: unknown) => {
    const r = await api(em, token, 'POST', `/sobjects/${object}`, body);
    assert.equal(r.status, 201, r.text);
    return r.json.id as string;
  };

  it('create + 201 with id, success and Location', async () => {
    const r = await api(em, admin, 'POST', '/sobjects/Account', { attributes: { type: 'Account' }, Name: 'Acme', Industry: 'Energy' });
    assert.equal(r.status, 201);
    assert.match(r.json.id, /^001[A-Za-z0-9]{15}$/);
    assert.deepEqual(r.json, { id: r.json.id, success: true, errors: [] });
    assert.equal(r.headers.get('location'), `/services/data/v66.0/sobjects/Account/${r.json.id}`);
    const rec = em.org.data.find(r.json.id)!.record;
    assert.equal(rec.OwnerId, em.org.usersByName.get('admin@forcebridge-demo.example')!.id);
    assert.equal(typeof rec.CreatedDate, 'number');
  });

  it('get + all visible fields, Last-Modified and Account ETag', async () => {
    const id = await create(admin, 'Account', { Name: 'Globex', AnnualRevenue: 5000 });
    const r = await api(em, admin, 'GET', `/sobjects/Account/${id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.attributes, { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${id}` });
    assert.equal(r.json.Name, 'Globex');
    assert.equal(r.json.AnnualRevenue, 5000);
    assert.equal(r.json.IsDeleted, false);
    assert.match(r.json.CreatedDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
    assert.ok(r.headers.get('last-modified'));
    assert.match(r.headers.get('etag') ?? '', /^".+"$/);
    const c = await api(em, admin, 'GET', `/sobjects/Contact/${await create(admin, 'Contact', { LastName: 'Etagless' })}`);
    assert.equal(c.headers.get('etag'), null);
  });

  it('get + fields= list and 15-char ids', async () => {
    const id = await create(admin, 'Account', { Name: 'Fields Co', Phone: '555' });
    const r = await api(em, admin, 'GET', `/sobjects/Account/${id.slice(0, 15)}?fields=Name,Phone`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['attributes', 'Name', 'Phone']);
    const bad = await api(em, admin, 'GET', `/sobjects/Account/${id}?fields=Name,Bogus`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json[0].errorCode, 'INVALID_FIELD');
    assert.match(bad.json[0].message, /^No such column 'Bogus' on entity 'Account'/);
  });

  it('get + unknown, malformed and wrong-object ids', async () => {
    const missing = await api(em, admin, 'GET', '/sobjects/Account/001Dn000000zzzzIAA'.replace(/IAA$/, ''));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    const word = await api(em, admin, 'GET', '/sobjects/Account/notanid');
    assert.equal(word.status, 404);
    assert.deepEqual(word.json, [{ message: 'Provided external ID field does not exist or is not accessible: notanid', errorCode: 'NOT_FOUND' }]);
    const contactId = await create(admin, 'Contact', { LastName: 'Elsewhere' });
    const wrong = await api(em, admin, 'GET', `/sobjects/Account/${contactId}`);
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.json, [{ message: `Account ID: id value of incorrect type: ${contactId}`, errorCode: 'MALFORMED_ID', fields: ['Id'] }]);
    const unknownObject = await api(em, admin, 'GET', `/sobjects/Bogus/${contactId}`);
    assert.equal(unknownObject.status, 404);
  });

  it('get + If-Modified-Since 304 and If-None-Match 304', async () => {
    const id = await create(admin, 'Account', { Name: 'Cond' });
    const first = await api(em, admin, 'GET', `/sobjects/Account/${id}`);
    const later = new Date(em.org.clock.now() + 60_000).toUTCString();
    const r = await api(em, admin, 'GET', `/sobjects/Account/${id}`, undefined, { 'If-Modified-Since': later });
    assert.equal(r.status, 304);
    assert.equal(r.text, '');
    const earlier = new Date(em.org.clock.now() - 3_600_000).toUTCString();
    assert.equal((await api(em, admin, 'GET', `/sobjects/Account/${id}`, undefined, { 'If-Modified-Since': earlier })).status, 200);
    const inm = await api(em, admin, 'GET', `/sobjects/Account/${id}`, undefined, { 'If-None-Match': first.headers.get('etag')! });
    assert.equal(inm.status, 304);
  });

  it('update + 204 bumps LastModifiedDate and SystemModstamp', async () => {
    const id = await create(admin, 'Account', { Name: 'Before' });
    em.org.clock.advance(5000);
    const r = await api(em, admin, 'PATCH', `/sobjects/Account/${id}`, { Name: 'After', attributes: { type: 'Account' } });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    const rec = em.org.data.find(id)!.record;
    assert.equal(rec.Name, 'After');
    assert.equal(rec.LastModifiedDate, em.org.clock.now());
    assert.equal(rec.SystemModstamp, em.org.clock.now());
    assert.ok((rec.CreatedDate as number) < (rec.LastModifiedDate as number));
  });

  it('update + If-Unmodified-Since 412 and If-Match', async () => {
    const id = await create(admin, 'Account', { Name: 'Guarded' });
    const past = new Date(em.org.clock.now() - 3_600_000).toUTCString();
    const r = await api(em, admin, 'PATCH', `/sobjects/Account/${id}`, { Name: 'X' }, { 'If-Unmodified-Since': past });
    assert.equal(r.status, 412);
    assert.equal(r.json[0].errorCode, 'PRECONDITION_FAILED');
    assert.equal(em.org.data.find(id)!.record.Name, 'Guarded');
    const future = new Date(em.org.clock.now() + 3_600_000).toUTCString();
    assert.equal((await api(em, admin, 'PATCH', `/sobjects/Account/${id}`, { Name: 'Y' }, { 'If-Unmodified-Since': future })).status, 204);
    const badDate = await api(em, admin, 'PATCH', `/sobjects/Account/${id}`, { Name: 'Z' }, { 'If-Unmodified-Since': 'yesterday-ish' });
    assert.equal(badDate.status, 400);
    const etag = (await api(em, admin, 'GET', `/sobjects/Account/${id}`)).headers.get('etag')!;
    assert.equal((await api(em, admin, 'PATCH', `/sobjects/Account/${id}`, { Name: 'W' }, { 'If-Match': '"nope"' })).status, 412);
    assert.equal((await api(em, admin, 'PATCH', `/sobjects/Account/${id}`, { Name: 'W' }, { 'If-Match': etag })).status, 204);
  });

  it('validate + unknown field is INVALID_FIELD', async () => {
    const r = await api(em, admin, 'POST', '/sobjects/Account', { Name: 'A', Bogus__c: 1 });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, [{ message: "No such column 'Bogus__c' on sobject of type Account", errorCode: 'INVALID_FIELD' }]);
  });

  it('validate + required fields missing', async () => {
    const r = await api(em, admin, 'POST', '/sobjects/Account', { Phone: '1' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, [{ message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }]);
    const id = await create(admin, 'Account', { Name: 'Keep' });
    const u = await api(em, admin, 'PATCH', `/sobjects/Account/${id}`, { Name: null });
    assert.deepEqual(u.json, [{ message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }]);
  });

  it('validate + string too long, bad email, restricted picklist, several at once', async () => {
    const long = 'x'.repeat(41);
    const r = await api(em, admin, 'POST', '/sobjects/Contact', { LastName: 'L', FirstName: long, Email: 'not-an-email' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, [
      { message: `First Name: data value too large: ${long} (max length=40)`, errorCode: 'STRING_TOO_LONG', fields: ['FirstName'] },
      { message: 'Email: invalid email address: not-an-email', errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] },
    ]);
    const p = await api(em, admin, 'POST', '/sobjects/Secret__c', { Name: 'S', Tier__c: 'Bronze' });
    assert.equal(p.status, 400);
    assert.equal(p.json[0].errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    assert.match(p.json[0].message, /: bad value for restricted picklist field: Bronze$/);
    assert.deepEqual(p.json[0].fields, ['Tier__c']);
  });

  it('validate + types: numbers, booleans, dates and JSON type errors', async () => {
    const id = await create(admin, 'Account', { Name: 'Typed', NumberOfEmployees: '12', AnnualRevenue: 10.4 });
    const rec = em.org.data.find(id)!.record;
    assert.equal(rec.NumberOfEmployees, 12);
    assert.equal(rec.AnnualRevenue, 10);
    const bad = await api(em, admin, 'POST', '/sobjects/Account', { Name: 'T', NumberOfEmployees: 'many' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json[0].errorCode, 'JSON_PARSER_ERROR');
    assert.match(bad.json[0].message, /^Cannot deserialize instance of int from VALUE_STRING value many/);
    const c = await create(admin, 'Contact', { LastName: 'Born', Birthdate: '1990-02-03' });
    assert.equal(em.org.data.find(c)!.record.Birthdate, '1990-02-03');
    const badDate = await api(em, admin, 'POST', '/sobjects/Contact', { LastName: 'B', Birthdate: '1990-13-40' });
    assert.equal(badDate.json[0].errorCode, 'JSON_PARSER_ERROR');
  });

  it('validate + references: malformed, wrong object, missing and deleted parent', async () => {
    const accId = await create(admin, 'Account', { Name: 'Parent' });
    const ok = await create(admin, 'Contact', { LastName: 'Child', AccountId: accId.slice(0, 15) });
    assert.equal(em.org.data.find(ok)!.record.AccountId, accId);
    const malformed = await api(em, admin, 'POST', '/sobjects/Contact', { LastName: 'C', AccountId: 'xyz' });
    assert.deepEqual(malformed.json, [{ message: 'Account ID: id value of incorrect type: xyz', errorCode: 'MALFORMED_ID', fields: ['AccountId'] }]);
    const wrong = await api(em, admin, 'POST', '/sobjects/Contact', { LastName: 'C', AccountId: ok });
    assert.deepEqual(wrong.json, [{ message: `Account ID: id value of incorrect type: ${ok}`, errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['AccountId'] }]);
    const missing = await api(em, admin, 'POST', '/sobjects/Contact', { LastName: 'C', AccountId: '001Dn0000zzzzzzIAA'.slice(0, 15) });
    assert.deepEqual(missing.json, [{ message: 'invalid cross reference id', errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['AccountId'] }]);
    const gone = await create(admin, 'Account', { Name: 'Gone' });
    assert.equal((await api(em, admin, 'DELETE', `/sobjects/Account/${gone}`)).status, 204);
    const deleted = await api(em, admin, 'POST', '/sobjects/Contact', { LastName: 'C', AccountId: gone });
    assert.deepEqual(deleted.json, [{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: ['AccountId'] }]);
  });

  it('validate + Id on create and read-only fields', async () => {
    const id = await create(admin, 'Account', { Name: 'Has Id' });
    const r = await api(em, admin, 'POST', '/sobjects/Account', { Name: 'Dup', Id: id });
    assert.deepEqual(r.json, [{ message: 'Record ID: cannot specify Id in an insert call', errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Id'] }]);
    const ro = await api(em, admin, 'POST', '/sobjects/Account', { Name: 'RO', CreatedDate: '2020-01-01T00:00:00Z', IsDeleted: true });
    assert.equal(ro.status, 400);
    assert.deepEqual(ro.json, [
      {
        message:
          'Unable to create/update fields: CreatedDate, IsDeleted. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: ['CreatedDate', 'IsDeleted'],
      },
    ]);
  });

  it('FLS + sales cannot update read-only Rating nor see AnnualRevenue', async () => {
    const id = await create(sales, 'Account', { Name: 'Sales Acct' });
    const r = await api(em, sales, 'PATCH', `/sobjects/Account/${id}`, { Rating: 'Hot' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, [
      {
        message:
          'Unable to create/update fields: Rating. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: ['Rating'],
      },
    ]);
    em.org.data.find(id)!.record.AnnualRevenue = 99;
    const g = await api(em, sales, 'GET', `/sobjects/Account/${id}`);
    assert.equal(g.status, 200);
    assert.equal('AnnualRevenue' in g.json, false);
    assert.equal(g.json.Rating, null);
    const hidden = await api(em, sales, 'PATCH', `/sobjects/Account/${id}`, { AnnualRevenue: 1 });
    assert.deepEqual(hidden.json, [{ message: "No such column 'AnnualRevenue' on sobject of type Account", errorCode: 'INVALID_FIELD' }]);
    const hiddenGet = await api(em, sales, 'GET', `/sobjects/Account/${id}?fields=AnnualRevenue`);
    assert.equal(hiddenGet.json[0].errorCode, 'INVALID_FIELD');
  });

  it('perms + Read Only viewer cannot create, update or delete', async () => {
    const r = await api(em, viewer, 'POST', '/sobjects/Account', { Name: 'Nope' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, [{ message: 'insufficient access rights on object id', errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', fields: [] }]);
    const id = await create(admin, 'Account', { Name: 'Viewable' });
    assert.equal((await api(em, viewer, 'GET', `/sobjects/Account/${id}`)).status, 200);
    assert.equal((await api(em, viewer, 'PATCH', `/sobjects/Account/${id}`, { Name: 'No' })).json[0].errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
    assert.equal((await api(em, viewer, 'DELETE', `/sobjects/Account/${id}`)).json[0].errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
  });

  it('sharing + private object hides and protects other owners’ records', async () => {
    const id = await create(admin, 'Secret__c', { Name: 'Admin secret' });
    const g = await api(em, sales, 'GET', `/sobjects/Secret__c/${id}`);
    assert.equal(g.status, 404);
    assert.deepEqual(g.json, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    const u = await api(em, sales, 'PATCH', `/sobjects/Secret__c/${id}`, { Name: 'mine now' });
    assert.equal(u.status, 400);
    assert.deepEqual(u.json, [{ message: 'insufficient access rights on object id', errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', fields: [] }]);
    const own = await create(sales, 'Secret__c', { Name: 'Sales secret' });
    assert.equal((await api(em, sales, 'GET', `/sobjects/Secret__c/${own}`)).status, 200);
    assert.equal((await api(em, sales, 'PATCH', `/sobjects/Secret__c/${own}`, { Name: 'renamed' })).status, 204);
    // A lookup to a record the caller cannot see is refused as a cross-reference.
    const contact = await api(em, sales, 'POST', '/sobjects/Contact', { LastName: 'X', OwnerId: em.org.usersByName.get('sales@forcebridge-demo.example')!.id });
    assert.equal(contact.status, 201);
  });

  it('delete + 204 soft delete, then 404 ENTITY_IS_DELETED', async () => {
    const id = await create(admin, 'Account', { Name: 'Doomed' });
    const r = await api(em, admin, 'DELETE', `/sobjects/Account/${id}`);
    assert.equal(r.status, 204);
    const rec = em.org.data.find(id)!.record;
    assert.equal(rec.IsDeleted, true);
    assert.equal(em.org.data.deletions.get(id)?.purged, false);
    const again = await api(em, admin, 'DELETE', `/sobjects/Account/${id}`);
    assert.equal(again.status, 404);
    assert.deepEqual(again.json, [{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }]);
    const g = await api(em, admin, 'GET', `/sobjects/Account/${id}`);
    assert.deepEqual(g.json, [{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }]);
    assert.equal((await api(em, admin, 'PATCH', `/sobjects/Account/${id}`, { Name: 'x' })).status, 404);
  });

  it('delete + cascades to children through cascade-delete lookups', async () => {
    const lookup = em.org.schema.field('Contact', 'AccountId')!;
    const original = lookup.cascadeDelete;
    em.org.schema.addField('Contact', field(lookup.name, lookup.type, { ...lookup, cascadeDelete: true }));
    try {
      const acc = await create(admin, 'Account', { Name: 'Family' });
      const kid = await create(admin, 'Contact', { LastName: 'Kid', AccountId: acc });
      const other = await create(admin, 'Contact', { LastName: 'Other' });
      assert.equal((await api(em, admin, 'DELETE', `/sobjects/Account/${acc}`)).status, 204);
      assert.equal(em.org.data.find(kid)!.record.IsDeleted, true);
      assert.ok(em.org.data.deletions.has(kid));
      assert.equal(em.org.data.find(other)!.record.IsDeleted, false);
    } finally {
      em.org.schema.addField('Contact', field(lookup.name, lookup.type, { ...lookup, cascadeDelete: original }));
    }
  });

  it('derived + Contact Name from first and last name', async () => {
    const id = await create(admin, 'Contact', { FirstName: 'Grace', LastName: 'Hopper' });
    assert.equal((await api(em, admin, 'GET', `/sobjects/Contact/${id}?fields=Name`)).json.Name, 'Grace Hopper');
    await api(em, admin, 'PATCH', `/sobjects/Contact/${id}`, { FirstName: 'Amazing' });
    assert.equal(em.org.data.find(id)!.record.Name, 'Amazing Hopper');
  });

  it('upsert + 201 created, 200 updated (v46+), 204 updated (v45)', async () => {
    const c = await api(em, admin, 'PATCH', '/sobjects/Account/ExtKey__c/K-1', { Name: 'Upserted' });
    assert.equal(c.status, 201);
    assert.deepEqual(c.json, { id: c.json.id, success: true, errors: [], created: true });
    assert.equal(em.org.data.find(c.json.id)!.record.ExtKey__c, 'K-1');
    const u = await api(em, admin, 'PATCH', '/sobjects/Account/ExtKey__c/k-1', { Name: 'Upserted again' });
    assert.equal(u.status, 200);
    assert.deepEqual(u.json, { id: c.json.id, success: true, errors: [], created: false });
    const old = await api(em, admin, 'PATCH', '/services/data/v45.0/sobjects/Account/ExtKey__c/K-1', { Name: 'Old API' });
    assert.equal(old.status, 204);
    assert.equal(em.org.data.find(c.json.id)!.record.Name, 'Old API');
    const g = await api(em, admin, 'GET', '/sobjects/Account/ExtKey__c/K-1?fields=Name');
    assert.deepEqual(g.json, { attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${c.json.id}` }, Name: 'Old API' });
  });

  it('upsert + 300 on several matches, updateOnly 404, non-external field 404', async () => {
    const a = await create(admin, 'Account', { Name: 'Twin', ExtKey__c: 'TWIN' });
    const b = await create(admin, 'Account', { Name: 'Twin', ExtKey__c: 'twin' });
    const r = await api(em, admin, 'PATCH', '/sobjects/Account/ExtKey__c/Twin', { Name: 'Which' });
    assert.equal(r.status, 300);
    assert.deepEqual(r.json, [`/services/data/v66.0/sobjects/Account/${a}`, `/services/data/v66.0/sobjects/Account/${b}`]);
    const g = await api(em, admin, 'GET', '/sobjects/Account/ExtKey__c/twin');
    assert.equal(g.status, 300);
    const only = await api(em, admin, 'PATCH', '/sobjects/Account/ExtKey__c/NONE?updateOnly=true', { Name: 'x' });
    assert.equal(only.status, 404);
    assert.equal(only.json[0].errorCode, 'NOT_FOUND');
    const nf = await api(em, admin, 'PATCH', '/sobjects/Account/Phone/123', { Name: 'x' });
    assert.equal(nf.status, 404);
    assert.deepEqual(nf.json, [{ message: 'Provided external ID field does not exist or is not accessible: Phone', errorCode: 'NOT_FOUND' }]);
  });

  it('upsert + by Id and POST /sobjects/X/Id', async () => {
    const r = await api(em, admin, 'POST', '/sobjects/Account/Id', { Name: 'Via Id' });
    assert.equal(r.status, 201);
    assert.equal(r.json.created, true);
    const u = await api(em, admin, 'PATCH', `/sobjects/Account/Id/${r.json.id}`, { Name: 'Via Id 2' });
    assert.equal(u.status, 200);
    assert.equal(em.org.data.find(r.json.id)!.record.Name, 'Via Id 2');
    assert.equal((await api(em, admin, 'POST', `/sobjects/Account/${r.json.id}`, { Name: 'x' })).status, 405);
  });

  it('create + malformed JSON body', async () => {
    const r = await api(em, admin, 'POST', '/sobjects/Account', '{"Name": ', { 'Content-Type': 'application/json' });
    assert.equal(r.status, 400);
    assert.equal(r.json[0].errorCode, 'JSON_PARSER_ERROR');
  });
});
