/**
 * The read tools end to end through runTool against the emulator, on every backend: each tool
 * runs; field-level security (the Standard User cannot see Account.AnnualRevenue) holds in
 * describe, query and get_record; another user's or tenant's connection is "not found"; a
 * refused query never reaches the emulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../emulator/server.js';
import { control, startTestEmulator } from '../../emulator/test-support/harness.js';
import { ForcebridgeError } from '../../errors.js';
import { backends } from '../../store/test-support/stores.js';
import { runTool, type ToolCallEntry } from '../run.js';
import { openAgentTestHub, type AgentTestHub } from '../test-support/agent-hub.js';

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 40 } } });
});
after(() => em.close());

type Json = Record<string, any>;

/** Asserts `p` rejects with a ForcebridgeError of `code` (and `field`, when given). */
async function rejectsWith(p: Promise<unknown>, code: string, field?: string): Promise<ForcebridgeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ForcebridgeError, String(e));
    assert.equal(e.code, code, e.message);
    if (field !== undefined) assert.equal(e.field, field, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

/** Instance (REST) requests the emulator served since `seq`. */
async function restRequestsSince(seq: number): Promise<{ path: string; query: string }[]> {
  const log = await control<{ path: string; query: string }[]>(em, 'GET', `requests?since=${seq}`);
  return log.filter((r) => r.path.startsWith('/services/data/'));
}

for (const backend of backends) {
  describe(`agent read tools (${backend.name})`, { skip: backend.skip }, () => {
    let t: AgentTestHub;
    const asAdmin = (tool: string, input: unknown) => runTool(t.hub, t.hub.admin, t.adminConnection, tool, input) as Promise<Json>;
    const asSam = (tool: string, input: unknown) => runTool(t.hub, t.sam, t.salesConnection, tool, input) as Promise<Json>;
    let accountId: string;
    let accountName: string;

    before(async () => {
      t = await openAgentTestHub(backend, em);
      const q = await asAdmin('query', { soql: 'SELECT Id, Name FROM Account WHERE AnnualRevenue != null ORDER BY Name LIMIT 1' });
      accountId = q.records[0].Id;
      accountName = q.records[0].Name;
    });
    after(() => t.cleanup());

    it('list_objects: the user’s objects with their permissions; filter matches name or label, case-insensitive', async () => {
      const all = await asAdmin('list_objects', {});
      const account = all.objects.find((o: Json) => o.name === 'Account');
      assert.deepEqual(account, {
        name: 'Account',
        label: 'Account',
        custom: false,
        queryable: true,
        searchable: true,
        createable: true,
        updateable: true,
        deletable: true,
      });
      assert.equal(all.total, all.objects.length);
      const filtered = await asAdmin('list_objects', { filter: 'ACCOUNT' });
      assert.ok(filtered.objects.length >= 1 && filtered.objects.length < all.objects.length);
      assert.ok(filtered.objects.every((o: Json) => `${o.name} ${o.label}`.toLowerCase().includes('account')));
      const sam = await asSam('list_objects', { filter: 'user' });
      const user = sam.objects.find((o: Json) => o.name === 'User');
      assert.equal(user.createable, false, 'Standard User has read-only access to User');
    });

    it('describe_object: compact by default, full on request; required, picklists, references, child relationships', async () => {
      const d = await asAdmin('describe_object', { object: 'account' });
      assert.equal(d.name, 'Account');
      const name = d.fields.find((f: Json) => f.name === 'Name');
      assert.equal(name.required, true);
      assert.equal(name.nameField, true);
      assert.equal(name.length, 255);
      const id = d.fields.find((f: Json) => f.name === 'Id');
      assert.equal('createable' in id, false, 'compact omits false');
      assert.equal('required' in id, false);
      const owner = d.fields.find((f: Json) => f.name === 'OwnerId');
      assert.deepEqual(owner.referenceTo, ['User']);
      assert.equal(owner.relationshipName, 'Owner');
      const industry = d.fields.find((f: Json) => f.name === 'Industry');
      assert.ok(industry.picklistValues.length > 0 && industry.picklistValues.every((v: Json) => typeof v.value === 'string'));
      assert.ok(d.childRelationships.some((c: Json) => c.relationshipName === 'Contacts' && c.childSObject === 'Contact'));
      assert.ok(d.fields.some((f: Json) => f.name === 'AnnualRevenue'));
      const full = await asAdmin('describe_object', { object: 'Account', full: true });
      const fullId = full.fields.find((f: Json) => f.name === 'Id');
      assert.equal(fullId.createable, false);
      assert.equal(fullId.nillable, false);
      assert.ok(JSON.stringify(full).length > JSON.stringify(d).length);
      await rejectsWith(asAdmin('describe_object', { object: 'NoSuchThing__c' }), 'agent.object_not_found', 'object');
      await rejectsWith(asAdmin('describe_object', { object: 'Account/../../x' }), 'agent.object_name', 'object');
    });

    it('describe_object: cached per connection and user — a second describe makes no API call', async () => {
      await asAdmin('describe_object', { object: 'Contact' });
      const seq = em.org.requestLog.lastSeq;
      await asAdmin('describe_object', { object: 'Contact', full: true });
      assert.deepEqual(await restRequestsSince(seq), []);
      // Sam's connection is another Salesforce user: not served from the admin's entry.
      await asSam('describe_object', { object: 'Contact' });
      assert.equal((await restRequestsSince(seq)).filter((r) => r.path.endsWith('/sobjects/Contact/describe')).length, 1);
    });

    it('field-level security: the Standard User does not see Account.AnnualRevenue in describe, query or get_record', async () => {
      const d = await asSam('describe_object', { object: 'Account', full: true });
      assert.equal(
        d.fields.some((f: Json) => f.name === 'AnnualRevenue'),
        false,
      );
      const rating = d.fields.find((f: Json) => f.name === 'Rating');
      assert.equal(rating.updateable, false, 'Rating is read-only for the Standard User');
      const refused = await rejectsWith(asSam('query', { soql: 'SELECT Id, AnnualRevenue FROM Account LIMIT 1' }), 'agent.query_failed', 'soql');
      assert.match(refused.message, /AnnualRevenue/);
      const std = await asSam('query', { soql: `SELECT FIELDS(STANDARD) FROM Account WHERE Id = '${accountId}'` });
      assert.equal(std.records.length, 1);
      assert.equal('AnnualRevenue' in std.records[0], false);
      assert.equal('Name' in std.records[0], true);
      const adminStd = await asAdmin('query', { soql: `SELECT FIELDS(STANDARD) FROM Account WHERE Id = '${accountId}'` });
      assert.equal(typeof adminStd.records[0].AnnualRevenue, 'number');
      const rec = await asSam('get_record', { object: 'Account', id: accountId });
      assert.equal(rec.record.Name, accountName);
      assert.equal('AnnualRevenue' in rec.record, false);
      const adminRec = await asAdmin('get_record', { object: 'Account', id: accountId });
      assert.equal(typeof adminRec.record.AnnualRevenue, 'number');
      const e = await rejectsWith(
        asSam('get_record', { object: 'Account', id: accountId, fields: ['Name', 'AnnualRevenue'] }),
        'agent.unknown_field',
        'fields.1',
      );
      assert.match(e.message, /"AnnualRevenue"/);
    });

    it('get_record: chosen fields; 15-char ids; checksum, prefix and unknown ids refused clearly', async () => {
      const r = await asAdmin('get_record', { object: 'Account', id: accountId.slice(0, 15), fields: ['name', 'Industry'] });
      assert.equal(r.id, accountId);
      assert.deepEqual(Object.keys(r.record).sort(), ['Id', 'Industry', 'Name', 'attributes'].sort());
      assert.deepEqual(r.record.attributes, { type: 'Account' });
      const bad = `${accountId.slice(0, 15)}${accountId.slice(15) === 'AAA' ? 'AAB' : 'AAA'}`;
      await rejectsWith(asAdmin('get_record', { object: 'Account', id: bad }), 'agent.invalid_id', 'id');
      await rejectsWith(asAdmin('get_record', { object: 'Account', id: 'short' }), 'agent.invalid_id', 'id');
      const contact = (await asAdmin('query', { soql: 'SELECT Id FROM Contact LIMIT 1' })).records[0].Id as string;
      await rejectsWith(asAdmin('get_record', { object: 'Account', id: contact }), 'agent.invalid_id', 'id');
      await rejectsWith(asAdmin('get_record', { object: 'Account', id: '001000000000000' }), 'agent.record_not_found', 'id');
      await rejectsWith(asAdmin('get_record', { object: 'Account', id: accountId, fields: ['Nope__c'] }), 'agent.unknown_field', 'fields.0');
    });

    it('query: relationships, subqueries, aggregates; attributes reduced to the type; input checked', async () => {
      const r = await asAdmin('query', {
        soql: `SELECT Id, Name, Owner.Name, (SELECT Id, LastName FROM Contacts LIMIT 2) FROM Account WHERE Id = '${accountId}'`,
      });
      assert.equal(r.totalSize, 1);
      assert.equal(r.done, true);
      assert.equal(r.cursor, undefined);
      const row = r.records[0];
      assert.deepEqual(row.attributes, { type: 'Account' });
      assert.equal(typeof row.Owner.Name, 'string');
      assert.deepEqual(row.Owner.attributes, { type: 'User' });
      if (row.Contacts) assert.ok(row.Contacts.records.every((c: Json) => c.attributes.type === 'Contact' && !('url' in c.attributes)));
      const agg = await asAdmin('query', { soql: 'SELECT Industry, COUNT(Id) cnt FROM Account GROUP BY Industry HAVING COUNT(Id) > 0' });
      assert.ok(agg.records.length > 0 && agg.records.every((x: Json) => typeof x.cnt === 'number'));
      const dated = await asAdmin('query', { soql: 'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:3650 ORDER BY Name LIMIT 3 OFFSET 1' });
      assert.equal(dated.records.length, 3);
      await rejectsWith(asAdmin('query', {}), 'agent.query_input', 'soql');
      await rejectsWith(asAdmin('query', { soql: 'SELECT Id FROM Account', cursor: 'x' }), 'agent.query_input', 'cursor');
      await rejectsWith(asAdmin('query', { soql: 'SELECT Id FROM Account', limit: 5000 }), 'agent.invalid_input', 'limit');
      await rejectsWith(asAdmin('query', { soql: 'SELECT Nope__c FROM Account' }), 'agent.query_failed', 'soql');
    });

    it('query: a refused query never reaches Salesforce (the emulator request log)', async () => {
      const seq = em.org.requestLog.lastSeq;
      for (const soql of [
        'SELECT Id FROM Account FOR UPDATE',
        'SELECT Id, (SELECT Id FROM Contacts FOR VIEW) FROM Account',
        'SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact UPDATE TRACKING)',
        'select id from account limit 1\nfor\treference',
        'DELETE FROM Account',
      ]) {
        await rejectsWith(asAdmin('query', { soql }), 'agent.soql_refused', 'soql');
      }
      assert.deepEqual(await restRequestsSince(seq), []);
      // The same log does show an accepted query, so the check above can fail.
      await asAdmin('query', { soql: 'SELECT Id FROM Account LIMIT 1' });
      assert.equal((await restRequestsSince(seq)).filter((r) => r.path.endsWith('/query')).length, 1);
    });

    it('search: hits with object, Id, name and requested fields; the term is data (no SOSL injection)', async () => {
      const word = accountName.split(/\s+/).find((w) => /^[A-Za-z0-9]{3,}$/.test(w))!;
      const r = await asAdmin('search', { term: word, objects: [{ name: 'account', fields: ['Industry'], limit: 5 }] });
      assert.ok(r.hits.length >= 1, `no hits for ${word}`);
      const hit = r.hits.find((h: Json) => h.id === accountId) ?? r.hits[0];
      assert.equal(hit.object, 'Account');
      assert.match(hit.id, /^001[0-9A-Za-z]{15}$/);
      assert.equal(typeof hit.name, 'string');
      assert.ok('Industry' in hit.fields);
      assert.equal('attributes' in hit.fields, false);
      // Braces, quotes and RETURNING stay literal words: no other object comes back.
      const injected = await asAdmin('search', { term: `${word}} RETURNING User(Id), Contact(Id`, objects: [{ name: 'Account' }] });
      assert.ok(injected.hits.every((h: Json) => h.object === 'Account'));
      const defaults = await asAdmin('search', { term: word });
      assert.ok(defaults.hits.length >= 1);
      await rejectsWith(asAdmin('search', { term: word, objects: [{ name: 'Account', fields: ['Nope__c'] }] }), 'agent.unknown_field', 'objects.0.fields.0');
      await rejectsWith(
        asSam('search', { term: word, objects: [{ name: 'Account', fields: ['AnnualRevenue'] }] }),
        'agent.unknown_field',
        'objects.0.fields.0',
      );
      await rejectsWith(asAdmin('search', { term: 'x' }), 'agent.invalid_input', 'term');
    });

    it('cross-connection use is refused as not found: another user’s per-user connection, another tenant', async () => {
      const seq = em.org.requestLog.lastSeq;
      await rejectsWith(runTool(t.hub, t.bob, t.salesConnection, 'list_objects', {}), 'connection.not_found');
      // Even an admin of the tenant cannot act as Sam's Salesforce user.
      await rejectsWith(runTool(t.hub, t.hub.admin, t.salesConnection, 'list_objects', {}), 'connection.not_found');
      await rejectsWith(runTool(t.hub, t.stranger, t.adminConnection, 'query', { soql: 'SELECT Id FROM Account' }), 'connection.not_found');
      const conn = await t.hub.connections.get(t.hub.tenant.id, t.adminConnection);
      await rejectsWith(runTool(t.hub, t.stranger, conn.id, 'list_objects', {}), 'connection.not_found');
      assert.deepEqual(await restRequestsSince(seq), []);
    });

    it('runTool: unknown tool, input errors name the field; the audit hook sees every call', async () => {
      const entries: ToolCallEntry[] = [];
      const onCall = async (e: ToolCallEntry) => void entries.push(e);
      await rejectsWith(runTool(t.hub, t.hub.admin, t.adminConnection, 'drop_tables', {}, { onCall }), 'agent.unknown_tool', 'tool');
      await rejectsWith(runTool(t.hub, t.hub.admin, t.adminConnection, 'describe_object', { object: 7 }, { onCall }), 'agent.invalid_input', 'object');
      await runTool(t.hub, t.hub.admin, t.adminConnection, 'list_objects', { filter: 'case' }, { onCall });
      await rejectsWith(runTool(t.hub, t.bob, t.salesConnection, 'list_objects', {}, { onCall }), 'connection.not_found');
      assert.deepEqual(
        entries.map((e) => [e.tool, e.ok, e.error ?? null, e.connectionId !== undefined]),
        [
          ['describe_object', false, 'agent.invalid_input', false],
          ['list_objects', true, null, true],
          ['list_objects', false, 'connection.not_found', false],
        ],
      );
      assert.deepEqual(entries[1]!.input, { filter: 'case' });
      const failingAudit = async () => {
        throw new Error('audit store down');
      };
      await assert.rejects(runTool(t.hub, t.hub.admin, t.adminConnection, 'list_objects', {}, { onCall: failingAudit }), /audit store down/);
    });
  });
}
