import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { refreshLicenseCounts } from '../emulator/data/bootstrap.js';
import type { RunningEmulator } from '../emulator/server.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { backends } from '../store/test-support/stores.js';
import { syncConnection } from './engine.js';
import { tableRows } from './test-support/ground-truth.js';
import { openSyncTestHub, type SyncTestHub } from './test-support/hub.js';
import { companyWhere, parseUsersOptions } from './users.js';

const OWN = 'forcebridge-demo.example';
const OBJECTS = ['User', 'UserLicense', 'PermissionSetLicense'];

let em: RunningEmulator;
let noEmail: string;
let partner: string;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 50 } } });
  // Beside the demo users (one already at northwind-consulting.example): a partner-domain user and
  // one with no email at all, both active and holding a Salesforce license.
  const admin = [...em.org.data.table('User').live()][0]!;
  const base = {
    ProfileId: admin.ProfileId ?? null,
    UserType: 'Standard',
    IsActive: true,
    TimeZoneSidKey: 'GMT',
    LocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
  };
  partner = em.org.data.insert(
    'User',
    { ...base, Username: 'pat@partner.example', LastName: 'Partner', Alias: 'ppart', CommunityNickname: 'pat', Email: 'Pat@Partner.Example' },
    admin.Id as string,
  ).Id as string;
  noEmail = em.org.data.insert(
    'User',
    { ...base, Username: 'robot@noemail.example', LastName: 'Robot', Alias: 'robot', CommunityNickname: 'robot', Email: null },
    admin.Id as string,
  ).Id as string;
  refreshLicenseCounts(em.org);
  await control(em, 'POST', 'clock', { advanceMs: 2000 });
});
after(() => em.close());

const users = () => [...em.org.data.table('User').live()];
const domainOf = (email: unknown) => (typeof email === 'string' ? email.split('@')[1]!.toLowerCase() : undefined);

describe('users options', () => {
  it('parses "*" or email domains and names the bad field', () => {
    assert.deepEqual(parseUsersOptions(undefined), { companyFilter: '*' });
    assert.deepEqual(parseUsersOptions({ companyFilter: [' Acme.COM '] }).companyFilter, ['acme.com']);
    assert.equal(companyWhere(parseUsersOptions({ companyFilter: ['acme.com', 'acme.io'] })), "Email LIKE '%@acme.com' OR Email LIKE '%@acme.io'");
    assert.throws(() => parseUsersOptions({ companyFilter: ["acme.com' OR Id != '"] }), { code: 'sync.invalid_users_options', field: 'users.companyFilter.0' });
    assert.throws(() => parseUsersOptions({ companyFilter: [] }), { field: 'users.companyFilter' });
  });
});

for (const backend of backends) {
  describe(`users and licenses (${backend.name})`, { skip: backend.skip }, () => {
    let t: SyncTestHub;
    before(async () => {
      t = await openSyncTestHub(backend, em);
    });
    after(() => t.cleanup());

    const live = async () => new Map([...(await tableRows(t.hub.store, t.connectionId, 'User'))].filter(([, r]) => r._fb_deleted_at === null));
    const flag = (v: unknown) => (v === null ? null : Boolean(v));

    it('"*" keeps every user (those without email too) and flags third-party users by email domain', async () => {
      const run = await syncConnection(t.hub, t.connectionId, { objects: OBJECTS });
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failures.map((f) => f.error.message)));
      const rows = await live();
      assert.deepEqual(
        [...rows.keys()].sort(),
        users()
          .map((u) => u.Id as string)
          .sort(),
      );
      for (const u of users()) {
        const want = u.Email ? domainOf(u.Email) !== OWN : null;
        assert.equal(flag(rows.get(u.Id as string)!._fb_third_party), want, `${String(u.Email)} third-party`);
      }
      assert.equal(flag(rows.get(noEmail)!._fb_third_party), null);
      assert.equal(flag(rows.get(partner)!._fb_third_party), true);
      const report = run.users!;
      assert.deepEqual(report.orgDomains, [OWN], 'default: the connected user’s email domain');
      assert.equal(report.users.kept, users().length);
      assert.equal(report.users.withoutEmail, 1);
      assert.equal(report.users.thirdParty, users().filter((u) => u.Email && domainOf(u.Email) !== OWN).length);
      assert.equal(report.licensedUsersOutsideFilter, 0);
      assert.equal(report.userLicenses.length, em.org.data.table('UserLicense').rows.size);
      assert.equal(report.permissionSetLicenses.length, em.org.data.table('PermissionSetLicense').rows.size);
    });

    it('a domain filter keeps only matching users, licenses stay org-wide and the mismatch is reported', async () => {
      const since = em.org.requestLog.lastSeq;
      const run = await syncConnection(t.hub, t.connectionId, { objects: OBJECTS, users: { companyFilter: [OWN] } });
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failures.map((f) => f.error.message)));
      const log = await control<{ path: string; query: string }[]>(em, 'GET', `requests?since=${since}`);
      const userQueries = log.map((l) => new URLSearchParams(l.query).get('q') ?? '').filter((q) => /FROM User\b/.test(q));
      assert.ok(userQueries.length > 0 && userQueries.every((q) => q.includes(`Email LIKE '%@${OWN}'`)), userQueries.join('\n'));

      const own = users().filter((u) => domainOf(u.Email) === OWN);
      const outside = users().filter((u) => domainOf(u.Email) !== OWN);
      const rows = await live();
      assert.deepEqual([...rows.keys()].sort(), own.map((u) => u.Id as string).sort(), 'users the filter leaves out are gone from the live set');
      for (const r of rows.values()) assert.equal(flag(r._fb_third_party), false);
      const licenses = await tableRows(t.hub.store, t.connectionId, 'UserLicense');
      assert.equal([...licenses.values()].filter((r) => r._fb_deleted_at === null).length, em.org.data.table('UserLicense').rows.size);
      const report = run.users!;
      assert.deepEqual(report.companyFilter, [OWN]);
      assert.equal(report.users.kept, own.length);
      assert.equal(report.licensedUsersOutsideFilter, outside.filter((u) => u.IsActive === true).length);
      assert.equal(report.licensedUsersOutsideFilter, 3);
      const summary = JSON.parse(
        (await t.hub.store.db.selectFrom('sync_runs').select('summary_json').where('id', '=', run.runId).executeTakeFirstOrThrow()).summary_json,
      ) as { users: { licensedUsersOutsideFilter: number } };
      assert.equal(summary.users.licensedUsersOutsideFilter, 3, 'the report is kept with the run');
    });

    it('the org’s domains are configurable; going back to "*" brings every user back', async () => {
      const run = await syncConnection(t.hub, t.connectionId, {
        objects: ['User'],
        users: { companyFilter: '*', orgDomains: ['northwind-consulting.example', OWN] },
      });
      assert.equal(run.status, 'succeeded');
      const rows = await live();
      assert.equal(rows.size, users().length);
      assert.equal(flag(rows.get(partner)!._fb_third_party), true);
      const hana = users().find((u) => domainOf(u.Email) === 'northwind-consulting.example')!;
      assert.equal(flag(rows.get(hana.Id as string)!._fb_third_party), false);
      assert.equal(run.users!.licensedUsersOutsideFilter, 0);
    });
  });
}
