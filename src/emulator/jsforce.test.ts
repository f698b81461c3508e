/**
 * Acceptance: unmodified jsforce (a third-party Salesforce client) against the emulator on a
 * loopback port — OAuth logins, paging past 10,000 rows, queryAll, describe, CRUD, upsert, SOSL,
 * Bulk 2.0 and a transparent refresh after the org expires the session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce from 'jsforce';
import type { RunningEmulator } from './server.js';
import { control, startTestEmulator } from './test-support/harness.js';
import { browserAuthorize } from './test-support/browser-login.js';

const VERSION = '60.0';
let em: RunningEmulator;
let adminId: string;

function admin() {
  return em.banner.users.find((u) => u.username.startsWith('admin@'))!;
}

function oauth2() {
  return { loginUrl: em.banner.loginUrl, clientId: em.banner.clientId, clientSecret: em.banner.clientSecret, redirectUri: em.banner.redirectUri };
}

async function passwordConnection(): Promise<jsforce.Connection> {
  const conn = new jsforce.Connection({ oauth2: oauth2(), version: VERSION });
  await conn.login(admin().username, admin().password + admin().securityToken);
  return conn;
}

before(async () => {
  em = await startTestEmulator({
    config: {
      settings: { records: 200 },
      customFields: { Account: [{ name: 'External_Key__c', type: 'string', length: 40, externalId: true, unique: true }] },
    },
  });
  adminId = em.org.usersByName.get(admin().username)!.id;
  // 12,000 extra Accounts: enough to cross jsforce's default maxFetch of 10,000.
  for (let i = 0; i < 12_000; i++) em.org.data.insert('Account', { Name: `Bulk Co ${i}`, Industry: i % 2 ? 'Banking' : 'Energy' }, adminId);
});
after(() => em.close());

describe('jsforce login', () => {
  it('logs in with username-password (password + security token) over OAuth', async () => {
    const conn = await passwordConnection();
    assert.equal(conn.instanceUrl, em.banner.instanceUrl);
    assert.match(conn.accessToken!, /^00D\w{12}!/);
    assert.equal(conn.userInfo?.organizationId, em.org.orgId);
    const identity = await conn.identity();
    assert.equal(identity.username, admin().username);
  });

  it('logs in with the authorization-code flow (PKCE) and gets a refresh token', async () => {
    const oauth = new jsforce.OAuth2({ ...oauth2(), useVerifier: true });
    const url = oauth.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st-123' });
    const { code, state } = await browserAuthorize(url, admin().username, admin().password);
    assert.equal(state, 'st-123');
    const conn = new jsforce.Connection({ oauth2: oauth, version: VERSION });
    const info = await conn.authorize(code!);
    assert.equal(info.organizationId, em.org.orgId);
    assert.ok(conn.refreshToken, 'refresh token issued for the refresh_token scope');
    const res = await conn.query('SELECT Id FROM Account LIMIT 1');
    assert.equal(res.records.length, 1);
  });
});

describe('jsforce query', () => {
  it('pages with autoFetch past 10,000 records when maxFetch is raised', async () => {
    const conn = await passwordConnection();
    const total = [...em.org.data.table('Account').live()].length;
    assert.ok(total > 12_000);
    const res = await conn.query('SELECT Id, Name FROM Account', { autoFetch: true, maxFetch: 50_000 });
    assert.equal(res.totalSize, total);
    assert.equal(res.records.length, total);
    assert.equal(new Set(res.records.map((r: any) => r.Id)).size, total, 'every row exactly once');
  });

  it('sees a deleted record with queryAll but not with query', async () => {
    const conn = await passwordConnection();
    const created = await conn.sobject('Account').create({ Name: 'Soon Deleted' });
    assert.ok(created.success);
    await conn.sobject('Account').destroy(created.id!);
    const q = await conn.query(`SELECT Id FROM Account WHERE Id = '${created.id}'`);
    assert.equal(q.totalSize, 0);
    const qa = await conn.query(`SELECT Id, IsDeleted FROM Account WHERE Id = '${created.id}'`, { scanAll: true });
    assert.equal(qa.totalSize, 1);
    assert.equal((qa.records[0] as any).IsDeleted, true);
  });
});

describe('jsforce describe', () => {
  it('runs describeGlobal and describe', async () => {
    const conn = await passwordConnection();
    const global = await conn.describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    for (const n of ['Account', 'Contact', 'Case', 'Opportunity', 'User']) assert.ok(names.includes(n), n);
    const d = await conn.sobject('Account').describe();
    assert.equal(d.name, 'Account');
    assert.equal(d.keyPrefix, '001');
    assert.ok(d.fields.some((f) => f.name === 'External_Key__c' && f.externalId));
    assert.ok(d.childRelationships.some((r) => r.relationshipName === 'Contacts'));
  });
});

describe('jsforce CRUD', () => {
  it('creates, updates, retrieves and deletes', async () => {
    const conn = await passwordConnection();
    const res = await conn.sobject('Contact').create({ LastName: 'Lovelace', FirstName: 'Ada', Email: 'ada@example.com' });
    assert.ok(res.success);
    const upd = await conn.sobject('Contact').update({ Id: res.id!, Title: 'Analyst' });
    assert.ok(upd.success);
    const rec: any = await conn.sobject('Contact').retrieve(res.id!);
    assert.equal(rec.Title, 'Analyst');
    assert.equal(rec.Name, 'Ada Lovelace');
    const del = await conn.sobject('Contact').destroy(res.id!);
    assert.ok(del.success);
    await assert.rejects(conn.sobject('Contact').retrieve(res.id!), (e: any) => e.errorCode === 'ENTITY_IS_DELETED' || e.name === 'ENTITY_IS_DELETED');
  });

  it('upserts by external id: insert then update', async () => {
    const conn = await passwordConnection();
    const first: any = await conn.sobject('Account').upsert({ Name: 'Upsert Co', External_Key__c: 'EXT-1' }, 'External_Key__c');
    assert.ok(first.success);
    assert.equal(first.created, true);
    const second: any = await conn.sobject('Account').upsert({ Name: 'Upsert Co 2', External_Key__c: 'EXT-1' }, 'External_Key__c');
    assert.ok(second.success);
    assert.equal(second.created, false);
    const q = await conn.query("SELECT Id, Name FROM Account WHERE External_Key__c = 'EXT-1'");
    assert.equal(q.totalSize, 1);
    assert.equal((q.records[0] as any).Name, 'Upsert Co 2');
    assert.equal((q.records[0] as any).Id, first.id);
  });
});

describe('jsforce search', () => {
  it('runs a SOSL search', async () => {
    const conn = await passwordConnection();
    await conn.sobject('Account').create({ Name: 'Zyxwv Searchable Ltd' });
    const res = await conn.search('FIND {Zyxwv} IN ALL FIELDS RETURNING Account(Id, Name)');
    assert.equal(res.searchRecords.length, 1);
    assert.equal((res.searchRecords[0] as any).Name, 'Zyxwv Searchable Ltd');
  });
});

describe('jsforce bulk2', () => {
  it('queries 50,000 rows through Bulk API 2.0', async () => {
    for (let i = 0; i < 40_000; i++) em.org.data.insert('Account', { Name: `Bulk2 Co ${i}`, Industry: 'Retail' }, adminId);
    const conn = await passwordConnection();
    conn.bulk2.pollInterval = 200;
    conn.bulk2.pollTimeout = 120_000;
    const total = [...em.org.data.table('Account').live()].length;
    assert.ok(total >= 50_000);
    const records = await conn.bulk2.query('SELECT Id, Name, Industry FROM Account');
    const rows: any[] = [];
    for await (const r of records) rows.push(r);
    assert.equal(rows.length, total);
    assert.equal(new Set(rows.map((r) => r.Id)).size, total);
  });
});

describe('jsforce session refresh', () => {
  it('refreshes transparently with the refresh token after the org expires the session', async () => {
    const oauth = new jsforce.OAuth2(oauth2());
    const url = oauth.getAuthorizationUrl({ scope: 'api refresh_token' });
    const { code } = await browserAuthorize(url, admin().username, admin().password);
    const conn = new jsforce.Connection({ oauth2: oauth, version: VERSION });
    await conn.authorize(code!);
    const before = conn.accessToken;
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    await control(em, 'POST', 'sessions/expire');
    const res = await conn.query('SELECT Id FROM Account LIMIT 1');
    assert.equal(res.records.length, 1);
    assert.equal(refreshed, 1);
    assert.notEqual(conn.accessToken, before);
  });

  it('logs in again transparently for a username-password session', async () => {
    const conn = await passwordConnection();
    const before = conn.accessToken;
    await control(em, 'POST', 'sessions/expire');
    const res = await conn.query('SELECT Id FROM Account LIMIT 1');
    assert.equal(res.records.length, 1);
    assert.notEqual(conn.accessToken, before);
  });
});
