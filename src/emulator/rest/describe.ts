/**
 * Describe resources: `GET /sobjects` (describeGlobal), `GET /sobjects/{X}` (basic info) and
 * `GET /sobjects/{X}/describe`, rendered from the schema registry for the calling user: objects
 * the user cannot read are absent (and 404 when asked for), fields hidden by field-level security
 * are absent, and create/update/delete flags reflect the user's permissions. Both describes answer
 * `If-Modified-Since` with 304 when the org's metadata has not changed since.
 *
 * Shapes: shared/reference/salesforce-wire.md §2.3–§2.4;
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
import type { Context, Hono } from 'hono';
import type { EmuEnv } from '../http/env.js';
import { REST } from '../http/env.js';
import { notFound, sfJson } from '../http/respond.js';
import type { Org } from '../org.js';
import { fieldAccess, objectAccess, type Principal } from '../perms/access.js';
import type { FieldDef, ObjectDef, PicklistValue } from '../schema/types.js';

/** Objects the principal may read, alphabetically (describeGlobal order). */
export function readableObjects(org: Org, p: Principal): ObjectDef[] {
  return org.schema
    .all()
    .filter((d) => objectAccess(p, d).read)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * True when the request's `If-Modified-Since` is at or after the last metadata change. HTTP
 * dates have whole seconds, so the change time is compared at second precision. An unparsable
 * header is ignored (the full answer is sent).
 */
export function notModifiedSince(header: string | undefined, lastModifiedMs: number): boolean {
  if (!header) return false;
  const since = Date.parse(header);
  if (Number.isNaN(since)) return false;
  return Math.floor(lastModifiedMs / 1000) * 1000 <= since;
}

/** The id Salesforce gives every object's Master record type. */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

const TEXT_TYPES = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'combobox', 'email', 'phone', 'url', 'encryptedstring']);

/** Object-level capabilities as the principal sees them (flags AND the user's CRUD). */
function objectFlags(def: ObjectDef, p: Principal) {
  const access = objectAccess(p, def);
  const f = def.flags;
  return {
    activateable: f.activateable,
    createable: f.createable && access.create,
    custom: f.custom,
    customSetting: f.customSetting,
    deletable: f.deletable && access.delete,
    deprecatedAndHidden: f.deprecatedAndHidden,
    feedEnabled: f.feedEnabled,
    layoutable: f.layoutable,
    mergeable: f.mergeable && access.edit && access.delete,
    mruEnabled: f.mruEnabled,
    queryable: f.queryable,
    replicateable: f.replicateable,
    retrieveable: f.retrieveable,
    searchable: f.searchable,
    triggerable: f.triggerable,
    undeletable: f.undeletable && access.delete,
    updateable: f.updateable && access.edit,
  };
}

function objectUrls(def: ObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  const urls: Record<string, string> = {};
  if (def.flags.layoutable) {
    urls.compactLayouts = `${base}/describe/compactLayouts`;
  }
  urls.rowTemplate = `${base}/{ID}`;
  if (def.flags.layoutable) {
    urls.approvalLayouts = `${base}/describe/approvalLayouts`;
    urls.defaultValues = `${base}/defaultValues?recordTypeId&fields`;
    urls.listviews = `${base}/listviews`;
  }
  urls.describe = `${base}/describe`;
  if (def.flags.layoutable) {
    urls.quickActions = `${base}/quickActions`;
    urls.layouts = `${base}/describe/layouts`;
  }
  urls.sobject = base;
  return urls;
}

/** One describeGlobal entry (also `objectDescribe` of the basic-info resource). */
export function describeGlobalEntry(def: ObjectDef, p: Principal, version: string): Record<string, unknown> {
  const flags = objectFlags(def, p);
  return {
    activateable: flags.activateable,
    associateEntityType: null,
    associateParentEntity: null,
    createable: flags.createable,
    custom: flags.custom,
    customSetting: flags.customSetting,
    deepCloneable: false,
    deletable: flags.deletable,
    deprecatedAndHidden: flags.deprecatedAndHidden,
    feedEnabled: flags.feedEnabled,
    hasSubtypes: false,
    idEnabled: true,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: flags.layoutable,
    mergeable: flags.mergeable,
    mruEnabled: flags.mruEnabled,
    name: def.name,
    queryable: flags.queryable,
    replicateable: flags.replicateable,
    retrieveable: flags.retrieveable,
    searchable: flags.searchable,
    triggerable: flags.triggerable,
    undeletable: flags.undeletable,
    updateable: flags.updateable,
    urls: objectUrls(def, version),
  };
}

function picklistJson(v: PicklistValue) {
  return { active: v.active, defaultValue: v.defaultValue, label: v.label, validFor: null, value: v.value };
}

/**
 * Whether field-level security can be set on the field in Setup: not on the Id, required,
 * system-maintained or name fields (Salesforce reports `permissionable: false` for those).
 */
function permissionable(f: FieldDef): boolean {
  if (f.type === 'id' || f.nameField || !f.nillable) return false;
  return f.createable || f.updateable || f.calculated;
}

/** One field as describe reports it, with createable/updateable narrowed by the user's access. */
export function describeField(def: ObjectDef, f: FieldDef, p: Principal): Record<string, unknown> {
  const access = objectAccess(p, def);
  const editable = fieldAccess(p, def, f) === 'edit';
  const textual = TEXT_TYPES.has(f.type);
  const byteLength = textual ? f.length * 3 : f.type === 'id' || f.type === 'reference' ? 18 : 0;
  return {
    aggregatable: f.aggregatable,
    aiPredictionField: false,
    autoNumber: f.autoNumber,
    byteLength,
    calculated: f.calculated,
    calculatedFormula: f.calculatedFormula,
    cascadeDelete: f.cascadeDelete,
    caseSensitive: f.caseSensitive,
    compoundFieldName: f.compoundFieldName,
    controllerName: f.controllerName,
    createable: f.createable && editable && access.create,
    custom: f.custom,
    // Describe reports a literal default only for checkboxes; picklist defaults are flagged on the value.
    defaultValue: f.type === 'boolean' ? (typeof f.defaultValue === 'boolean' ? f.defaultValue : false) : null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultedOnCreate,
    dependentPicklist: f.dependentPicklist,
    deprecatedAndHidden: false,
    digits: f.digits,
    displayLocationInDecimal: false,
    encrypted: f.type === 'encryptedstring',
    externalId: f.externalId,
    extraTypeInfo: f.extraTypeInfo,
    filterable: f.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: f.groupable,
    highScaleNumber: false,
    htmlFormatted: f.htmlFormatted,
    idLookup: f.idLookup,
    inlineHelpText: f.inlineHelpText,
    label: f.label,
    length: f.length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField,
    namePointing: f.type === 'reference' && f.referenceTo.length > 1,
    nillable: f.nillable,
    permissionable: permissionable(f),
    picklistValues: f.picklistValues.map(picklistJson),
    polymorphicForeignKey: f.polymorphicForeignKey,
    precision: f.precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    relationshipOrder: null,
    restrictedDelete: f.restrictedDelete,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    searchPrefilterable: f.type === 'reference',
    soapType: f.soapType,
    sortable: f.sortable,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable && editable && access.edit,
    writeRequiresMasterRead: false,
  };
}

/** Child relationships the principal can see: the child object readable and its lookup visible. */
function childRelationships(org: Org, def: ObjectDef, p: Principal) {
  const out = [];
  for (const rel of org.schema.childRelationships(def.name)) {
    const child = org.schema.get(rel.childSObject);
    const f = child && org.schema.field(child.name, rel.field);
    if (!child || !f || !objectAccess(p, child).read || fieldAccess(p, child, f) === 'hidden') continue;
    out.push({
      cascadeDelete: rel.cascadeDelete,
      childSObject: rel.childSObject,
      deprecatedAndHidden: false,
      field: rel.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: rel.relationshipName,
      restrictedDelete: rel.restrictedDelete,
    });
  }
  return out.sort((a, b) => a.childSObject.localeCompare(b.childSObject) || a.field.localeCompare(b.field));
}

function recordTypeInfos(def: ObjectDef, version: string) {
  if (!def.flags.layoutable) return [];
  const layout = (id: string) => ({ layout: `/services/data/v${version}/sobjects/${def.name}/describe/layouts/${id}` });
  const anyDefault = def.recordTypes.some((r) => r.default);
  const infos = def.recordTypes.map((r) => ({
    active: true,
    available: true,
    defaultRecordTypeMapping: r.default,
    developerName: r.developerName,
    master: false,
    name: r.name,
    recordTypeId: r.recordTypeId,
    urls: layout(r.recordTypeId),
  }));
  infos.push({
    active: true,
    available: true,
    defaultRecordTypeMapping: !anyDefault,
    developerName: 'Master',
    master: true,
    name: 'Master',
    recordTypeId: MASTER_RECORD_TYPE_ID,
    urls: layout(MASTER_RECORD_TYPE_ID),
  });
  return infos;
}

/** "All accounts" / "My accounts" list scopes: objects with an owner also offer mine/team. */
function supportedScopes(def: ObjectDef) {
  const plural = def.labelPlural.toLowerCase();
  const scopes = [{ label: `All ${plural}`, name: 'everything' }];
  if (def.fields.some((f) => f.name === 'OwnerId')) {
    scopes.push({ label: `My ${plural}`, name: 'mine' }, { label: `My team's ${plural}`, name: 'team' });
  }
  return scopes;
}

/** The full sObject describe for the principal. */
export function describeObject(org: Org, def: ObjectDef, p: Principal, version: string): Record<string, unknown> {
  const entry = describeGlobalEntry(def, p, version);
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  const ui = org.urls.mydomain;
  const urls = {
    ...(entry.urls as Record<string, string>),
    ...(def.flags.layoutable ? { uiDetailTemplate: `${ui}/{ID}`, uiEditTemplate: `${ui}/{ID}/e`, uiNewRecord: `${ui}/${def.keyPrefix}/e` } : {}),
    describe: `${base}/describe`,
    sobject: base,
  };
  const fields = def.fields.filter((f) => fieldAccess(p, def, f) !== 'hidden').map((f) => describeField(def, f, p));
  return {
    actionOverrides: [],
    activateable: entry.activateable,
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships: childRelationships(org, def, p),
    compactLayoutable: def.flags.layoutable,
    createable: entry.createable,
    custom: entry.custom,
    customSetting: entry.customSetting,
    deepCloneable: false,
    defaultImplementation: null,
    deletable: entry.deletable,
    deprecatedAndHidden: entry.deprecatedAndHidden,
    extendedBy: null,
    extendsInterfaces: null,
    feedEnabled: entry.feedEnabled,
    fields,
    hasSubtypes: false,
    idEnabled: true,
    implementedBy: null,
    implementsInterfaces: null,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: entry.layoutable,
    listviewable: null,
    lookupLayoutable: null,
    mergeable: entry.mergeable,
    mruEnabled: entry.mruEnabled,
    name: def.name,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: entry.queryable,
    recordTypeInfos: recordTypeInfos(def, version),
    replicateable: entry.replicateable,
    retrieveable: entry.retrieveable,
    searchLayoutable: def.flags.searchable,
    searchable: entry.searchable,
    sobjectDescribeOption: 'FULL',
    supportedScopes: supportedScopes(def),
    triggerable: entry.triggerable,
    undeletable: entry.undeletable,
    updateable: entry.updateable,
    urls,
  };
}

function lookup(org: Org, c: Context<EmuEnv>): ObjectDef {
  const def = org.schema.get(c.req.param('object') ?? '');
  // An object the caller cannot read does not exist for them (same answer as an unknown one).
  if (!def || !objectAccess(c.get('principal'), def).read) throw notFound();
  return def;
}

function notModified(c: Context<EmuEnv>, org: Org): Response | undefined {
  if (!notModifiedSince(c.req.header('if-modified-since'), org.schema.lastModified)) return undefined;
  return c.body(null, 304);
}

export function registerDescribe(app: Hono<EmuEnv>, org: Org): void {
  const global = (c: Context<EmuEnv>) => {
    const unchanged = notModified(c, org);
    if (unchanged) return unchanged;
    const p = c.get('principal');
    const version = c.get('apiVersion');
    return sfJson(c, {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: readableObjects(org, p).map((d) => describeGlobalEntry(d, p, version)),
    });
  };
  app.get(`${REST}/sobjects`, global);
  app.get(`${REST}/sobjects/`, global);

  const describe = (c: Context<EmuEnv>) => {
    const def = lookup(org, c);
    const unchanged = notModified(c, org);
    if (unchanged) return unchanged;
    return sfJson(c, describeObject(org, def, c.get('principal'), c.get('apiVersion')));
  };
  app.get(`${REST}/sobjects/:object/describe`, describe);
  app.get(`${REST}/sobjects/:object/describe/`, describe);

  const basic = (c: Context<EmuEnv>) => {
    const def = lookup(org, c);
    const p = c.get('principal');
    return sfJson(c, { objectDescribe: describeGlobalEntry(def, p, c.get('apiVersion')), recentItems: [] });
  };
  app.get(`${REST}/sobjects/:object`, basic);
  app.get(`${REST}/sobjects/:object/`, basic);
}
