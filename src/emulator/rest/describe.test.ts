import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce from 'jsforce';
import type { RunningEmulator } from '../server.js';
import { api, control, startTestEmulator, tokenFor } from '../test-support/harness.js';

/** Keys of a field in a recorded real describe (wire reference §2.4, `Contact.Id`). */
const FIELD_KEYS = [
  'aggregatable',
  'aiPredictionField',
  'autoNumber',
  'byteLength',
  'calculated',
  'calculatedFormula',
  'cascadeDelete',
  'caseSensitive',
  'compoundFieldName',
  'controllerName',
  'createable',
  'custom',
  'defaultValue',
  'defaultValueFormula',
  'defaultedOnCreate',
  'dependentPicklist',
  'deprecatedAndHidden',
  'digits',
  'displayLocationInDecimal',
  'encrypted',
  'externalId',
  'extraTypeInfo',
  'filterable',
  'filteredLookupInfo',
  'formulaTreatNullNumberAsZero',
  'groupable',
  'highScaleNumber',
  'htmlFormatted',
  'idLookup',
  'inlineHelpText',
  'label',
  'length',
  'mask',
  'maskType',
  'name',
  'nameField',
  'namePointing',
  'nillable',
  'permissionable',
  'picklistValues',
  'polymorphicForeignKey',
  'precision',
  'queryByDistance',
  'referenceTargetField',
  'referenceTo',
  'relationshipName',
  'relationshipOrder',
  'restrictedDelete',
  'restrictedPicklist',
  'scale',
  'searchPrefilterable',
  'soapType',
  'sortable',
  'type',
  'unique',
  'updateable',
  'writeRequiresMasterRead',
];

const GLOBAL_KEYS = [
  'activateable',
  'createable',
  'custom',
  'customSetting',
  'deletable',
  'deprecatedAndHidden',
  'feedEnabled',
  'keyPrefix',
  'label',
  'labelPlural',
  'layoutable',
  'mergeable',
  'mruEnabled',
  'name',
  'queryable',
  'replicateable',
  'retrieveable',
  'searchable',
  'triggerable',
  'undeletable',
  'updateable',
  'urls',
  'deepCloneable',
  'hasSubtypes',
  'idEnabled',
  'isInterface',
  'isSubtype',
];

const DESCRIBE_KEYS = [
  'actionOverrides',
  'childRelationships',
  'compactLayoutable',
  'fields',
  'listviewable',
  'lookupLayoutable',
  'namedLayoutInfos',
  'networkScopeFieldName',
  'recordTypeInfos',
  'searchLayoutable',
  'supportedScopes',
  'sobjectDescribeOption',
  'associateEntityType',
  'associateParentEntity',
  'defaultImplementation',
  'extendedBy',
  'extendsInterfaces',
  'implementedBy',
  'implementsInterfaces',
];

interface Field {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: { value: string; label: string; active: boolean; defaultValue: boolean; validFor: null }[];
  [k: string]: unknown;
}
interface Describe {
  name: string;
  fields: Field[];
  childRelationships: {
    childSObject: string;
    field: string;
    relationshipName: string | null;
    junctionIdListNames: unknown[];
    junctionReferenceTo: unknown[];
  }[];
  recordTypeInfos: { master: boolean; recordTypeId: string; name: string }[];
  urls: Record<string, string>;
  [k: string]: unknown;
}

describe('describe routes', () => {
  let em: RunningEmulator;
  let admin: string;
  let sales: string;
  before(async () => {
    em = await startTestEmulator({ config: { settings: { records: 200 } } });
    admin = tokenFor(em, 'admin');
    sales = tokenFor(em, 'sales');
  });
  after(() => em.close());

  const describeOf = async (object: string, token = admin) => {
    const res = await api<Describe>(em, token, 'GET', `/sobjects/${object}/describe`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  const fieldOf = (d: Describe, name: string) => {
    const f = d.fields.find((x) => x.name === name);
    assert.ok(f, `${d.name}.${name} in describe`);
    return f;
  };

  it('describeGlobal lists every standard object with all flags', async () => {
    const res = await api(em, admin, 'GET', '/sobjects');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json;charset=UTF-8');
    assert.equal(res.json.encoding, 'UTF-8');
    assert.equal(res.json.maxBatchSize, 200);
    const names = res.json.sobjects.map((o: { name: string }) => o.name);
    for (const n of [
      'Account',
      'Contact',
      'Lead',
      'Opportunity',
      'Case',
      'CaseComment',
      'EmailMessage',
      'Task',
      'Event',
      'User',
      'Profile',
      'UserLicense',
      'PermissionSetLicense',
      'Organization',
    ]) {
      assert.ok(names.includes(n), n);
    }
    assert.deepEqual(names, [...names].sort());
    const account = res.json.sobjects.find((o: { name: string }) => o.name === 'Account');
    for (const k of GLOBAL_KEYS) assert.ok(k in account, `describeGlobal key ${k}`);
    assert.equal(account.keyPrefix, '001');
    assert.equal(account.mergeable, true);
    assert.deepEqual(
      { sobject: account.urls.sobject, describe: account.urls.describe, rowTemplate: account.urls.rowTemplate },
      {
        sobject: '/services/data/v66.0/sobjects/Account',
        describe: '/services/data/v66.0/sobjects/Account/describe',
        rowTemplate: '/services/data/v66.0/sobjects/Account/{ID}',
      },
    );
    const license = res.json.sobjects.find((o: { name: string }) => o.name === 'UserLicense');
    assert.equal(license.createable, false);
    assert.equal(license.replicateable, false);
  });

  it('describeGlobal flags follow the user: read-only profile sees no create/update/delete', async () => {
    const viewer = tokenFor(em, 'viewer');
    const res = await api(em, viewer, 'GET', '/sobjects');
    const account = res.json.sobjects.find((o: { name: string }) => o.name === 'Account');
    assert.deepEqual([account.createable, account.updateable, account.deletable, account.queryable], [false, false, false, true]);
    const salesGlobal = await api(em, sales, 'GET', '/sobjects');
    const user = salesGlobal.json.sobjects.find((o: { name: string }) => o.name === 'User');
    assert.equal(user.updateable, false, 'Standard User has read-only access to User');
  });

  it('describe Account has every top-level and field key, picklists and child relationships', async () => {
    const d = await describeOf('account');
    assert.equal(d.name, 'Account');
    for (const k of [...GLOBAL_KEYS, ...DESCRIBE_KEYS]) assert.ok(k in d, `describe key ${k}`);
    assert.equal(d.sobjectDescribeOption, 'FULL');
    for (const f of d.fields) assert.deepEqual(Object.keys(f).sort(), [...FIELD_KEYS].sort(), `keys of ${f.name}`);
    const id = fieldOf(d, 'Id');
    assert.deepEqual([id.type, id.soapType, id.length, id.byteLength, id.idLookup, id.nillable], ['id', 'tns:ID', 18, 18, true, false]);
    const name = fieldOf(d, 'Name');
    assert.deepEqual([name.type, name.length, name.nameField, name.nillable, name.createable], ['string', 255, true, false, true]);
    const industry = fieldOf(d, 'Industry');
    assert.equal(industry.type, 'picklist');
    assert.deepEqual(industry.picklistValues[0], { active: true, defaultValue: false, label: 'Agriculture', validFor: null, value: 'Agriculture' });
    const parent = fieldOf(d, 'ParentId');
    assert.deepEqual([parent.type, parent.referenceTo, parent.relationshipName], ['reference', ['Account'], 'Parent']);
    const billing = fieldOf(d, 'BillingAddress');
    assert.deepEqual([billing.type, billing.createable], ['address', false]);
    assert.equal(fieldOf(d, 'BillingCity').compoundFieldName, 'BillingAddress');
    assert.equal(fieldOf(d, 'IsDeleted').defaultValue, false);
    const contacts = d.childRelationships.find((c) => c.relationshipName === 'Contacts');
    // Deleting an Account deletes its Contacts, so the relationship cascades.
    assert.deepEqual(contacts, {
      cascadeDelete: true,
      childSObject: 'Contact',
      deprecatedAndHidden: false,
      field: 'AccountId',
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: 'Contacts',
      restrictedDelete: false,
    });
    for (const rel of ['Opportunities', 'Cases', 'Tasks', 'Events', 'ChildAccounts', 'Emails']) {
      assert.ok(
        d.childRelationships.some((c) => c.relationshipName === rel),
        rel,
      );
    }
    const master = d.recordTypeInfos.find((r) => r.master);
    assert.deepEqual([master?.name, master?.recordTypeId], ['Master', '012000000000000AAA']);
    assert.equal(d.urls.uiDetailTemplate, `${em.urls.mydomain}/{ID}`);
    assert.equal(d.urls.describe, '/services/data/v66.0/sobjects/Account/describe');
  });

  it('describe Case and EmailMessage: auto number, picklist defaults, Case.EmailMessages', async () => {
    const c = await describeOf('Case');
    const num = fieldOf(c, 'CaseNumber');
    assert.deepEqual([num.autoNumber, num.createable, num.updateable, num.nillable], [true, false, false, false]);
    const status = fieldOf(c, 'Status');
    assert.deepEqual(status.picklistValues.find((v) => v.defaultValue)?.value, 'New');
    assert.equal(fieldOf(c, 'IsClosed').createable, false);
    assert.ok(c.childRelationships.some((r) => r.relationshipName === 'EmailMessages' && r.field === 'ParentId'));
    assert.ok(c.childRelationships.some((r) => r.relationshipName === 'CaseComments' && r.childSObject === 'CaseComment'));
    const e = await describeOf('EmailMessage');
    assert.deepEqual(fieldOf(e, 'ParentId').referenceTo, ['Case']);
    assert.equal(fieldOf(e, 'RelatedToId').polymorphicForeignKey, true);
    assert.equal(fieldOf(e, 'HtmlBody').htmlFormatted, true);
    assert.deepEqual(
      fieldOf(e, 'Status').picklistValues.map((v) => `${v.value}:${v.label}`),
      ['0:New', '1:Read', '2:Replied', '3:Sent', '4:Forwarded', '5:Draft'],
    );
  });

  it('describe Task/Event: polymorphic WhoId/WhatId; Opportunity: stages and formula', async () => {
    const t = await describeOf('Task');
    const who = fieldOf(t, 'WhoId');
    assert.deepEqual([who.referenceTo, who.relationshipName, who.polymorphicForeignKey, who.namePointing], [['Contact', 'Lead'], 'Who', true, true]);
    assert.deepEqual(fieldOf(t, 'WhatId').referenceTo, ['Account', 'Case', 'Opportunity']);
    assert.equal(fieldOf(t, 'Subject').type, 'combobox');
    const ev = await describeOf('Event');
    assert.equal(fieldOf(ev, 'DurationInMinutes').type, 'int');
    const o = await describeOf('Opportunity');
    const stage = fieldOf(o, 'StageName');
    assert.equal(stage.restrictedPicklist, true);
    assert.deepEqual(stage.picklistValues.map((v) => v.value).slice(-2), ['Closed Won', 'Closed Lost']);
    const er = fieldOf(o, 'ExpectedRevenue');
    assert.deepEqual([er.type, er.calculated, er.calculatedFormula, er.createable], ['currency', true, 'Amount * Probability / 100', false]);
    const cn = await describeOf('Contact');
    const name = fieldOf(cn, 'Name');
    assert.deepEqual([name.calculated, name.createable], [false, false]);
  });

  it('describe User, licenses and Organization: license fields and no IsDeleted', async () => {
    const u = await describeOf('User');
    for (const f of ['Email', 'IsActive', 'UserType', 'ProfileId', 'LastLoginDate', 'FederationIdentifier']) fieldOf(u, f);
    assert.ok(!u.fields.some((f) => f.name === 'IsDeleted'));
    assert.equal(fieldOf(u, 'LastLoginDate').createable, false);
    const ul = await describeOf('UserLicense');
    for (const f of ['TotalLicenses', 'UsedLicenses', 'Status', 'LicenseDefinitionKey']) assert.equal(fieldOf(ul, f).updateable, false);
    const psl = await describeOf('PermissionSetLicense');
    fieldOf(psl, 'UsedLicenses');
    const org = await describeOf('Organization');
    assert.equal(fieldOf(org, 'OrganizationType').type, 'picklist');
  });

  it('describe FLS: AnnualRevenue hidden from the sales user, visible to admin; read-only Rating', async () => {
    const asSales = await describeOf('Account', sales);
    assert.ok(!asSales.fields.some((f) => f.name === 'AnnualRevenue'));
    const rating = fieldOf(asSales, 'Rating');
    assert.deepEqual([rating.createable, rating.updateable], [false, false]);
    assert.equal(fieldOf(asSales, 'Name').createable, true);
    const asAdmin = await describeOf('Account');
    assert.equal(fieldOf(asAdmin, 'AnnualRevenue').type, 'currency');
    assert.equal(fieldOf(asAdmin, 'Rating').updateable, true);
    const opp = await describeOf('Opportunity', sales);
    assert.ok(!opp.fields.some((f) => f.name === 'ExpectedRevenue'));
  });

  it('describe unknown or unreadable object → 404 NOT_FOUND', async () => {
    const res = await api(em, admin, 'GET', '/sobjects/Nope__c/describe');
    assert.equal(res.status, 404);
    assert.deepEqual(res.json, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    // "Minimum Access - Salesforce" reads only Account and User.
    const [u] = [...em.org.users.values()].filter((x) => x.config.username.startsWith('sales@'));
    assert.ok(u);
    const minimal = em.org.profile('Minimum Access - Salesforce');
    const saved = u.profile;
    u.profile = minimal;
    try {
      const lead = await api(em, sales, 'GET', '/sobjects/Lead/describe');
      assert.equal(lead.status, 404);
      assert.equal(lead.json[0].errorCode, 'NOT_FOUND');
      const global = await api(em, sales, 'GET', '/sobjects');
      assert.deepEqual(
        global.json.sobjects.map((o: { name: string }) => o.name),
        ['Account', 'User'],
      );
      const acct = await api<Describe>(em, sales, 'GET', '/sobjects/Account/describe');
      assert.ok(!acct.json.childRelationships.some((c) => c.childSObject === 'Contact'), 'children the user cannot read are left out');
    } finally {
      u.profile = saved;
    }
  });

  it('describe If-Modified-Since → 304 with an empty body; newer metadata → 200', async () => {
    const future = new Date(em.org.schema.lastModified + 60_000).toUTCString();
    const global = await api(em, admin, 'GET', '/sobjects', undefined, { 'If-Modified-Since': future });
    assert.equal(global.status, 304);
    assert.equal(global.text, '');
    const one = await api(em, admin, 'GET', '/sobjects/Account/describe', undefined, { 'If-Modified-Since': future });
    assert.equal(one.status, 304);
    assert.equal(one.text, '');
    const past = new Date(em.org.schema.lastModified - 3_600_000).toUTCString();
    const changed = await api(em, admin, 'GET', '/sobjects/Account/describe', undefined, { 'If-Modified-Since': past });
    assert.equal(changed.status, 200);
  });

  it('describe schema drift: a field added at run time shows without restart and defeats If-Modified-Since', async () => {
    const before = new Date(em.org.clock.now()).toUTCString();
    await control(em, 'POST', 'clock', { advanceMs: 5000 });
    await control(em, 'POST', 'schema/Account/fields', { name: 'Tier__c', type: 'string' });
    const res = await api<Describe>(em, admin, 'GET', '/sobjects/Account/describe', undefined, { 'If-Modified-Since': before });
    assert.equal(res.status, 200);
    const tier = fieldOf(res.json, 'Tier__c');
    assert.deepEqual([tier.type, tier.custom, tier.createable, tier.length], ['string', true, true, 255]);
  });

  it('sObject basic info returns objectDescribe and recentItems', async () => {
    const res = await api(em, admin, 'GET', '/sobjects/Contact');
    assert.equal(res.status, 200);
    assert.equal(res.json.objectDescribe.name, 'Contact');
    assert.equal(res.json.objectDescribe.keyPrefix, '003');
    assert.deepEqual(res.json.recentItems, []);
    assert.ok(res.headers.get('sforce-limit-info')?.startsWith('api-usage='));
  });

  it('describe through unmodified jsforce: describeGlobal, describe and sobject().describe()', async () => {
    const conn = new jsforce.Connection({ instanceUrl: em.urls.mydomain, accessToken: admin, version: '66.0' });
    const global = await conn.describeGlobal();
    assert.ok(global.sobjects.some((o) => o.name === 'EmailMessage'));
    const account = await conn.describe('Account');
    assert.equal(account.keyPrefix, '001');
    assert.ok(account.fields.some((f) => f.name === 'AnnualRevenue'));
    const kase = await conn.sobject('Case').describe();
    assert.ok(kase.childRelationships.some((c) => c.relationshipName === 'EmailMessages'));
  });
});
