import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForcebridgeError } from '../errors.js';
import { BUILTIN_CATALOG, catalogFor } from './catalog.js';

describe('catalogFor', () => {
  it('returns the built-ins by default, users and licenses included', () => {
    const names = catalogFor(undefined).map((e) => e.object);
    for (const n of ['Case', 'EmailMessage', 'Account', 'Contact', 'Opportunity', 'Task', 'Event', 'User', 'UserLicense', 'PermissionSetLicense'])
      assert.ok(names.includes(n), n);
    assert.equal(BUILTIN_CATALOG.find((e) => e.object === 'UserLicense')!.mode, 'full');
  });

  it('finds built-ins case-insensitively and accepts any other object by name', () => {
    const [acc, inv] = catalogFor(['account', 'Invoice__c']);
    assert.equal(acc!.object, 'Account');
    assert.deepEqual([inv!.object, inv!.mode, inv!.cursorField, inv!.fields], ['Invoice__c', 'incremental', 'SystemModstamp', '*']);
  });

  it('names the bad field of an override', () => {
    assert.throws(
      () => catalogFor(undefined, [{ object: 'Account', scheduleMinutes: 0 }]),
      (e: unknown) => e instanceof ForcebridgeError && e.field === 'catalog[0].scheduleMinutes',
    );
    assert.throws(
      () => catalogFor(['Bad Name']),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'catalog.invalid',
    );
  });

  it('applies overrides over built-ins', () => {
    const [acc] = catalogFor(['Account'], [{ object: 'Account', where: "Type = 'Customer'" }]);
    assert.equal(acc!.where, "Type = 'Customer'");
  });
});
