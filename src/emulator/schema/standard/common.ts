/**
 * Pieces shared by the standard object files: the audit fields placed where Salesforce lists
 * them, derived-name formulas, the auto-number reader and picklist value lists used by several
 * objects (lead source, salutation).
 */
import { field, systemFields } from '../define.js';
import type { FieldDef, StoredRecord, StoredValue } from '../types.js';

export type AuditName = 'Id' | 'IsDeleted' | 'CreatedById' | 'CreatedDate' | 'LastModifiedById' | 'LastModifiedDate' | 'SystemModstamp';

/**
 * The standard system fields of an object by name, so each object file can place them in the
 * order the real describe lists them (Salesforce interleaves them with business fields).
 */
export function audit(objectLabel: string): Record<AuditName, FieldDef> {
  const all = systemFields(objectLabel);
  const byName = Object.fromEntries(all.map((f) => [f.name, f]));
  return byName as Record<AuditName, FieldDef>;
}

/** Read-only options for system-maintained fields. */
export const ro = { createable: false, updateable: false } as const;

/**
 * `Name` of person objects (Contact, Lead, User): Salesforce derives it from FirstName and
 * LastName and describes it as a plain (not calculated) read-only string. Deriving on read keeps
 * it right after updates to either part.
 */
export function personName(label = 'Full Name'): FieldDef {
  return field('Name', 'string', {
    label,
    length: 121,
    nameField: true,
    ...ro,
    nillable: false,
    compute: (r: StoredRecord): StoredValue => {
      const parts = [r.FirstName, r.LastName].filter((p) => typeof p === 'string' && p !== '');
      return parts.length ? parts.join(' ') : null;
    },
  });
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The per-prefix counter encoded in an emulator id (see ids.ts `IdFactory.make`). */
export function idCounter(id: string): number {
  let n = 0;
  for (let i = 6; i < 15; i++) n = n * 62 + BASE62.indexOf(id[i] ?? '0');
  return n;
}

/**
 * An auto-number field (`CaseNumber`): Salesforce assigns the next number on insert. The
 * emulator derives it from the record id's counter, which is sequential per object, so records
 * created through any path (REST, collections, generator) get one without extra bookkeeping.
 */
export function autoNumber(name: string, label: string, digits = 8): FieldDef {
  return field(name, 'string', {
    label,
    length: 30,
    autoNumber: true,
    ...ro,
    nillable: false,
    defaultedOnCreate: true,
    idLookup: true,
    compute: (r: StoredRecord): StoredValue => {
      const stored = r[name];
      if (typeof stored === 'string') return stored;
      return typeof r.Id === 'string' ? String(idCounter(r.Id)).padStart(digits, '0') : null;
    },
  });
}

/** Lead and opportunity sources of a new org. */
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] as const;

export const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'] as const;

/** Component labels for the un-prefixed address of Lead, User and Organization. */
export function relabel(fields: FieldDef[], labels: Record<string, string>): FieldDef[] {
  return fields.map((f) => (labels[f.name] ? { ...f, label: labels[f.name]! } : f));
}

export const PLAIN_ADDRESS_LABELS: Record<string, string> = {
  Street: 'Street',
  City: 'City',
  State: 'State/Province',
  PostalCode: 'Zip/Postal Code',
  Country: 'Country',
  Latitude: 'Latitude',
  Longitude: 'Longitude',
  GeocodeAccuracy: 'Geocode Accuracy',
  Address: 'Address',
};
