/**
 * Small builders that turn compact schema data into full FieldDef / ObjectDef values with
 * Salesforce's defaults, so the object files read as data: `text('Name', 255, { nameField: true })`.
 */
import type { FieldDef, FieldType, ObjectDef, ObjectFlags, PicklistValue, SharingModel } from './types.js';

export type FieldOpts = Partial<Omit<FieldDef, 'name' | 'type'>>;

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  boolean: 'xsd:boolean',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  reference: 'tns:ID',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  long: 'xsd:long',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  encryptedstring: 'xsd:string',
  base64: 'xsd:base64Binary',
  address: 'urn:address',
  location: 'urn:location',
  anyType: 'xsd:anyType',
};

function humanize(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/Id$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

/** Any field, with Salesforce's describe defaults for its type. */
export function field(name: string, type: FieldType, opts: FieldOpts = {}): FieldDef {
  const textual = ['string', 'textarea', 'picklist', 'multipicklist', 'combobox', 'email', 'phone', 'url', 'encryptedstring'].includes(type);
  const numeric = ['currency', 'double', 'percent', 'int', 'long'].includes(type);
  const big = type === 'textarea' && (opts.length ?? 255) > 255;
  const compound = type === 'address' || type === 'location';
  const calculated = opts.calculated ?? false;
  const base: FieldDef = {
    name,
    label: humanize(name),
    type,
    length: textual ? 255 : type === 'id' || type === 'reference' ? 18 : 0,
    precision: 0,
    scale: 0,
    digits: type === 'int' ? 9 : type === 'long' ? 18 : 0,
    nillable: true,
    createable: !calculated && !compound,
    updateable: !calculated && !compound,
    defaultedOnCreate: false,
    defaultValue: null,
    unique: false,
    externalId: false,
    idLookup: false,
    nameField: false,
    calculated,
    calculatedFormula: null,
    autoNumber: false,
    custom: name.endsWith('__c'),
    filterable: !big && !compound && type !== 'base64',
    sortable: !big && !compound && type !== 'multipicklist' && type !== 'base64',
    groupable: !big && !compound && !numeric && type !== 'multipicklist' && type !== 'datetime' && type !== 'base64',
    aggregatable: !big && !compound && type !== 'multipicklist' && type !== 'boolean',
    caseSensitive: false,
    htmlFormatted: false,
    referenceTo: [],
    relationshipName: null,
    childRelationshipName: null,
    cascadeDelete: false,
    restrictedDelete: false,
    polymorphicForeignKey: false,
    picklistValues: [],
    restrictedPicklist: false,
    dependentPicklist: false,
    controllerName: null,
    compoundFieldName: null,
    inlineHelpText: null,
    soapType: SOAP_TYPES[type],
    extraTypeInfo: null,
  };
  if (numeric && type !== 'int' && type !== 'long') {
    base.precision = 18;
    base.scale = type === 'currency' ? 2 : 0;
  }
  return { ...base, ...opts };
}

export const text = (name: string, length = 255, o: FieldOpts = {}) => field(name, 'string', { length, ...o });
export const textarea = (name: string, length = 32000, o: FieldOpts = {}) =>
  field(name, 'textarea', { length, extraTypeInfo: length > 255 ? 'plaintextarea' : null, ...o });
export const email = (name: string, o: FieldOpts = {}) => field(name, 'email', { length: 80, ...o });
export const phone = (name: string, o: FieldOpts = {}) => field(name, 'phone', { length: 40, ...o });
export const url = (name: string, o: FieldOpts = {}) => field(name, 'url', { length: 255, ...o });
export const bool = (name: string, def = false, o: FieldOpts = {}) =>
  field(name, 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: def, ...o });
export const int = (name: string, o: FieldOpts = {}) => field(name, 'int', o);
export const double = (name: string, precision = 18, scale = 0, o: FieldOpts = {}) => field(name, 'double', { precision, scale, ...o });
export const currency = (name: string, precision = 18, scale = 2, o: FieldOpts = {}) => field(name, 'currency', { precision, scale, ...o });
export const percent = (name: string, precision = 3, scale = 0, o: FieldOpts = {}) => field(name, 'percent', { precision, scale, ...o });
export const date = (name: string, o: FieldOpts = {}) => field(name, 'date', o);
export const datetime = (name: string, o: FieldOpts = {}) => field(name, 'datetime', o);

/** Picklist values from plain strings; the first value marked `default` when `defaultFirst`. */
export function values(list: readonly string[], defaultValue?: string): PicklistValue[] {
  return list.map((v) => ({ value: v, label: v, active: true, defaultValue: v === defaultValue }));
}

export const picklist = (name: string, list: readonly string[], o: FieldOpts & { default?: string } = {}) => {
  const { default: def, ...rest } = o;
  return field(name, 'picklist', {
    picklistValues: values(list, def),
    ...(def !== undefined ? { defaultedOnCreate: true, defaultValue: def } : {}),
    length: 255,
    ...rest,
  });
};
export const multipicklist = (name: string, list: readonly string[], o: FieldOpts = {}) =>
  field(name, 'multipicklist', { picklistValues: values(list), length: 4099, ...o });

/**
 * A lookup. `relationshipName` defaults to the field name without `Id` (or `__c` → `__r`);
 * `childRelationshipName` names the parent's child relationship (e.g. Contact.AccountId → "Contacts").
 */
export function ref(name: string, referenceTo: string[], o: FieldOpts = {}): FieldDef {
  const relationshipName = name.endsWith('__c') ? name.replace(/__c$/, '__r') : name.replace(/Id$/, '');
  return field(name, 'reference', {
    referenceTo,
    relationshipName,
    polymorphicForeignKey: referenceTo.length > 1,
    label: humanize(name) + (name.endsWith('Id') ? ' ID' : ''),
    ...o,
  });
}

/** Read-only system field. */
export const system = (f: FieldDef): FieldDef => ({ ...f, createable: false, updateable: false });

/**
 * A compound address (`Billing` → BillingStreet, BillingCity, ..., BillingAddress). Returns the
 * components followed by the compound field, as Salesforce lists them.
 */
export function address(prefix: string, label = prefix): FieldDef[] {
  const compound = `${prefix}Address`;
  const comp = (suffix: string, f: FieldDef): FieldDef => ({ ...f, compoundFieldName: compound, label: `${label} ${suffix}` });
  return [
    comp('Street', textarea(`${prefix}Street`, 255)),
    comp('City', text(`${prefix}City`, 40)),
    comp('State/Province', text(`${prefix}State`, 80)),
    comp('Zip/Postal Code', text(`${prefix}PostalCode`, 20)),
    comp('Country', text(`${prefix}Country`, 80)),
    comp('Latitude', double(`${prefix}Latitude`, 18, 15)),
    comp('Longitude', double(`${prefix}Longitude`, 18, 15)),
    comp(
      'Geocode Accuracy',
      picklist(`${prefix}GeocodeAccuracy`, [
        'Address',
        'NearAddress',
        'Block',
        'Street',
        'ExtendedZip',
        'Zip',
        'Neighborhood',
        'City',
        'County',
        'State',
        'Unknown',
      ]),
    ),
    field(compound, 'address', {
      label: `${label} Address`,
      components: {
        street: `${prefix}Street`,
        city: `${prefix}City`,
        state: `${prefix}State`,
        postalCode: `${prefix}PostalCode`,
        country: `${prefix}Country`,
        latitude: `${prefix}Latitude`,
        longitude: `${prefix}Longitude`,
        geocodeAccuracy: `${prefix}GeocodeAccuracy`,
      },
    }),
  ];
}

/** Id, IsDeleted and the audit fields every object has. */
export function systemFields(objectLabel: string): FieldDef[] {
  return [
    field('Id', 'id', {
      label: `${objectLabel} ID`,
      nillable: false,
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
      idLookup: true,
      groupable: true,
      filterable: true,
      sortable: true,
    }),
    system(bool('IsDeleted', false, { label: 'Deleted' })),
    system(ref('CreatedById', ['User'], { label: 'Created By ID', relationshipName: 'CreatedBy', nillable: false, defaultedOnCreate: true })),
    system(datetime('CreatedDate', { label: 'Created Date', nillable: false, defaultedOnCreate: true })),
    system(ref('LastModifiedById', ['User'], { label: 'Last Modified By ID', relationshipName: 'LastModifiedBy', nillable: false, defaultedOnCreate: true })),
    system(datetime('LastModifiedDate', { label: 'Last Modified Date', nillable: false, defaultedOnCreate: true })),
    system(datetime('SystemModstamp', { label: 'System Modstamp', nillable: false, defaultedOnCreate: true })),
  ];
}

/** OwnerId lookup to User (owned objects). */
export const owner = (o: FieldOpts = {}) =>
  ref('OwnerId', ['User'], { label: 'Owner ID', relationshipName: 'Owner', nillable: false, defaultedOnCreate: true, ...o });

const DEFAULT_FLAGS: ObjectFlags = {
  activateable: false,
  createable: true,
  custom: false,
  customSetting: false,
  deletable: true,
  deprecatedAndHidden: false,
  feedEnabled: true,
  layoutable: true,
  mergeable: false,
  mruEnabled: true,
  queryable: true,
  replicateable: true,
  retrieveable: true,
  searchable: true,
  triggerable: true,
  undeletable: true,
  updateable: true,
};

export interface ObjectOpts {
  name: string;
  label?: string;
  labelPlural?: string;
  keyPrefix: string;
  fields: FieldDef[];
  flags?: Partial<ObjectFlags>;
  sharingModel?: SharingModel;
  sharingParentField?: string;
  bulkQueryable?: boolean;
  recordTypes?: ObjectDef['recordTypes'];
  /** Skip the standard system fields (for objects that declare their own). */
  noSystemFields?: boolean;
}

/** An object: system fields first, then the given fields, with default capability flags. */
export function object(o: ObjectOpts): ObjectDef {
  const label = o.label ?? humanize(o.name);
  const custom = o.name.endsWith('__c');
  const flags = { ...DEFAULT_FLAGS, custom, ...o.flags };
  const fields = o.noSystemFields ? o.fields : [...systemFields(label), ...o.fields];
  const seen = new Set<string>();
  for (const f of fields) {
    const k = f.name.toLowerCase();
    if (seen.has(k)) throw new Error(`schema: ${o.name}.${f.name} is declared twice`);
    seen.add(k);
  }
  return {
    name: o.name,
    label,
    labelPlural: o.labelPlural ?? `${label}s`,
    keyPrefix: o.keyPrefix,
    flags,
    fields,
    sharingModel: o.sharingModel ?? 'ReadWrite',
    ...(o.sharingParentField ? { sharingParentField: o.sharingParentField } : {}),
    replicateable: flags.replicateable,
    bulkQueryable: o.bulkQueryable ?? flags.queryable,
    recordTypes: o.recordTypes ?? [],
  };
}
