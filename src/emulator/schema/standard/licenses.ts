/**
 * UserLicense and PermissionSetLicense: read-only setup objects with total/used counts, which
 * SaaS-management tools read. Neither is replicateable (no getUpdated/getDeleted). UserLicense
 * has no IsDeleted nor CreatedById/LastModifiedById in a real org.
 */
import { date, datetime, int, object, picklist, text } from '../define.js';
import type { ObjectDef, ObjectFlags } from '../types.js';
import { audit, ro } from './common.js';

const SETUP_FLAGS: Partial<ObjectFlags> = {
  createable: false,
  updateable: false,
  deletable: false,
  undeletable: false,
  searchable: false,
  feedEnabled: false,
  mruEnabled: false,
  layoutable: false,
  triggerable: false,
  replicateable: false,
};

export const LICENSE_STATUSES = ['Active', 'Disabled'] as const;

export function userLicense(): ObjectDef {
  const a = audit('User License');
  return object({
    name: 'UserLicense',
    label: 'User License',
    keyPrefix: '100',
    flags: SETUP_FLAGS,
    noSystemFields: true,
    fields: [
      a.Id,
      text('LicenseDefinitionKey', 40, { ...ro, label: 'License Definition Key', nillable: false }),
      int('TotalLicenses', { ...ro, label: 'Total Licenses', nillable: false }),
      picklist('Status', LICENSE_STATUSES, { ...ro, nillable: false }),
      int('UsedLicenses', { ...ro, label: 'Used Licenses', nillable: false }),
      datetime('UsedLicensesLastUpdated', {
        ...ro,
        label: 'Used Licenses Last Updated',
        nillable: false,
        // Salesforce recounts on a schedule; the emulator recounts on every user change.
        compute: (r) => r.UsedLicensesLastUpdated ?? r.SystemModstamp ?? null,
      }),
      text('Name', 40, { ...ro, nameField: true, nillable: false }),
      text('MasterLabel', 40, { ...ro, label: 'Master Label', nillable: false }),
      int('MonthlyLoginsUsed', { ...ro, label: 'Monthly Logins Used' }),
      int('MonthlyLoginsEntitlement', { ...ro, label: 'Monthly Logins Entitlement' }),
      a.CreatedDate,
      a.LastModifiedDate,
      a.SystemModstamp,
    ],
  });
}

export function permissionSetLicense(): ObjectDef {
  const a = audit('Permission Set License');
  return object({
    name: 'PermissionSetLicense',
    label: 'Permission Set License',
    keyPrefix: '0PL',
    flags: SETUP_FLAGS,
    noSystemFields: true,
    fields: [
      a.Id,
      a.IsDeleted,
      text('DeveloperName', 80, { ...ro, label: 'Permission Set License Name', nillable: false }),
      picklist('Language', ['en_US', 'de', 'fr', 'es', 'ja'], { ...ro, label: 'Master Language', nillable: false, default: 'en_US' }),
      text('MasterLabel', 80, { ...ro, label: 'Label', nameField: true, nillable: false }),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      text('PermissionSetLicenseKey', 255, { ...ro, label: 'Permission Set License Key', nillable: false }),
      int('TotalLicenses', { ...ro, label: 'Total Licenses', nillable: false }),
      picklist('Status', LICENSE_STATUSES, { ...ro, nillable: false }),
      date('ExpirationDate', { ...ro, label: 'Expiration Date' }),
      int('UsedLicenses', { ...ro, label: 'Used Licenses', nillable: false }),
    ],
  });
}
