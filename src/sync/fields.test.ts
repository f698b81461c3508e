import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectList, syncFields } from './fields.js';

describe('sync fields', () => {
  it('names compound components as Salesforce REST does: prefixed, un-prefixed (Lead) and geolocation', () => {
    const fields = syncFields([
      { name: 'Id', type: 'id' },
      { name: 'BillingStreet', type: 'textarea', compoundFieldName: 'BillingAddress' },
      { name: 'BillingStateCode', type: 'picklist', compoundFieldName: 'BillingAddress' },
      { name: 'BillingState', type: 'string', compoundFieldName: 'BillingAddress' },
      { name: 'BillingAddress', type: 'address' },
      { name: 'Street', type: 'textarea', compoundFieldName: 'Address' },
      { name: 'City', type: 'string', compoundFieldName: 'Address' },
      { name: 'Address', type: 'address' },
      { name: 'Loc__Latitude__s', type: 'double', compoundFieldName: 'Loc__c' },
      { name: 'Loc__Longitude__s', type: 'double', compoundFieldName: 'Loc__c' },
      { name: 'Loc__c', type: 'location' },
      { name: 'Logo__c', type: 'base64' },
    ]);
    const byName = new Map(fields.map((f) => [f.field, f]));
    assert.deepEqual(byName.get('BillingAddress')!.components, { street: 'BillingStreet', stateCode: 'BillingStateCode', state: 'BillingState' });
    assert.deepEqual(byName.get('Address')!.components, { street: 'Street', city: 'City' });
    assert.deepEqual(byName.get('Loc__c')!.components, { latitude: 'Loc__Latitude__s', longitude: 'Loc__Longitude__s' });
    assert.ok(!byName.has('Logo__c'), 'binary fields are not synced');
    assert.ok(!selectList(fields).includes('Address'), 'compound fields are not selected');
  });
});
