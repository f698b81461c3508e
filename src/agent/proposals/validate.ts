/**
 * Checks a proposed write against describe for the connection's user before anything is stored:
 * the object allows the operation, each field exists (fields hidden by field-level security do
 * not appear in a per-user describe), may be set on create/update, and its value fits the field's
 * type; creates carry every required field. All problems are reported at once, each naming the
 * field and the fix.
 * Field types: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/field_types.htm
 */
import { ForcebridgeError } from '../../errors.js';
import { findField } from '../describe-cache.js';
import type { FieldDescribe, ObjectDescribe } from '../sf-answers.js';
import type { FieldValue } from './repo.js';

export interface Problem {
  /** `fields.Name`, `recordId`, … — the input property at fault. */
  field: string;
  message: string;
  hint?: string;
}

const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character form's 3-letter suffix of a 15-character id (case-safe checksum). */
export function idChecksum(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let n = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15[chunk * 5 + i]!;
      if (ch >= 'A' && ch <= 'Z') n |= 1 << i;
    }
    out += CHECKSUM_CHARS[n];
  }
  return out;
}

/** Why `id` is not a record id (of `keyPrefix`, when given), or undefined when it is one. */
export function idProblem(id: string, keyPrefix?: string | null): string | undefined {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)) return `"${id}" is not a Salesforce id (15 or 18 letters and digits)`;
  if (id.length === 18 && idChecksum(id.slice(0, 15)) !== id.slice(15).toUpperCase()) return `"${id}" has a bad checksum (its last 3 characters)`;
  if (keyPrefix && id.slice(0, 3) !== keyPrefix) return `"${id}" is not an id of this object (its ids start with ${keyPrefix})`;
  return undefined;
}

const STRING_TYPES = new Set(['string', 'textarea', 'phone', 'url', 'email', 'encryptedstring', 'combobox']);
const NUMBER_TYPES = new Set(['double', 'currency', 'percent']);

function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Why `v` does not fit field `f`, or undefined when it does. */
export function valueProblem(f: FieldDescribe, v: FieldValue): { message: string; hint?: string } | undefined {
  if (v === null) {
    if (!f.nillable && f.type !== 'boolean') return { message: `${f.name} is required and cannot be cleared`, hint: `give ${f.name} a value` };
    return undefined;
  }
  const t = f.type;
  if (STRING_TYPES.has(t) || t === 'picklist' || t === 'multipicklist') {
    if (typeof v !== 'string') return { message: `${f.name} (${t}) takes a string, not ${typeof v}` };
    if (f.length > 0 && v.length > f.length)
      return { message: `${f.name} is ${v.length} characters; the field holds at most ${f.length}`, hint: 'shorten the value' };
    if (t === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return { message: `${f.name}: "${v}" is not an email address` };
    if (t === 'picklist' || t === 'multipicklist') {
      const active = f.picklistValues.filter((p) => p.active).map((p) => p.value);
      const given = t === 'multipicklist' ? v.split(';').map((s) => s.trim()) : [v];
      const bad = given.filter((g) => !active.includes(g));
      if (bad.length && f.restrictedPicklist) {
        return {
          message: `${f.name}: ${bad.map((b) => `"${b}"`).join(', ')} is not an active value of this restricted picklist`,
          hint: `use one of: ${active.join(', ')}`,
        };
      }
    }
    return undefined;
  }
  if (t === 'boolean') return typeof v === 'boolean' ? undefined : { message: `${f.name} is a checkbox and takes true or false` };
  if (t === 'int') {
    if (typeof v !== 'number' || !Number.isInteger(v)) return { message: `${f.name} takes a whole number` };
    if (f.digits > 0 && String(Math.abs(v)).length > f.digits) return { message: `${f.name} takes at most ${f.digits} digits` };
    return undefined;
  }
  if (NUMBER_TYPES.has(t)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return { message: `${f.name} (${t}) takes a number` };
    if (f.precision > 0) {
      const intDigits = String(Math.trunc(Math.abs(v))).replace(/^0$/, '').length;
      if (intDigits > f.precision - f.scale) return { message: `${f.name} takes at most ${f.precision - f.scale} digits before the decimal point` };
    }
    return undefined;
  }
  if (t === 'date') {
    return typeof v === 'string' && isValidDate(v) ? undefined : { message: `${f.name} takes a date as YYYY-MM-DD`, hint: 'e.g. 2025-03-31' };
  }
  if (t === 'datetime') {
    const ok =
      typeof v === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) &&
      isValidDate(v.slice(0, 10)) &&
      !Number.isNaN(Date.parse(v));
    return ok ? undefined : { message: `${f.name} takes an ISO 8601 datetime with a time zone`, hint: 'e.g. 2025-03-31T14:00:00Z' };
  }
  if (t === 'time') {
    return typeof v === 'string' && /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/.test(v) ? undefined : { message: `${f.name} takes a time as HH:MM:SS.sssZ` };
  }
  if (t === 'reference') {
    if (typeof v !== 'string') return { message: `${f.name} takes a record id` };
    const p = idProblem(v);
    return p ? { message: `${f.name}: ${p}`, hint: `use the id of a ${f.referenceTo.join(' or ') || 'record'}` } : undefined;
  }
  return { message: `${f.name} is a ${t} field, which prepare tools do not set`, hint: 'set it in Salesforce directly' };
}

/** Throws one invalid_input error listing every problem (the first names the field). */
export function throwProblems(problems: Problem[]): void {
  if (problems.length === 0) return;
  const first = problems[0]!;
  const message =
    problems.length === 1 ? `${first.field}: ${first.message}` : `${problems.length} problems: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
  throw new ForcebridgeError('agent.invalid_fields', 'invalid_input', message, {
    field: first.field,
    ...(first.hint ? { hint: first.hint } : {}),
    details: { problems },
  });
}

/** Describe-based checks of `fields` for create or update; returns the fields by their real API names. */
export function checkFields(
  d: ObjectDescribe,
  fields: Record<string, FieldValue>,
  op: 'create' | 'update',
): { fields: Record<string, FieldValue>; problems: Problem[] } {
  const problems: Problem[] = [];
  const out: Record<string, FieldValue> = {};
  for (const [name, v] of Object.entries(fields)) {
    const key = `fields.${name}`;
    const f = findField(d, name);
    if (!f) {
      problems.push({
        field: key,
        message: `${d.name} has no field ${name} that the connection's Salesforce user can see`,
        hint: 'check the API name with describe_object; fields hidden by field-level security cannot be set',
      });
      continue;
    }
    if (f.type === 'id') {
      problems.push({
        field: key,
        message: 'Id is not set through fields',
        hint: op === 'update' ? 'pass the record id as recordId' : 'Salesforce assigns the id',
      });
      continue;
    }
    const writable = op === 'create' ? f.createable : f.updateable;
    if (!writable) {
      problems.push({
        field: key,
        message: `${f.name} cannot be ${op === 'create' ? 'set on create' : 'updated'} by the connection's Salesforce user${f.calculated ? ' (it is calculated)' : ' (read-only field or field-level security)'}`,
        hint: 'leave it out, or ask the Salesforce admin for edit access to the field',
      });
      continue;
    }
    const p = valueProblem(f, v);
    if (p) problems.push({ field: key, ...p });
    else out[f.name] = v;
  }
  if (op === 'create') {
    const given = new Set(Object.keys(fields).map((k) => k.toLowerCase()));
    for (const f of d.fields) {
      const required = f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean' && !f.calculated;
      if (required && !given.has(f.name.toLowerCase()))
        problems.push({ field: `fields.${f.name}`, message: `${f.name} is required to create a ${d.name}`, hint: `add ${f.name} to fields` });
    }
  }
  return { fields: out, problems };
}

/** Refuses an operation the object does not allow for the connection's user. */
export function checkObject(d: ObjectDescribe, op: 'create' | 'update' | 'delete' | 'undelete'): void {
  const allowed = { create: d.createable, update: d.updateable, delete: d.deletable, undelete: d.undeletable }[op];
  if (allowed) return;
  throw new ForcebridgeError('agent.object_not_writable', 'forbidden', `the connection's Salesforce user cannot ${op} ${d.name} records`, {
    field: 'object',
    hint: `ask the Salesforce admin for the "${op === 'update' ? 'Edit' : op === 'create' ? 'Create' : 'Delete'}" permission on ${d.name}, or use a connection whose user has it`,
  });
}
