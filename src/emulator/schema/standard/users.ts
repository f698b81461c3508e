/**
 * User and Profile (plus re-exports of the license and organization objects that used to live
 * here). User and Profile have no IsDeleted in a real org: users are deactivated, never deleted.
 */
import { address, bool, datetime, email, object, phone, picklist, ref, text, textarea, url } from '../define.js';
import type { FieldDef, ObjectDef } from '../types.js';
import { audit, personName, PLAIN_ADDRESS_LABELS, relabel, ro } from './common.js';

export { organization } from './organization.js';
export { permissionSetLicense, userLicense } from './licenses.js';

export const USER_TYPES = ['Standard', 'PowerPartner', 'PowerCustomerSuccess', 'CustomerSuccess', 'Guest', 'CspLitePortal', 'CsnOnly', 'SelfService'] as const;

/** A practical subset of Salesforce's (several hundred) time zone keys. */
export const TIME_ZONES = [
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'GMT',
] as const;
export const LOCALES = ['en_US', 'en_GB', 'en_AU', 'de_DE', 'fr_FR', 'es_ES', 'ja_JP', 'pt_BR'] as const;
export const LANGUAGES = ['en_US', 'en_GB', 'de', 'fr', 'es', 'ja', 'pt_BR'] as const;
export const EMAIL_ENCODINGS = ['UTF-8', 'ISO-8859-1', 'Shift_JIS', 'EUC-JP', 'ISO-2022-JP', 'Big5', 'GB2312', 'ks_c_5601-1987'] as const;

const key = (name: string, label: string, list: readonly string[], def: string): FieldDef =>
  picklist(name, list, { label, nillable: false, restrictedPicklist: true, default: def });

export function user(): ObjectDef {
  const a = audit('User');
  return object({
    name: 'User',
    keyPrefix: '005',
    sharingModel: 'Read',
    flags: { deletable: false, undeletable: false },
    noSystemFields: true,
    fields: [
      a.Id,
      text('Username', 80, { nillable: false, unique: true, idLookup: true }),
      text('LastName', 80, { label: 'Last Name', nillable: false }),
      text('FirstName', 40, { label: 'First Name' }),
      personName(),
      text('CompanyName', 80, { label: 'Company Name' }),
      text('Division', 80),
      text('Department', 80),
      text('Title', 80),
      ...relabel(address(''), PLAIN_ADDRESS_LABELS),
      email('Email', { nillable: false }),
      email('SenderEmail', { label: 'Email Sender Address' }),
      text('SenderName', 80, { label: 'Email Sender Name' }),
      textarea('Signature', 1333, { label: 'Email Signature' }),
      phone('Phone'),
      phone('Fax'),
      phone('MobilePhone', { label: 'Mobile' }),
      text('Alias', 8, { nillable: false }),
      text('CommunityNickname', 40, { label: 'Nickname', nillable: false, unique: true }),
      bool('IsActive', true, { label: 'Active' }),
      key('TimeZoneSidKey', 'Time Zone', TIME_ZONES, 'America/Los_Angeles'),
      key('LocaleSidKey', 'Locale', LOCALES, 'en_US'),
      bool('ReceivesInfoEmails', false, { label: 'Info Emails' }),
      bool('ReceivesAdminInfoEmails', false, { label: 'Admin Info Emails' }),
      key('EmailEncodingKey', 'Email Encoding', EMAIL_ENCODINGS, 'UTF-8'),
      ref('ProfileId', ['Profile'], { label: 'Profile ID', nillable: false, childRelationshipName: 'Users' }),
      picklist('UserType', USER_TYPES, { label: 'User Type', ...ro }),
      key('LanguageLocaleKey', 'Language', LANGUAGES, 'en_US'),
      text('EmployeeNumber', 20, { label: 'Employee Number' }),
      ref('DelegatedApproverId', ['User'], { label: 'Delegated Approver ID', relationshipName: null, childRelationshipName: 'DelegatedUsers' }),
      ref('ManagerId', ['User'], { label: 'Manager ID', relationshipName: 'Manager', childRelationshipName: 'ManagedUsers' }),
      datetime('LastLoginDate', { label: 'Last Login', ...ro }),
      datetime('LastPasswordChangeDate', { label: 'Last Password Change or Reset', ...ro }),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      bool('UserPermissionsMarketingUser', false, { label: 'Marketing User' }),
      bool('UserPermissionsOfflineUser', false, { label: 'Offline User' }),
      bool('UserPermissionsSupportUser', false, { label: 'Service Cloud User' }),
      bool('UserPermissionsKnowledgeUser', false, { label: 'Knowledge User' }),
      bool('ForecastEnabled', false, { label: 'Allow Forecasting' }),
      ref('ContactId', ['Contact'], { label: 'Contact ID', childRelationshipName: 'Users' }),
      ref('AccountId', ['Account'], { label: 'Account ID', ...ro, childRelationshipName: 'Users' }),
      text('Extension', 40),
      bool('IsPortalEnabled', false, { label: 'Is Portal Enabled', ...ro }),
      text('FederationIdentifier', 512, { label: 'SAML Federation ID', idLookup: true }),
      textarea('AboutMe', 1000, { label: 'About Me' }),
      url('FullPhotoUrl', { label: 'Url for full-sized Photo', ...ro, length: 1024 }),
      url('SmallPhotoUrl', { label: 'Photo', ...ro, length: 1024 }),
      picklist('DigestFrequency', ['D', 'W', 'N'], { label: 'Chatter Email Highlights Frequency', nillable: false, default: 'D' }),
      picklist('DefaultGroupNotificationFrequency', ['P', 'D', 'W', 'N'], {
        label: 'Default Notification Frequency when Joining Groups',
        nillable: false,
        default: 'N',
      }),
      datetime('LastViewedDate', { label: 'Last Viewed Date', ...ro }),
      datetime('LastReferencedDate', { label: 'Last Referenced Date', ...ro }),
      bool('IsProfilePhotoActive', false, { label: 'Has Profile Photo', ...ro }),
    ],
  });
}

/** Profile permissions that follow "Modify All Data" in the emulator's profiles. */
const ADMIN_PERMISSIONS: [string, string][] = [
  ['PermissionsManageUsers', 'Manage Users'],
  ['PermissionsCustomizeApplication', 'Customize Application'],
  ['PermissionsAuthorApex', 'Author Apex'],
  ['PermissionsViewSetup', 'View Setup and Configuration'],
  ['PermissionsViewAllUsers', 'View All Users'],
  ['PermissionsManageDataIntegrations', 'Manage Data Integrations'],
  ['PermissionsBulkApiHardDelete', 'Bulk API Hard Delete'],
];

export function profile(): ObjectDef {
  const a = audit('Profile');
  const perm = (name: string, label: string, o: Partial<FieldDef> = {}) => bool(name, false, { label, ...ro, ...o });
  return object({
    name: 'Profile',
    keyPrefix: '00e',
    flags: {
      createable: false,
      updateable: false,
      deletable: false,
      undeletable: false,
      searchable: false,
      feedEnabled: false,
      replicateable: false,
      triggerable: false,
    },
    noSystemFields: true,
    fields: [
      a.Id,
      text('Name', 255, { ...ro, nillable: false, nameField: true }),
      perm('PermissionsEditTask', 'Edit Tasks', { compute: (r) => r.UserType === 'Standard' }),
      perm('PermissionsEditEvent', 'Edit Events', { compute: (r) => r.UserType === 'Standard' }),
      perm('PermissionsModifyAllData', 'Modify All Data'),
      perm('PermissionsRunReports', 'Run Reports', { compute: (r) => r.PermissionsApiEnabled === true }),
      perm('PermissionsViewAllData', 'View All Data'),
      perm('PermissionsApiEnabled', 'API Enabled'),
      perm('PermissionsApiUserOnly', 'Api Only User'),
      ...ADMIN_PERMISSIONS.map(([n, l]) => perm(n, l, { compute: (r) => r.PermissionsModifyAllData === true })),
      ref('UserLicenseId', ['UserLicense'], { ...ro, label: 'User License ID', nillable: false }),
      picklist('UserType', USER_TYPES, { ...ro, label: 'User Type' }),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      text('Description', 255, ro),
      datetime('LastViewedDate', { label: 'Last Viewed Date', ...ro }),
      datetime('LastReferencedDate', { label: 'Last Referenced Date', ...ro }),
    ],
  });
}
