import { bool, datetime, email, field, int, object, picklist, ref, system, text } from '../define.js';
import type { ObjectDef } from '../types.js';

const ro = { createable: false, updateable: false };

export function organization(): ObjectDef {
  return object({
    name: 'Organization',
    keyPrefix: '00D',
    flags: {
      createable: false,
      updateable: false,
      deletable: false,
      undeletable: false,
      searchable: false,
      replicateable: false,
      feedEnabled: false,
      mruEnabled: false,
    },
    fields: [
      text('Name', 80, { ...ro, nillable: false, nameField: true }),
      text('Division', 80, ro),
      text('Country', 80, ro),
      picklist('OrganizationType', ['Developer Edition', 'Enterprise Edition', 'Unlimited Edition', 'Professional Edition'], ro),
      bool('IsSandbox', false, ro),
      text('InstanceName', 5, ro),
      text('DefaultLocaleSidKey', 40, ro),
      text('TimeZoneSidKey', 40, ro),
    ],
  });
}

export function profile(): ObjectDef {
  return object({
    name: 'Profile',
    keyPrefix: '00e',
    flags: { createable: false, updateable: false, deletable: false, undeletable: false, searchable: false, feedEnabled: false },
    fields: [
      text('Name', 255, { ...ro, nillable: false, nameField: true }),
      ref('UserLicenseId', ['UserLicense'], { ...ro, label: 'User License ID' }),
      picklist('UserType', ['Standard', 'PowerPartner', 'CsnOnly'], ro),
      text('Description', 255, ro),
      bool('PermissionsApiEnabled', false, ro),
      bool('PermissionsViewAllData', false, ro),
      bool('PermissionsModifyAllData', false, ro),
    ],
  });
}

export function user(): ObjectDef {
  return object({
    name: 'User',
    keyPrefix: '005',
    sharingModel: 'Read',
    flags: { deletable: false, undeletable: false },
    fields: [
      text('Username', 80, { nillable: false, unique: true, idLookup: true }),
      text('LastName', 80, { label: 'Last Name', nillable: false }),
      text('FirstName', 40, { label: 'First Name' }),
      text('Name', 121, { label: 'Full Name', nameField: true, ...ro }),
      text('Alias', 8, { nillable: false }),
      email('Email', { nillable: false }),
      text('CommunityNickname', 40, { label: 'Nickname', nillable: false }),
      text('Title', 80),
      text('Department', 80),
      text('CompanyName', 80, { label: 'Company Name' }),
      bool('IsActive', true, { label: 'Active' }),
      ref('ProfileId', ['Profile'], { label: 'Profile ID', nillable: false }),
      ref('ManagerId', ['User'], { label: 'Manager ID', relationshipName: 'Manager' }),
      picklist('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'AutomatedProcess'], ro),
      text('TimeZoneSidKey', 40, { label: 'Time Zone', nillable: false, defaultedOnCreate: true, defaultValue: 'America/Los_Angeles' }),
      text('LocaleSidKey', 40, { label: 'Locale', nillable: false, defaultedOnCreate: true, defaultValue: 'en_US' }),
      text('LanguageLocaleKey', 40, { label: 'Language', nillable: false, defaultedOnCreate: true, defaultValue: 'en_US' }),
      text('EmailEncodingKey', 40, { label: 'Email Encoding', nillable: false, defaultedOnCreate: true, defaultValue: 'UTF-8' }),
      system(datetime('LastLoginDate', { label: 'Last Login' })),
    ],
  });
}

export function userLicense(): ObjectDef {
  return object({
    name: 'UserLicense',
    keyPrefix: '100',
    flags: { createable: false, updateable: false, deletable: false, undeletable: false, searchable: false, feedEnabled: false, mruEnabled: false },
    fields: [
      text('LicenseDefinitionKey', 40, ro),
      text('Name', 40, { ...ro, nameField: true, nillable: false }),
      int('TotalLicenses', ro),
      int('UsedLicenses', ro),
      picklist('Status', ['Active', 'Disabled'], ro),
      field('MasterLabel', 'string', { ...ro, length: 40 }),
    ],
  });
}

export function permissionSetLicense(): ObjectDef {
  return object({
    name: 'PermissionSetLicense',
    keyPrefix: '0PL',
    flags: { createable: false, updateable: false, deletable: false, undeletable: false, searchable: false, feedEnabled: false, mruEnabled: false },
    fields: [
      text('DeveloperName', 80, { ...ro, nillable: false }),
      text('MasterLabel', 80, { ...ro, nameField: true, nillable: false }),
      text('PermissionSetLicenseKey', 255, ro),
      int('TotalLicenses', ro),
      int('UsedLicenses', ro),
      picklist('Status', ['Active', 'Disabled'], ro),
      datetime('ExpirationDate', ro),
    ],
  });
}
