/**
 * Storage form → Salesforce JSON. Every place that returns records (query, sObject GET, search,
 * collections retrieve) renders values through here so formats agree everywhere.
 */
import { formatDateTime } from '../format.js';
import type { FieldDef, ObjectDef, StoredRecord, StoredValue } from '../schema/types.js';

/** The value of a field on a record in storage form, computing formula fields. */
export function readValue(f: FieldDef, rec: StoredRecord): StoredValue {
  if (f.compute) return f.compute(rec);
  const v = rec[f.name];
  return v === undefined ? null : v;
}

/** `attributes` of a record: `{type, url}`. */
export function attributes(def: ObjectDef, id: string | null, apiVersion: string): { type: string; url?: string } {
  return id ? { type: def.name, url: `/services/data/v${apiVersion}/sobjects/${def.name}/${id}` } : { type: def.name };
}

/** One field's JSON value: datetimes as `2013-05-20T20:49:32.000+0000`, compounds as objects. */
export function jsonValue(f: FieldDef, rec: StoredRecord): unknown {
  if (f.type === 'address' || f.type === 'location') return compoundValue(f, rec);
  const v = readValue(f, rec);
  if (v === null) return null;
  if (f.type === 'datetime' && typeof v === 'number') return formatDateTime(v);
  return v;
}

function compoundValue(f: FieldDef, rec: StoredRecord): unknown {
  const parts = f.components ?? {};
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, fieldName] of Object.entries(parts)) {
    const v = rec[fieldName];
    out[key] = v === undefined ? null : v;
    if (v !== undefined && v !== null) any = true;
  }
  return any ? out : null;
}

/** A record as REST returns it: `attributes` then the given fields in order. */
export function recordJson(def: ObjectDef, rec: StoredRecord, fields: readonly FieldDef[], apiVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributes(def, rec.Id as string, apiVersion) };
  for (const f of fields) out[f.name] = jsonValue(f, rec);
  return out;
}
