/**
 * Profiles as data: object permissions (CRED + view/modify all), field-level security and
 * system permissions. Users reference a profile by name. Anything a profile does not list falls
 * back to its `defaultObjectAccess`, and fields not listed in `fields` are editable (when the
 * field itself is updateable) — as with a freshly created custom field granted to the profile.
 */
export interface ObjectPerms {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

/** Field-level security override for one field: `hidden` (no read) or `readonly`. */
export type FieldPerm = 'hidden' | 'readonly';

export interface ProfileDef {
  name: string;
  userLicense: string;
  userType: 'Standard' | 'PowerPartner' | 'CsnOnly';
  apiEnabled: boolean;
  viewAllData: boolean;
  modifyAllData: boolean;
  defaultObjectAccess: ObjectPerms;
  /** Per-object overrides by object API name. */
  objects: Record<string, Partial<ObjectPerms>>;
  /** Field overrides keyed `Object.Field`. */
  fields: Record<string, FieldPerm>;
}

export const FULL: ObjectPerms = { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };
export const CRED: ObjectPerms = { read: true, create: true, edit: true, delete: true, viewAll: false, modifyAll: false };
export const READ_ONLY: ObjectPerms = { read: true, create: false, edit: false, delete: false, viewAll: false, modifyAll: false };
export const NONE: ObjectPerms = { read: false, create: false, edit: false, delete: false, viewAll: false, modifyAll: false };

/** The demo org's profiles. */
export const DEFAULT_PROFILES: ProfileDef[] = [
  {
    name: 'System Administrator',
    userLicense: 'Salesforce',
    userType: 'Standard',
    apiEnabled: true,
    viewAllData: true,
    modifyAllData: true,
    defaultObjectAccess: FULL,
    objects: {},
    fields: {},
  },
  {
    name: 'Standard User',
    userLicense: 'Salesforce',
    userType: 'Standard',
    apiEnabled: true,
    viewAllData: false,
    modifyAllData: false,
    defaultObjectAccess: CRED,
    objects: {
      User: READ_ONLY,
      Profile: READ_ONLY,
      UserLicense: READ_ONLY,
      PermissionSetLicense: READ_ONLY,
      Organization: READ_ONLY,
    },
    fields: {
      'Account.AnnualRevenue': 'hidden',
      'Opportunity.ExpectedRevenue': 'hidden',
      'Account.Rating': 'readonly',
    },
  },
  {
    name: 'Read Only',
    userLicense: 'Salesforce',
    userType: 'Standard',
    apiEnabled: true,
    viewAllData: false,
    modifyAllData: false,
    defaultObjectAccess: READ_ONLY,
    objects: {},
    fields: { 'Account.AnnualRevenue': 'hidden' },
  },
  {
    name: 'Minimum Access - Salesforce',
    userLicense: 'Salesforce',
    userType: 'Standard',
    apiEnabled: true,
    viewAllData: false,
    modifyAllData: false,
    defaultObjectAccess: NONE,
    objects: { Account: READ_ONLY, User: READ_ONLY },
    fields: {},
  },
  {
    name: 'No API Access',
    userLicense: 'Salesforce',
    userType: 'Standard',
    apiEnabled: false,
    viewAllData: false,
    modifyAllData: false,
    defaultObjectAccess: CRED,
    objects: {},
    fields: {},
  },
];
