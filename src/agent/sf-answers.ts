/**
 * zod schemas for the Salesforce answers agent tools read, and `checked()` which turns a
 * mismatch into a `remote_protocol` error naming the bad part. Objects are loose: Salesforce adds
 * keys between API versions, and only the keys listed here are relied upon.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_describeGlobal.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 */
import { z } from 'zod';
import { remoteProtocol } from '../errors.js';

const nullableString = z.string().nullable().optional();

export const globalEntrySchema = z.looseObject({
  name: z.string().min(1),
  label: z.string(),
  labelPlural: z.string().optional(),
  custom: z.boolean(),
  keyPrefix: z.string().nullable().optional(),
  queryable: z.boolean(),
  searchable: z.boolean(),
  createable: z.boolean(),
  updateable: z.boolean(),
  deletable: z.boolean(),
});
export type GlobalEntry = z.infer<typeof globalEntrySchema>;

export const describeGlobalSchema = z.looseObject({ sobjects: z.array(globalEntrySchema) });

export const picklistValueSchema = z.looseObject({
  value: z.string(),
  label: z.string().nullable().optional(),
  active: z.boolean(),
  defaultValue: z.boolean().optional(),
});

export const fieldSchema = z.looseObject({
  name: z.string().min(1),
  label: z.string(),
  type: z.string(),
  length: z.number().int().min(0),
  precision: z.number().int().min(0).optional().default(0),
  scale: z.number().int().min(0).optional().default(0),
  digits: z.number().int().min(0).optional().default(0),
  nillable: z.boolean(),
  createable: z.boolean(),
  updateable: z.boolean(),
  defaultedOnCreate: z.boolean(),
  custom: z.boolean().optional(),
  nameField: z.boolean().optional(),
  unique: z.boolean().optional(),
  externalId: z.boolean().optional().default(false),
  idLookup: z.boolean().optional().default(false),
  calculated: z.boolean(),
  filterable: z.boolean().optional(),
  sortable: z.boolean().optional(),
  groupable: z.boolean().optional(),
  picklistValues: z
    .array(picklistValueSchema)
    .nullish()
    .transform((v) => v ?? []),
  restrictedPicklist: z.boolean().optional().default(false),
  referenceTo: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  relationshipName: nullableString,
  inlineHelpText: nullableString,
  calculatedFormula: nullableString,
  defaultValue: z.unknown().optional(),
  compoundFieldName: nullableString,
});
export type FieldDescribe = z.output<typeof fieldSchema>;

export const childRelationshipSchema = z.looseObject({
  childSObject: z.string(),
  field: z.string(),
  relationshipName: z.string().nullable(),
  cascadeDelete: z.boolean().optional(),
});

export const recordTypeInfoSchema = z.looseObject({
  name: z.string(),
  developerName: z.string().optional(),
  recordTypeId: z.string(),
  available: z.boolean().optional(),
  master: z.boolean().optional(),
  defaultRecordTypeMapping: z.boolean().optional(),
});

/** An sObject describe: what describeGlobal says of the object, plus its fields and relationships. */
export const describeSchema = globalEntrySchema.extend({
  undeletable: z.boolean(),
  retrieveable: z.boolean().optional().default(true),
  fields: z.array(fieldSchema),
  childRelationships: z.array(childRelationshipSchema).default([]),
  recordTypeInfos: z.array(recordTypeInfoSchema).default([]),
});
export type ObjectDescribe = z.output<typeof describeSchema>;

/** A record as Salesforce renders it (`attributes` plus field values). */
export const recordSchema = z.record(z.string(), z.unknown());
export type SfRecord = z.infer<typeof recordSchema>;

export const queryPageSchema = z.looseObject({
  totalSize: z.number().int().min(0),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(recordSchema),
});
export type QueryPage = z.infer<typeof queryPageSchema>;

export const searchAnswerSchema = z.looseObject({ searchRecords: z.array(recordSchema) });

/** Parses `value` with `schema`, or throws `agent.unexpected_answer` naming what and where. */
export function checked<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
  return failed(what, `${at}: ${issue?.message ?? 'invalid'}`);
}

function failed(what: string, detail: string): never {
  throw remoteProtocol('agent.unexpected_answer', `Salesforce's ${what} answer does not have the expected shape${detail}`);
}
