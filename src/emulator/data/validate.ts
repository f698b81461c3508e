/**
 * JSON record input → validated storage values, checked against the schema (describe facts) and the
 * caller's object and field permissions, with Salesforce's error codes and messages.
 *
 * Salesforce answers in two phases and so does this module:
 * 1. **Deserialization** of the JSON body: an unknown (or FLS-hidden) field or a value of the wrong
 *    JSON type fails the whole request with one error (`INVALID_FIELD`, `JSON_PARSER_ERROR`). These
 *    are thrown as {@link SfHttpError} 400, also inside sObject Collections.
 * 2. **DML validation** per record: read-only fields, lengths, formats, picklists, references and
 *    required fields. These are returned as {@link DmlError}s so collections can report them per item.
 *
 * Every message string lives in {@link MSG}. See shared/reference/salesforce-wire.md §2.5, §2.11.
 */
import { formatDate, parseDate, parseDateTime } from '../format.js';
import { isValidId, to18 } from '../ids.js';
import { SfHttpError } from '../http/respond.js';
import type { OrgData } from './org-data.js';
import { canReadRecord, fieldAccess, type Principal } from '../perms/access.js';
import type { FieldDef, ObjectDef, StoredRecord, StoredValue } from '../schema/types.js';

/** One DML error; sObject Collections put it on the wire as-is, single-record REST renames `statusCode` to `errorCode`. */
export interface DmlError {
  statusCode: string;
  message: string;
  /** Absent for errors Salesforce sends without `fields` (e.g. NOT_FOUND). */
  fields?: string[];
}

/**
 * Salesforce's error messages for record writes and reads, in one place. Entries marked
 * UNCONFIRMED are plausible guesses not yet checked against a real org.
 */
export const MSG = {
  noSuchColumn: (field: string, object: string) => `No such column '${field}' on sobject of type ${object}`,
  noSuchColumnQuery: (field: string, object: string) =>
    `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  cannotCreateUpdate: (fields: string[]) =>
    `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
  idOnInsert: 'Record ID: cannot specify Id in an insert call',
  /** UNCONFIRMED: an Id in a PATCH body that differs from the record in the URL. */
  idMismatch: (id: string) => `Id in the sobject data does not match the record in the URL: ${id}`,
  required: (fields: string[]) => `Required fields are missing: [${fields.join(', ')}]`,
  tooLong: (label: string, value: string, max: number) => `${label}: data value too large: ${value} (max length=${max})`,
  badEmail: (label: string, value: string) => `${label}: invalid email address: ${value}`,
  restrictedPicklist: (label: string, value: string) => `${label}: bad value for restricted picklist field: ${value}`,
  idWrongType: (label: string, value: string) => `${label}: id value of incorrect type: ${value}`,
  invalidCrossReference: 'invalid cross reference id',
  crossReferenceAccess: (id: string) => `insufficient access rights on cross-reference id: ${id.slice(0, 15)}`,
  entityDeleted: 'entity is deleted',
  outOfRange: (label: string, value: string) => `${label}: value outside of valid range on numeric field: ${value}`,
  deserialize: (javaType: string, token: string, value: string, at: string) =>
    `Cannot deserialize instance of ${javaType} from ${token} value ${value} or request may be missing a required field${at}`,
  badJson: (at: string) => `Unexpected character in the JSON body${at}`,
  notAnObject: (object: string) =>
    `Cannot deserialize instance of ${object} from START_ARRAY value [ or request may be missing a required field at [line:1, column:1]`,
  insufficientAccess: 'insufficient access rights on object id',
  notFound: 'The requested resource does not exist',
  extIdNotFound: (field: string) => `Provided external ID field does not exist or is not accessible: ${field}`,
  /** UNCONFIRMED: the body repeats the external id field with another value than the URL. */
  extIdMismatch: (field: string) => `The value of ${field} in the request body does not match the external ID in the URL`,
  duplicateExternalId: (field: string, ids: string[]) => `${field}: more than one record found for external id field: [${ids.join(', ')}]`,
  rolledBack: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  malformedId: (label: string, id: string) => `${label} ID: id value of incorrect type: ${id}`,
  malformedIdPlain: (id: string) => `malformed id ${id}`,
  missingId: 'Id not specified in an update call',
  noType: 'No SObject Type defined in the record',
  /** UNCONFIRMED exact wording (collections over 200 records). */
  tooManyRecords: (max: number) => `Maximum number of records in an sObject Collections request is ${max}`,
  methodNotAllowed: (method: string, allowed: string) => `HTTP Method '${method}' not allowed. Allowed are ${allowed}`,
  /** UNCONFIRMED bodies of conditional-request failures. */
  preconditionFailed: 'The requested resource has been modified since the time specified by the precondition header',
  badConditionalHeader: (header: string, value: string) => `Invalid value for the ${header} header: ${value}`,
} as const;

/** What the validator needs from the org. */
export interface ValidateContext {
  data: OrgData;
  principal: Principal;
}

export interface ValidateOptions {
  op: 'create' | 'update';
  /** The record being updated (update only). */
  existing?: StoredRecord;
  /** The raw JSON text, to point deserialization errors at a line and column. */
  raw?: string;
}

export interface Validated {
  /** Storage-form values to write (only the fields given). */
  values: StoredRecord;
  errors: DmlError[];
}

/** A single `[{message, errorCode[, fields]}]` 400 thrown during deserialization. */
function deserializationError(errorCode: string, message: string): SfHttpError {
  return SfHttpError.of(400, errorCode, message);
}

/**
 * Parses a JSON request body that must be an object (a record or a collections request).
 * Malformed JSON → 400 `JSON_PARSER_ERROR`.
 */
export function parseJsonBody(text: string, what = 'the request'): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    throw deserializationError('JSON_PARSER_ERROR', MSG.badJson(m ? locate(text, Number(m[1])) : ''));
  }
  if (Array.isArray(parsed)) throw deserializationError('JSON_PARSER_ERROR', MSG.notAnObject(what));
  if (parsed === null || typeof parsed !== 'object') throw deserializationError('JSON_PARSER_ERROR', MSG.badJson(''));
  return parsed as Record<string, unknown>;
}

/** ` at [line:L, column:C]` for a character offset (Jackson's location suffix). */
function locate(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` at [line:${line}, column:${column}]`;
}

/** Location just after the value of `key` in the raw body (best effort; empty when not found). */
function locateValue(raw: string | undefined, key: string, value: unknown): string {
  if (!raw) return '';
  const re = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*`);
  const m = re.exec(raw);
  if (!m) return '';
  const start = m.index + m[0].length;
  const len = JSON.stringify(value)?.length ?? 0;
  return locate(raw, start + len);
}

const TEXT_TYPES = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'combobox', 'email', 'phone', 'url', 'encryptedstring']);

/** Java type names Salesforce's JSON deserializer reports per field type. */
function javaType(f: FieldDef): string {
  switch (f.type) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'int';
    case 'long':
      return 'long';
    case 'currency':
    case 'double':
    case 'percent':
      return 'double';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'reference':
    case 'id':
      return 'ID';
    default:
      return 'string';
  }
}

function jsonToken(v: unknown): string {
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'boolean') return v ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (typeof v === 'number') return Number.isInteger(v) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (Array.isArray(v)) return 'START_ARRAY';
  return 'START_OBJECT';
}

/**
 * Converts one JSON value to storage form by field type (deserialization phase). Returns
 * `undefined` when the JSON value cannot be read as that type.
 */
function toStorage(f: FieldDef, v: unknown): StoredValue | undefined {
  if (v === null) return null;
  if (typeof v === 'object') return undefined;
  if (TEXT_TYPES.has(f.type) || f.type === 'base64' || f.type === 'time') {
    // Salesforce stores empty text as null and reads scalars as their text.
    const s = String(v);
    return s === '' ? null : s;
  }
  switch (f.type) {
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
      return undefined;
    case 'int':
    case 'long': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return Number.isInteger(n) ? n : undefined;
    }
    case 'currency':
    case 'double':
    case 'percent': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'date': {
      if (typeof v !== 'string') return undefined;
      if (v === '') return null;
      const d = parseDate(v);
      if (d) return d;
      const ms = validDatePart(v) ? parseDateTime(v) : undefined;
      return ms === undefined ? undefined : formatDate(ms);
    }
    case 'datetime': {
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v !== 'string') return undefined;
      if (v === '') return null;
      return validDatePart(v) ? parseDateTime(v) : undefined;
    }
    case 'reference':
    case 'id':
      if (typeof v !== 'string') return undefined;
      return v === '' ? null : v;
    default:
      return undefined;
  }
}

/** parseDateTime lets `2020-13-40` roll over into another month; Salesforce refuses it. */
function validDatePart(text: string): boolean {
  return parseDate(text.trim().slice(0, 10)) !== undefined;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Value checks of the DML phase for one field (length, format, picklist, range, reference). */
function checkValue(ctx: ValidateContext, f: FieldDef, v: StoredValue): { value: StoredValue; error?: DmlError } {
  // A checkbox cannot hold null: Salesforce stores false.
  if (v === null) return { value: f.type === 'boolean' ? false : null };
  const fields = [f.name];
  if (typeof v === 'string' && TEXT_TYPES.has(f.type) && f.length > 0 && v.length > f.length) {
    return { value: v, error: { statusCode: 'STRING_TOO_LONG', message: MSG.tooLong(f.label, v, f.length), fields } };
  }
  if (f.type === 'email' && typeof v === 'string' && !EMAIL_RE.test(v)) {
    return { value: v, error: { statusCode: 'INVALID_EMAIL_ADDRESS', message: MSG.badEmail(f.label, v), fields } };
  }
  if ((f.type === 'picklist' || f.type === 'multipicklist') && f.restrictedPicklist && typeof v === 'string') {
    const allowed = new Set(f.picklistValues.filter((p) => p.active).map((p) => p.value));
    const parts = f.type === 'multipicklist' ? v.split(';') : [v];
    const bad = parts.find((p) => !allowed.has(p));
    if (bad !== undefined) {
      return { value: v, error: { statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: MSG.restrictedPicklist(f.label, bad), fields } };
    }
  }
  if (typeof v === 'number' && (f.type === 'currency' || f.type === 'double' || f.type === 'percent')) {
    const rounded = Number(v.toFixed(f.scale));
    const maxInt = f.precision - f.scale;
    if (f.precision > 0 && Math.abs(Math.trunc(rounded)).toString().length > maxInt && Math.trunc(rounded) !== 0) {
      return { value: v, error: { statusCode: 'NUMBER_OUTSIDE_VALID_RANGE', message: MSG.outOfRange(f.label, String(v)), fields } };
    }
    return { value: rounded };
  }
  if (typeof v === 'number' && (f.type === 'int' || f.type === 'long')) {
    const digits = f.digits > 0 ? f.digits : f.type === 'int' ? 9 : 18;
    if (Math.abs(v).toString().length > digits) {
      return { value: v, error: { statusCode: 'NUMBER_OUTSIDE_VALID_RANGE', message: MSG.outOfRange(f.label, String(v)), fields } };
    }
  }
  if (f.type === 'reference' && typeof v === 'string') return checkReference(ctx, f, v);
  return { value: v };
}

/** A lookup value: well-formed id, of a referenced object, pointing at a live record the caller can see. */
function checkReference(ctx: ValidateContext, f: FieldDef, v: string): { value: StoredValue; error?: DmlError } {
  const fields = [f.name];
  if (!isValidId(v)) return { value: v, error: { statusCode: 'MALFORMED_ID', message: MSG.idWrongType(f.label, v), fields } };
  const id = to18(v)!;
  const target = ctx.data.schema.byKeyPrefix(id);
  if (!target || !f.referenceTo.some((r) => r.toLowerCase() === target.name.toLowerCase())) {
    return { value: id, error: { statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: MSG.idWrongType(f.label, v), fields } };
  }
  const found = ctx.data.find(id);
  if (!found) return { value: id, error: { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: MSG.invalidCrossReference, fields } };
  if (found.record.IsDeleted === true) return { value: id, error: { statusCode: 'ENTITY_IS_DELETED', message: MSG.entityDeleted, fields } };
  if (!canReadRecord(ctx.principal, found.table.def, found.record, ctx.data)) {
    return { value: id, error: { statusCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', message: MSG.crossReferenceAccess(id), fields: [] } };
  }
  return { value: found.record.Id as string };
}

/** Whether a field must have a value (nillable false, not a checkbox, not filled by the system). */
function isRequired(f: FieldDef, op: 'create' | 'update'): boolean {
  if (f.nillable || f.type === 'boolean' || f.calculated) return false;
  if (op === 'create') return f.createable && !f.defaultedOnCreate;
  return f.updateable;
}

/**
 * Validates a record body for create or update. Throws {@link SfHttpError} 400 for
 * deserialization failures; returns DML errors (possibly several) otherwise.
 */
export function validateRecord(ctx: ValidateContext, def: ObjectDef, body: Record<string, unknown>, opts: ValidateOptions): Validated {
  const values: StoredRecord = {};
  const errors: DmlError[] = [];
  const notWritable: string[] = [];
  let idError: DmlError | undefined;
  const given: { f: FieldDef; v: StoredValue }[] = [];

  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const f = ctx.data.schema.field(def.name, key);
    const access = f ? fieldAccess(ctx.principal, def, f) : 'hidden';
    if (!f || access === 'hidden') throw deserializationError('INVALID_FIELD', MSG.noSuchColumn(key, def.name));
    const v = toStorage(f, raw);
    if (v === undefined) {
      throw deserializationError('JSON_PARSER_ERROR', MSG.deserialize(javaType(f), jsonToken(raw), String(raw), locateValue(opts.raw, key, raw)));
    }
    if (f.type === 'id') {
      if (opts.op === 'create') idError = { statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: MSG.idOnInsert, fields: ['Id'] };
      else if (v !== null && to18(String(v)) !== opts.existing?.Id) {
        idError = { statusCode: 'INVALID_ID_FIELD', message: MSG.idMismatch(String(v)), fields: ['Id'] };
      }
      continue;
    }
    const writable = opts.op === 'create' ? f.createable : f.updateable;
    if (!writable || access !== 'edit') {
      notWritable.push(f.name);
      continue;
    }
    given.push({ f, v });
  }

  if (idError) return { values, errors: [idError] };
  // Field-level security is checked before any value: one error naming every such field.
  if (notWritable.length) {
    return { values, errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: MSG.cannotCreateUpdate(notWritable), fields: notWritable }] };
  }

  for (const { f, v } of given) {
    const checked = checkValue(ctx, f, v);
    if (checked.error) errors.push(checked.error);
    else values[f.name] = checked.value;
  }

  const missing: string[] = [];
  for (const f of def.fields) {
    if (!isRequired(f, opts.op)) continue;
    const has = given.find((g) => g.f === f);
    if (opts.op === 'create' ? has === undefined || has.v === null : has !== undefined && has.v === null) missing.push(f.name);
  }
  if (missing.length) errors.push({ statusCode: 'REQUIRED_FIELD_MISSING', message: MSG.required(missing), fields: missing });
  // Validation rules run on the record as it would be saved, once the fields themselves are valid.
  if (!errors.length) errors.push(...ruleErrors(def, { ...(opts.existing ?? {}), ...values }));
  return { values, errors };
}

/** FIELD_CUSTOM_VALIDATION_EXCEPTION for every active rule whose conditions all hold. */
function ruleErrors(def: ObjectDef, rec: StoredRecord): DmlError[] {
  const out: DmlError[] = [];
  for (const rule of def.validationRules ?? []) {
    if (!rule.active) continue;
    const holds = rule.when.every((w) => {
      const v = rec[w.field] ?? null;
      const blank = v === null || v === '';
      switch (w.op) {
        case 'blank':
          return blank;
        case 'notBlank':
          return !blank;
        case 'equals':
          return !blank && String(v) === String(w.value);
        case 'notEquals':
          return blank || String(v) !== String(w.value);
      }
    });
    if (holds) out.push({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: rule.errorMessage, fields: rule.errorField ? [rule.errorField] : [] });
  }
  return out;
}

/** Field by name for a caller: undefined when unknown or hidden by FLS. */
export function visibleField(principal: Principal, def: ObjectDef, schemaField: FieldDef | undefined): FieldDef | undefined {
  if (!schemaField) return undefined;
  return fieldAccess(principal, def, schemaField) === 'hidden' ? undefined : schemaField;
}
