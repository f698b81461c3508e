/**
 * `describe_object`: one object's fields, child relationships and record types as the connected
 * Salesforce user sees them (fields hidden by field-level security are absent; createable and
 * updateable are that user's). Compact by default so a model's context is not flooded: false,
 * null and empty values are left out and picklists are capped; `full: true` gives every key.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
import { z } from 'zod';
import { describeFor } from '../describe-cache.js';
import type { FieldDescribe, ObjectDescribe } from '../sf-answers.js';
import { defineTool, READ_ONLY } from '../tool.js';

/** Picklist values shown per field in compact mode. */
export const COMPACT_PICKLIST_CAP = 25;

const picklistValue = z.object({ value: z.string(), label: z.string().optional(), active: z.boolean().optional(), default: z.boolean().optional() });

const fieldView = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  length: z.number().int().optional(),
  precision: z.number().int().optional(),
  scale: z.number().int().optional(),
  /** createable && !nillable && !defaultedOnCreate: a create must give it. */
  required: z.boolean().optional(),
  createable: z.boolean().optional(),
  updateable: z.boolean().optional(),
  nillable: z.boolean().optional(),
  defaultedOnCreate: z.boolean().optional(),
  custom: z.boolean().optional(),
  nameField: z.boolean().optional(),
  unique: z.boolean().optional(),
  externalId: z.boolean().optional(),
  calculated: z.boolean().optional(),
  filterable: z.boolean().optional(),
  sortable: z.boolean().optional(),
  groupable: z.boolean().optional(),
  restrictedPicklist: z.boolean().optional(),
  picklistValues: z.array(picklistValue).optional(),
  /** Active picklist values left out by the compact cap. */
  morePicklistValues: z.number().int().optional(),
  referenceTo: z.array(z.string()).optional(),
  relationshipName: z.string().optional(),
  inlineHelpText: z.string().optional(),
  calculatedFormula: z.string().optional(),
});
export type FieldView = z.infer<typeof fieldView>;

const childView = z.object({ relationshipName: z.string().nullable(), childSObject: z.string(), field: z.string(), cascadeDelete: z.boolean().optional() });
const recordTypeView = z.object({
  name: z.string(),
  developerName: z.string().optional(),
  recordTypeId: z.string(),
  default: z.boolean().optional(),
  master: z.boolean().optional(),
  available: z.boolean().optional(),
});

export const isRequired = (f: FieldDescribe): boolean => f.createable && !f.nillable && !f.defaultedOnCreate;

/** Drops false, null, undefined and empty-array values (compact mode). */
function compactOf<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === false || v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as Partial<T>;
}

const TEXTUAL = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'combobox', 'email', 'phone', 'url', 'encryptedstring']);
const NUMERIC = new Set(['double', 'currency', 'percent']);

/** One field in the tool's shape; `full` keeps every key and every picklist value. */
export function fieldViewOf(f: FieldDescribe, full: boolean): FieldView {
  const values = (f.picklistValues ?? []).filter((v) => full || v.active);
  const shown = full ? values : values.slice(0, COMPACT_PICKLIST_CAP);
  const view: FieldView = {
    name: f.name,
    label: f.label,
    type: f.type,
    ...((full || TEXTUAL.has(f.type)) && f.length !== undefined && f.length > 0 ? { length: f.length } : {}),
    ...((full || NUMERIC.has(f.type)) && f.precision ? { precision: f.precision, scale: f.scale ?? 0 } : {}),
    required: isRequired(f),
    createable: f.createable,
    updateable: f.updateable,
    custom: f.custom ?? false,
    nameField: f.nameField ?? false,
    unique: f.unique ?? false,
    externalId: f.externalId ?? false,
    calculated: f.calculated ?? false,
    ...(shown.length
      ? {
          picklistValues: shown.map((v) =>
            full
              ? { value: v.value, label: v.label ?? v.value, active: v.active, default: v.defaultValue ?? false }
              : { value: v.value, ...(v.label && v.label !== v.value ? { label: v.label } : {}), ...(v.defaultValue ? { default: true } : {}) },
          ),
        }
      : {}),
    ...(values.length > shown.length ? { morePicklistValues: values.length - shown.length } : {}),
    ...(f.referenceTo?.length ? { referenceTo: f.referenceTo } : {}),
    ...(f.relationshipName ? { relationshipName: f.relationshipName } : {}),
    ...(full
      ? {
          nillable: f.nillable,
          defaultedOnCreate: f.defaultedOnCreate,
          filterable: f.filterable ?? false,
          sortable: f.sortable ?? false,
          groupable: f.groupable ?? false,
          restrictedPicklist: f.restrictedPicklist ?? false,
          ...(f.inlineHelpText ? { inlineHelpText: f.inlineHelpText } : {}),
          ...(f.calculatedFormula ? { calculatedFormula: f.calculatedFormula } : {}),
        }
      : {}),
  };
  return full ? view : (compactOf(view) as FieldView);
}

export const describeOutput = z.object({
  name: z.string(),
  label: z.string(),
  custom: z.boolean(),
  keyPrefix: z.string().optional(),
  queryable: z.boolean(),
  searchable: z.boolean(),
  createable: z.boolean(),
  updateable: z.boolean(),
  deletable: z.boolean(),
  fields: z.array(fieldView),
  childRelationships: z.array(childView),
  recordTypes: z.array(recordTypeView),
});

/** The tool's view of a parsed describe. */
export function describeView(d: ObjectDescribe, full: boolean): z.infer<typeof describeOutput> {
  return {
    name: d.name,
    label: d.label,
    custom: d.custom,
    ...(d.keyPrefix ? { keyPrefix: d.keyPrefix } : {}),
    queryable: d.queryable,
    searchable: d.searchable,
    createable: d.createable,
    updateable: d.updateable,
    deletable: d.deletable,
    fields: d.fields.map((f) => fieldViewOf(f, full)),
    // Compact: only relationships a subquery can name.
    childRelationships: d.childRelationships
      .filter((c) => full || c.relationshipName)
      .map((c) => ({
        relationshipName: c.relationshipName,
        childSObject: c.childSObject,
        field: c.field,
        ...(full ? { cascadeDelete: c.cascadeDelete ?? false } : {}),
      })),
    recordTypes: d.recordTypeInfos
      .filter((r) => full || (r.available !== false && !r.master))
      .map((r) => {
        const v = {
          name: r.name,
          developerName: r.developerName,
          recordTypeId: r.recordTypeId,
          default: r.defaultRecordTypeMapping ?? false,
          master: r.master ?? false,
          available: r.available ?? true,
        };
        return full ? v : { ...compactOf(v), name: r.name, recordTypeId: r.recordTypeId };
      }),
  };
}

export const describeObject = defineTool({
  name: 'describe_object',
  title: 'Describe a Salesforce object',
  description:
    'Describes one object for the connected user: fields (API name, label, type, length, required, createable/updateable for this user, active picklist values, reference targets, relationship names), child relationships and record types. ' +
    'Fields the user cannot see are absent. Compact by default (false/empty values omitted, picklists capped); `full: true` returns every key. Reads only; changes nothing.',
  input: z.object({
    object: z.string().min(1).max(80).meta({ description: 'sObject API name, e.g. Account or Invoice__c' }),
    full: z.boolean().default(false).meta({ description: 'every key and every picklist value instead of the compact view' }),
  }),
  output: describeOutput,
  annotations: READ_ONLY,
  async run(ctx, input) {
    return describeView(await describeFor(ctx, input.object), input.full);
  },
});
