import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { SchemaRegistry } from '../registry.js';
import type { ObjectDef, StoredRecord } from '../types.js';
import { readValue } from '../../rest/record-json.js';
import { standardObjects } from './index.js';

/** Fields per object from jsforce's org-generated schema: name → nillable. */
function jsforceFields(): Map<string, Map<string, boolean>> {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('jsforce/package.json'));
  const src = readFileSync(join(dir, 'lib/types/standard-schema.d.ts'), 'utf8');
  const out = new Map<string, Map<string, boolean>>();
  for (const m of src.matchAll(/^type Fields\$(\w+) = \{\n([\s\S]*?)^\};/gm)) {
    const fields = new Map<string, boolean>();
    for (const line of m[2]!.split('\n')) {
      const f = /^\s+(\w+): (.*);$/.exec(line);
      if (f) fields.set(f[1]!, f[2]!.includes('null'));
    }
    out.set(m[1]!, fields);
  }
  return out;
}

/** Fields real orgs have that the org behind jsforce's file hid from its API user (FLS). */
const EXTRA_FIELDS: Record<string, string[]> = {
  Account: ['AccountNumber', 'Sic', 'Ownership', 'TickerSymbol', 'Rating', 'Site'],
  Lead: ['MobilePhone', 'Fax', 'HasOptedOutOfEmail'],
  Opportunity: ['ExpectedRevenue', 'TotalOpportunityQuantity'],
  Task: ['CompletedDateTime'],
};

const def = (name: string): ObjectDef => standardObjects().find((o) => o.name === name)!;
const value = (o: ObjectDef, field: string, rec: StoredRecord) =>
  readValue(
    o.fields.find((f) => f.name === field)!,
    rec,
  );

describe('standardObjects', () => {
  it('standardObjects key prefixes match Salesforce', () => {
    const prefixes = Object.fromEntries(standardObjects().map((o) => [o.name, o.keyPrefix]));
    assert.deepEqual(prefixes, {
      Account: '001',
      Case: '500',
      CaseComment: '00a',
      Contact: '003',
      EmailMessage: '02s',
      Event: '00U',
      Lead: '00Q',
      Opportunity: '006',
      Organization: '00D',
      PermissionSetLicense: '0PL',
      Profile: '00e',
      Task: '00T',
      User: '005',
      UserLicense: '100',
    });
  });

  it('standardObjects field names and nillability agree with the org-generated jsforce schema', () => {
    const real = jsforceFields();
    for (const o of standardObjects()) {
      const known = real.get(o.name);
      assert.ok(known, `jsforce schema has ${o.name}`);
      for (const f of o.fields) {
        if (EXTRA_FIELDS[o.name]?.includes(f.name)) continue;
        assert.ok(known.has(f.name), `${o.name}.${f.name} is not a field of a real org`);
        assert.equal(f.nillable, known.get(f.name), `${o.name}.${f.name} nillable`);
      }
    }
  });

  it('standardObjects sharing models and replicateable flags', () => {
    const all = Object.fromEntries(standardObjects().map((o) => [o.name, o]));
    assert.equal(all.Account!.sharingModel, 'ReadWrite');
    assert.equal(all.Opportunity!.sharingModel, 'Private');
    assert.equal(all.Case!.sharingModel, 'Private');
    assert.equal(all.Lead!.sharingModel, 'ReadWrite');
    assert.equal(all.Contact!.sharingModel, 'ControlledByParent');
    assert.equal(all.EmailMessage!.sharingParentField, 'ParentId');
    for (const n of ['UserLicense', 'PermissionSetLicense', 'Organization', 'Profile']) assert.equal(all[n]!.replicateable, false, n);
    assert.equal(all.Account!.replicateable, true);
  });

  it('standardObjects child relationships resolve through the registry', () => {
    const reg = new SchemaRegistry(standardObjects());
    assert.equal(reg.childRelationship('Account', 'Contacts')?.field, 'AccountId');
    assert.equal(reg.childRelationship('Case', 'EmailMessages')?.childSObject, 'EmailMessage');
    assert.equal(reg.childRelationship('Case', 'CaseComments')?.cascadeDelete, true);
    assert.equal(reg.childRelationship('Opportunity', 'Tasks')?.field, 'WhatId');
    assert.equal(reg.childRelationship('Contact', 'Tasks')?.field, 'WhoId');
    assert.equal(reg.childRelationship('Lead', 'Events')?.field, 'WhoId');
    assert.deepEqual(reg.field('Task', 'WhatId')?.referenceTo, ['Account', 'Case', 'Opportunity']);
    assert.equal(reg.field('Task', 'WhoId')?.polymorphicForeignKey, true);
  });

  it('Opportunity derived fields follow StageName, Amount and Probability', () => {
    const o = def('Opportunity');
    const rec: StoredRecord = { StageName: 'Proposal/Price Quote', Amount: 10000, CloseDate: '2025-05-20' };
    assert.equal(value(o, 'Probability', rec), 75);
    assert.equal(value(o, 'ExpectedRevenue', rec), 7500);
    assert.equal(value(o, 'IsClosed', rec), false);
    assert.equal(value(o, 'ForecastCategory', rec), 'Pipeline');
    assert.equal(value(o, 'FiscalQuarter', rec), 2);
    assert.equal(value(o, 'Fiscal', rec), '2025 2');
    rec.StageName = 'Closed Won';
    assert.equal(value(o, 'IsWon', rec), true);
    assert.equal(value(o, 'ExpectedRevenue', rec), 10000);
    assert.equal(value(o, 'ForecastCategoryName', rec), 'Closed');
    rec.Probability = 40;
    assert.equal(value(o, 'ExpectedRevenue', rec), 4000);
    const expected = o.fields.find((f) => f.name === 'ExpectedRevenue')!;
    assert.equal(expected.calculated, true);
    assert.equal(expected.createable, false);
    assert.equal(o.fields.find((f) => f.name === 'StageName')!.restrictedPicklist, true);
  });

  it('Contact Name is derived and not calculated', () => {
    const c = def('Contact');
    const name = c.fields.find((f) => f.name === 'Name')!;
    assert.equal(name.calculated, false);
    assert.equal(value(c, 'Name', { FirstName: 'Ada', LastName: 'Lovelace' }), 'Ada Lovelace');
    assert.equal(value(c, 'Name', { LastName: 'Lovelace' }), 'Lovelace');
  });

  it('Case CaseNumber is an auto number from the id; IsClosed follows Status', () => {
    const c = def('Case');
    const cn = c.fields.find((f) => f.name === 'CaseNumber')!;
    assert.equal(cn.autoNumber, true);
    assert.equal(cn.createable, false);
    assert.equal(value(c, 'CaseNumber', { Id: '500Dn000000000AIAA' }), '00000010');
    assert.equal(value(c, 'IsClosed', { Status: 'Closed' }), true);
    assert.equal(value(c, 'IsClosed', { Status: 'Working' }), false);
  });
});
