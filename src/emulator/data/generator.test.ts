import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEmulatorConfig } from '../config.js';
import { Org } from '../org.js';
import { readValue } from '../rest/record-json.js';
import { PROPORTIONS } from './generator.js';

const PIN = Date.UTC(2025, 5, 15, 12, 0, 0);

/** An org generated at a fixed instant (the clock is pinned, then the data rebuilt). */
function orgAt(settings: Record<string, unknown>, at = PIN): Org {
  const org = new Org(parseEmulatorConfig({ settings }));
  org.clock.pin(at);
  org.reset();
  return org;
}

function snapshot(org: Org): Record<string, unknown[]> {
  return Object.fromEntries(org.data.allTables().map((t) => [t.def.name, [...t.rows.values()]]));
}

function count(org: Org, object: string): { live: number; deleted: number } {
  let live = 0;
  let deleted = 0;
  for (const r of org.data.table(object).rows.values()) {
    if (r.IsDeleted) deleted++;
    else live++;
  }
  return { live, deleted };
}

describe('generateData', () => {
  it('generateData same seed → identical records, ids and recycle bin', () => {
    const a = orgAt({ records: 1500, seed: 7 });
    const b = orgAt({ records: 1500, seed: 7 });
    assert.deepEqual(snapshot(a), snapshot(b));
    assert.deepEqual([...a.data.deletions.values()], [...b.data.deletions.values()]);
    const c = orgAt({ records: 1500, seed: 8 });
    assert.notDeepEqual(snapshot(a).Account, snapshot(c).Account);
  });

  it('generateData spreads records over the objects in the documented proportions', () => {
    const org = orgAt({ records: 3000 });
    let total = 0;
    for (const [object, share] of Object.entries(PROPORTIONS)) {
      const { live, deleted } = count(org, object);
      total += live + deleted;
      const want = 3000 * share;
      assert.ok(Math.abs(live + deleted - want) <= want * 0.1, `${object}: ${live + deleted} vs ${want}`);
    }
    assert.ok(Math.abs(total - 3000) <= 30, `total ${total}`);
    const deleted = Object.keys(PROPORTIONS).reduce((n, o) => n + count(org, o).deleted, 0);
    assert.ok(deleted >= 10, `recycle bin holds ${deleted}`);
  });

  it('generateData relationships: every lookup of a live record points at an existing record', () => {
    const org = orgAt({ records: 2000 });
    let checked = 0;
    for (const t of org.data.allTables()) {
      for (const rec of t.live()) {
        for (const f of t.def.fields) {
          if (f.type !== 'reference') continue;
          const v = rec[f.name];
          if (typeof v !== 'string') continue;
          const target = org.data.find(v);
          assert.ok(target, `${t.def.name}.${f.name} → ${v} exists`);
          assert.ok(f.referenceTo.includes(target.table.def.name), `${t.def.name}.${f.name} → ${target.table.def.name}`);
          if (f.name !== 'ConvertedContactId' && f.name !== 'ConvertedOpportunityId')
            assert.equal(target.record.IsDeleted, false, `${t.def.name}.${f.name} → live`);
          checked++;
        }
      }
    }
    assert.ok(checked > 5000, `checked ${checked} lookups`);
    // Contacts sit under accounts, cases under accounts/contacts, emails under cases.
    const contacts = [...org.data.table('Contact').live()];
    assert.ok(contacts.filter((c) => c.AccountId).length / contacts.length > 0.9);
    const caseEmails = [...org.data.table('EmailMessage').live()].filter((e) => e.ParentId);
    assert.ok(caseEmails.some((e) => e.Incoming === true) && caseEmails.some((e) => e.Incoming === false));
    assert.ok(new Set(caseEmails.map((e) => e.ThreadIdentifier)).size < caseEmails.length, 'threads hold several emails');
    const tasks = [...org.data.table('Task').live()];
    for (const prefix of ['003', '00Q'])
      assert.ok(
        tasks.some((t) => String(t.WhoId).startsWith(prefix)),
        `a task on ${prefix}`,
      );
    for (const prefix of ['001', '006', '500'])
      assert.ok(
        tasks.some((t) => String(t.WhatId).startsWith(prefix)),
        `a task on ${prefix}`,
      );
  });

  it('generateData timestamps: whole seconds, ordered, in the past, with shared SystemModstamps', () => {
    const org = orgAt({ records: 3000 });
    const now = org.clock.now();
    for (const t of org.data.allTables()) {
      const stamps = new Map<number, number>();
      for (const r of t.rows.values()) {
        const [c, m, s] = [r.CreatedDate, r.LastModifiedDate, r.SystemModstamp] as number[];
        assert.ok(c! % 1000 === 0 && m! % 1000 === 0 && s! % 1000 === 0, `${t.def.name} whole seconds`);
        assert.ok(c! <= m! && m! <= s! && s! <= now, `${t.def.name} ${r.Id as string} ordered`);
        stamps.set(s!, (stamps.get(s!) ?? 0) + 1);
      }
      if (t.def.name === 'Contact')
        assert.ok(
          [...stamps.values()].some((n) => n > 1),
          'some contacts share a SystemModstamp',
        );
    }
    const accounts = new Map([...org.data.table('Account').rows.values()].map((a) => [a.Id, a]));
    for (const c of org.data.table('Contact').rows.values()) {
      if (c.AccountId) assert.ok((c.CreatedDate as number) >= (accounts.get(c.AccountId)!.CreatedDate as number));
    }
    for (const d of org.data.deletions.values()) assert.ok(now - d.deletedDate <= 15 * 86_400_000, 'deleted within the getDeleted window');
  });

  it('generateData users: org and outside domains, some inactive, license counts', () => {
    const org = orgAt({ records: 3000, companyDomains: ['acme-demo.example', 'acme-demo-eu.example'] });
    const users = [...org.data.table('User').rows.values()];
    const domains = new Set(users.map((u) => String(u.Email).split('@')[1]));
    for (const d of ['acme-demo.example', 'acme-demo-eu.example', 'northwind-consulting.example']) assert.ok(domains.has(d), d);
    assert.ok(users.some((u) => u.IsActive === false));
    assert.ok(users.some((u) => typeof u.LastLoginDate === 'number'));
    assert.ok(users.some((u) => u.FederationIdentifier));
    const profileIds = new Set([...org.data.table('Profile').rows.values()].map((p) => p.Id));
    for (const u of users) assert.ok(profileIds.has(u.ProfileId as string), 'existing profile');
    const sf = [...org.data.table('UserLicense').rows.values()].find((l) => l.Name === 'Salesforce')!;
    const salesforceProfiles = new Set([...org.data.table('Profile').rows.values()].filter((p) => p.UserLicenseId === sf.Id).map((p) => p.Id));
    const active = users.filter((u) => u.IsActive === true && salesforceProfiles.has(u.ProfileId as string)).length;
    assert.equal(sf.UsedLicenses, active);
    for (const l of org.data.table('PermissionSetLicense').rows.values()) assert.ok((l.UsedLicenses as number) <= (l.TotalLicenses as number));
    // Owners are spread across active users.
    const owners = new Set([...org.data.table('Account').rows.values()].map((a) => a.OwnerId));
    assert.ok(owners.size >= 5, `${owners.size} account owners`);
    const byId = new Map(users.map((u) => [u.Id, u]));
    for (const o of owners) assert.equal(byId.get(o as string)?.IsActive, true);
  });

  it('generateData formula and derived fields read fresh values', () => {
    const org = orgAt({ records: 1000 });
    const def = org.schema.get('Opportunity')!;
    const f = (n: string) => def.fields.find((x) => x.name === n)!;
    const won = [...org.data.table('Opportunity').live()].find((o) => o.StageName === 'Closed Won' && typeof o.Amount === 'number')!;
    assert.equal(readValue(f('IsWon'), won), true);
    assert.equal(readValue(f('ExpectedRevenue'), won), won.Amount);
    const kase = org.data.table('Case').live().next().value!;
    assert.match(String(readValue(org.schema.field('Case', 'CaseNumber')!, kase)), /^\d{8}$/);
  });

  it('generateData extraAccounts: 50k lean rows, deterministic', () => {
    const t0 = performance.now();
    const a = new Org(parseEmulatorConfig({ settings: { records: 100, extraAccounts: 50_000 } }));
    const ms = performance.now() - t0;
    a.clock.pin(PIN);
    a.reset();
    const b = orgAt({ records: 100, extraAccounts: 50_000 });
    const rows = [...a.data.table('Account').rows.values()];
    assert.equal(rows.length, 50_010);
    assert.deepEqual(rows.slice(-3), [...b.data.table('Account').rows.values()].slice(-3));
    const last = rows[rows.length - 1]!;
    for (const k of ['Name', 'Industry', 'Type', 'BillingCity', 'BillingCountry', 'AnnualRevenue', 'NumberOfEmployees', 'OwnerId'])
      assert.notEqual(last[k], undefined, k);
    console.log(`extraAccounts 50k: ${Math.round(ms)} ms (org incl. 100 records)`);
    assert.ok(ms < 10_000, `${ms} ms`);
  });

  it('generateData extraAccounts 1M under 15 s (FORCEBRIDGE_SLOW_TESTS=1)', { skip: process.env.FORCEBRIDGE_SLOW_TESTS !== '1' }, () => {
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    // One generation only (orgAt would generate twice: in the constructor and on reset).
    const org = new Org(parseEmulatorConfig({ settings: { records: 3000, extraAccounts: 1_000_000 } }));
    const ms = performance.now() - t0;
    const rss = process.memoryUsage().rss;
    console.log(`extraAccounts 1M: ${Math.round(ms)} ms, RSS ${Math.round(rss / 1e6)} MB (+${Math.round((rss - rss0) / 1e6)} MB)`);
    assert.equal(count(org, 'Account').live + count(org, 'Account').deleted, 1_000_300);
    assert.ok(ms < 15_000, `${ms} ms`);
  });
});
