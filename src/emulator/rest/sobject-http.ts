/**
 * HTTP-side helpers shared by the record resources (`/sobjects`, `/composite/sobjects`,
 * `/composite`): the caller's DML context, object resolution, field lists and record rendering.
 */
import type { Context } from 'hono';
import { MSG } from '../data/validate.js';
import type { EmuEnv } from '../http/env.js';
import { notFound, SfHttpError } from '../http/respond.js';
import type { Org } from '../org.js';
import { fieldAccess, objectAccess, visibleFields, type Principal } from '../perms/access.js';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import type { DmlContext, Journal } from './dml.js';

/**
 * Journals of composite subrequests, keyed by the synthetic Request the composite handler
 * dispatches: writes made by a subrequest land in its parent's journal so `allOrNone` can undo them.
 */
export const subrequestJournals = new WeakMap<Request, Journal>();

/** The DML context of a REST call. */
export function dmlContext(c: Context<EmuEnv>, org: Org): DmlContext {
  const journal = subrequestJournals.get(c.req.raw);
  return { org, principal: c.get('principal'), apiVersion: c.get('apiVersion'), ...(journal ? { journal } : {}) };
}

/** The object named in a URL; unknown or unreadable objects are 404 `NOT_FOUND` as on Salesforce. */
export function requireObject(org: Org, principal: Principal, name: string): ObjectDef {
  const def = org.schema.get(name);
  if (!def || !objectAccess(principal, def).read) throw notFound();
  return def;
}

/**
 * Fields named in a `fields=a,b` list (or a JSON array), checked against FLS; unknown or hidden
 * names are 400 `INVALID_FIELD` with SOQL's message (Salesforce answers these through SOQL).
 * An empty list means every visible field.
 */
export function fieldList(principal: Principal, def: ObjectDef, names: readonly string[] | string | undefined, org: Org): FieldDef[] {
  const list = (typeof names === 'string' ? names.split(',') : (names ?? [])).map((n) => n.trim()).filter((n) => n !== '');
  if (list.length === 0) return visibleFields(principal, def);
  const out: FieldDef[] = [];
  for (const n of list) {
    const f = org.schema.field(def.name, n);
    if (!f || fieldAccess(principal, def, f) === 'hidden') throw SfHttpError.of(400, 'INVALID_FIELD', MSG.noSuchColumnQuery(n, def.name));
    if (!out.includes(f)) out.push(f);
  }
  return out;
}
