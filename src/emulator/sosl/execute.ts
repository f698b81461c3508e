/**
 * Runs a search over the org for one caller: which objects and fields are searched (IN … FIELDS,
 * field-level security), which records are visible (sharing), WHERE / ORDER BY / LIMIT / OFFSET
 * per RETURNING entry (WHERE and ORDER BY through the SOQL executor's compilers), and the records
 * rendered like query records (`attributes` + requested fields, `Id` by default).
 */
import { MSG } from '../data/validate.js';
import { SfHttpError } from '../http/respond.js';
import type { Org } from '../org.js';
import { fieldAccess, objectAccess, type Principal } from '../perms/access.js';
import { attributes, jsonValue } from '../rest/record-json.js';
import type { FieldDef, ObjectDef, StoredRecord } from '../schema/types.js';
import { compileOrder, orderList, sortRows, type SortKey } from '../soql/order.js';
import { parseSoql } from '../soql/parse.js';
import { QueryScope } from '../soql/scope.js';
import { compileWhere, type RowPredicate } from '../soql/where.js';
import { compileTerms, phoneTokens, tokenize, type SearchDoc } from './match.js';
import { malformedSearch, type ReturningSpec, type SearchGroup, type TermExpr } from './parse.js';

/** Salesforce returns at most 2,000 search results per call. */
export const MAX_SEARCH_RESULTS = 2000;

export interface SearchRequest {
  search: TermExpr;
  in: SearchGroup;
  /** Empty: every searchable object the caller can read, returning Id. */
  returning: ReturningSpec[];
  /** Overall cap (≤ 2000). */
  limit?: number;
  /** Per-object cap when an entry has none (parameterizedSearch `defaultLimit`). */
  defaultLimit?: number;
}

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'picklist', 'multipicklist', 'combobox', 'url']);
const PERSON_NAME_FIELDS = new Set(['FirstName', 'LastName', 'Name']);

/** Fields of `def` searched for a group, among those the caller can see. */
function searchedFields(principal: Principal, def: ObjectDef, group: SearchGroup): FieldDef[] {
  return def.fields.filter((f) => {
    if (!TEXT_TYPES.has(f.type) || fieldAccess(principal, def, f) === 'hidden') return false;
    switch (group) {
      case 'NAME':
        return f.nameField || PERSON_NAME_FIELDS.has(f.name);
      case 'EMAIL':
        return f.type === 'email';
      case 'PHONE':
        return f.type === 'phone';
      default:
        return true;
    }
  });
}

/** One output column: a field of the object, or a field of a parent through a lookup. */
type Column = { kind: 'field'; field: FieldDef } | { kind: 'parent'; lookup: FieldDef; rel: string; parentDef: ObjectDef; field: FieldDef };

function columns(org: Org, principal: Principal, def: ObjectDef, names: string[]): Column[] {
  const list = names.length ? names : ['Id'];
  return list.map((name) => {
    const [first, second] = name.split('.');
    if (second === undefined) {
      const f = org.schema.field(def.name, first!);
      if (!f || fieldAccess(principal, def, f) === 'hidden') throw SfHttpError.of(400, 'INVALID_FIELD', MSG.noSuchColumnQuery(name, def.name));
      return { kind: 'field', field: f };
    }
    const lookup = org.schema.relationshipField(def.name, first!);
    const parentDef = lookup ? org.schema.get(lookup.referenceTo[0] ?? '') : undefined;
    const f = parentDef ? org.schema.field(parentDef.name, second) : undefined;
    if (!lookup || !parentDef || !f || fieldAccess(principal, def, lookup) === 'hidden' || fieldAccess(principal, parentDef, f) === 'hidden') {
      throw SfHttpError.of(400, 'INVALID_FIELD', MSG.noSuchColumnQuery(name, def.name));
    }
    return { kind: 'parent', lookup, rel: lookup.relationshipName ?? first!, parentDef, field: f };
  });
}

function render(scope: QueryScope, def: ObjectDef, rec: StoredRecord, cols: Column[], apiVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributes(def, rec.Id as string, apiVersion) };
  for (const col of cols) {
    if (col.kind === 'field') {
      out[col.field.name] = jsonValue(col.field, rec);
      continue;
    }
    const parent = scope.parent(rec, col.lookup.name);
    if (!parent) {
      out[col.rel] = null;
      continue;
    }
    const nested = (out[col.rel] as Record<string, unknown> | null | undefined) ?? { attributes: attributes(parent.def, parent.rec.Id as string, apiVersion) };
    nested[col.field.name] = jsonValue(col.field, parent.rec);
    out[col.rel] = nested;
  }
  return out;
}

/**
 * WHERE and ORDER BY of a RETURNING entry, compiled by the SOQL executor from a synthetic query.
 * SOQL syntax errors come back as MALFORMED_SEARCH (the caret would point into text the caller
 * never wrote); field errors keep their SOQL codes.
 */
function filters(scope: QueryScope, def: ObjectDef, spec: ReturningSpec): { where?: RowPredicate; order: SortKey<StoredRecord>[] } {
  if (spec.where === undefined && spec.orderBy.length === 0) return { order: [] };
  const order = spec.orderBy.map((o) => `${o.field} ${o.descending ? 'DESC' : 'ASC'} NULLS ${o.nullsLast ? 'LAST' : 'FIRST'}`).join(', ');
  const soql = `SELECT Id FROM ${def.name}${spec.where !== undefined ? ` WHERE ${spec.where}` : ''}${order ? ` ORDER BY ${order}` : ''}`;
  let query;
  try {
    query = parseSoql(soql);
  } catch (e) {
    if (e instanceof SfHttpError && e.errors[0]?.errorCode === 'MALFORMED_QUERY') {
      const last = e.errors[0].message.trim().split('\n').pop() ?? '';
      throw malformedSearch(`invalid WHERE or ORDER BY in RETURNING ${spec.object}: ${last}`);
    }
    throw e;
  }
  return {
    ...(query.where ? { where: compileWhere(scope.org, scope.principal, def, query.where) } : {}),
    order: compileOrder(scope, def, orderList(query.orderBy), undefined),
  };
}

/** The objects searched and their RETURNING entries. */
function targets(org: Org, principal: Principal, req: SearchRequest): { def: ObjectDef; spec: ReturningSpec }[] {
  if (req.returning.length === 0) {
    return org.schema
      .all()
      .filter((d) => d.flags.searchable && d.flags.queryable && objectAccess(principal, d).read)
      .map((def) => ({ def, spec: { object: def.name, fields: [], orderBy: [] } }));
  }
  const seen = new Set<string>();
  return req.returning.map((spec) => {
    const def = org.schema.get(spec.object);
    if (!def || !def.flags.searchable || !objectAccess(principal, def).read) {
      throw SfHttpError.of(400, 'INVALID_TYPE', `sObject type '${spec.object}' is not supported.`);
    }
    if (seen.has(def.name)) throw malformedSearch(`duplicate entity ${def.name} in RETURNING`);
    seen.add(def.name);
    return { def, spec };
  });
}

/** Searches the org; records in RETURNING order, each object's rows filtered, sorted and capped. */
export function runSearch(org: Org, principal: Principal, apiVersion: string, req: SearchRequest): Record<string, unknown>[] {
  const scope = new QueryScope(org, principal, undefined);
  const matches = compileTerms(req.search);
  const overall = Math.min(req.limit ?? MAX_SEARCH_RESULTS, MAX_SEARCH_RESULTS);
  const planned = targets(org, principal, req).map(({ def, spec }) => ({
    def,
    spec,
    cols: columns(org, principal, def, spec.fields),
    searched: searchedFields(principal, def, req.in),
    ...filters(scope, def, spec),
  }));

  const out: Record<string, unknown>[] = [];
  for (const t of planned) {
    if (out.length >= overall) break;
    let rows: StoredRecord[] = [];
    for (const rec of org.data.table(t.def.name).live()) {
      if (!scope.canSee(t.def, rec)) continue;
      const doc: SearchDoc = [];
      for (const f of t.searched) {
        const v = rec[f.name];
        if (typeof v === 'string' && v !== '') doc.push(f.type === 'phone' ? phoneTokens(v) : tokenize(v));
      }
      if (doc.length === 0 || !matches(doc)) continue;
      if (t.where && !t.where(rec)) continue;
      rows.push(rec);
    }
    rows = sortRows(rows, t.order);
    const offset = t.spec.offset ?? 0;
    const limit = t.spec.limit ?? req.defaultLimit ?? overall;
    for (const rec of rows.slice(offset, offset + limit)) {
      if (out.length >= overall) break;
      out.push(render(scope, t.def, rec, t.cols, apiVersion));
    }
  }
  return out;
}
