/**
 * The emulator's schema model. Objects and fields are data (see ./standard/*.ts and custom objects
 * from the emulator config); describe output is rendered from these definitions by rest/describe.ts.
 */

/** Field `type` values as Salesforce reports them in describe. */
export type FieldType =
  | 'id'
  | 'boolean'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'reference'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'long'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'encryptedstring'
  | 'base64'
  | 'address'
  | 'location'
  | 'anyType';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

/** One field. Only the facts; defaults are filled by `field()` in define.ts. */
export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Characters for text types; 0 otherwise. */
  length: number;
  precision: number;
  scale: number;
  digits: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  /** Value the emulator stores on create when the caller gives none (already in storage form). */
  defaultValue: unknown;
  unique: boolean;
  externalId: boolean;
  idLookup: boolean;
  nameField: boolean;
  calculated: boolean;
  /** Formula text for calculated fields (informational; the value comes from `compute`). */
  calculatedFormula: string | null;
  /** Computes a calculated field's value from the record (formula fields). */
  compute?: (record: StoredRecord) => StoredValue;
  autoNumber: boolean;
  custom: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  aggregatable: boolean;
  caseSensitive: boolean;
  htmlFormatted: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  /** Parent side name of the child relationship this lookup creates (e.g. "Contacts"), if any. */
  childRelationshipName: string | null;
  cascadeDelete: boolean;
  restrictedDelete: boolean;
  polymorphicForeignKey: boolean;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  dependentPicklist: boolean;
  controllerName: string | null;
  /** Compound field this component belongs to (e.g. BillingStreet → BillingAddress). */
  compoundFieldName: string | null;
  /** For compound fields (address/location): component field names, keyed by output key. */
  components?: Record<string, string>;
  inlineHelpText: string | null;
  soapType: string;
  extraTypeInfo: string | null;
}

export interface ObjectFlags {
  activateable: boolean;
  createable: boolean;
  custom: boolean;
  customSetting: boolean;
  deletable: boolean;
  deprecatedAndHidden: boolean;
  feedEnabled: boolean;
  layoutable: boolean;
  mergeable: boolean;
  mruEnabled: boolean;
  queryable: boolean;
  replicateable: boolean;
  retrieveable: boolean;
  searchable: boolean;
  triggerable: boolean;
  undeletable: boolean;
  updateable: boolean;
}

/** Organization-wide default for record visibility (sharing model). */
export type SharingModel = 'Private' | 'Read' | 'ReadWrite' | 'ControlledByParent' | 'FullAccess';

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  flags: ObjectFlags;
  fields: FieldDef[];
  sharingModel: SharingModel;
  /** Parent object whose sharing controls this one (when sharingModel is ControlledByParent). */
  sharingParentField?: string;
  /** Whether `GET /sobjects/X/updated|deleted` (getUpdated/getDeleted) serves this object. */
  replicateable: boolean;
  /** Whether Bulk API 2.0 may query this object. */
  bulkQueryable: boolean;
  /** Record types (beyond Master). Empty for most objects. */
  recordTypes: { name: string; developerName: string; recordTypeId: string; default: boolean }[];
  /** Validation rules (emulator config `validationRules`), checked after field validation. */
  validationRules?: ValidationRuleDef[];
}

/** A validation rule: fails the save when every condition holds (see config.ts). */
export interface ValidationRuleDef {
  name: string;
  errorMessage: string;
  errorField?: string;
  when: { field: string; op: 'equals' | 'notEquals' | 'blank' | 'notBlank'; value?: string | number | boolean }[];
  active: boolean;
}

/** Storage form of a value: datetimes are epoch ms numbers; dates `YYYY-MM-DD` strings. */
export type StoredValue = string | number | boolean | null;
/** A record as the emulator stores it: field API name → storage value. Missing key = null. */
export type StoredRecord = Record<string, StoredValue>;
