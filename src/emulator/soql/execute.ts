/**
 * The SOQL executor: parse → check permissions → filter → sort → slice, once per query. The result
 * keeps the row list so callers (REST locators, Bulk result pages) render only the rows they serve.
 *
 * Anything the emulator does not implement is refused with MALFORMED_QUERY naming it; it never
 * answers a query it does not understand.
 */
import type { FieldType as SelectField, Query } from '@jetstreamapp/soql-parser-js';
import { SfHttpError } from '../http/respond.js';
import type { Org } from '../org.js';
import type { Principal } from '../perms/access.js';
import type { ObjectDef, StoredRecord } from '../schema/types.js';
import { isAggregateQuery, runAggregate } from './aggregate.js';
import { BULK_ERROR_CODE, BULK_MESSAGES, bulkRefusal } from './bulk-rules.js';
import { invalidType, malformed, unsupported } from './errors.js';
import { compileOrder, orderList, sortRows } from './order.js';
import { parseSoql } from './parse.js';
import { QueryScope } from './scope.js';
import { childRowCount, compileProjection, flatRecord, renderRecord } from './select.js';
import type { PreparedQuery, QueryOptions } from './types.js';
import { compileWhereIn, type RowPredicate } from './where.js';

/** Salesforce's OFFSET ceiling. */
export const MAX_OFFSET = 2000;
/** FIELDS(ALL) / FIELDS(CUSTOM) need a LIMIT of at most this. */
export const FIELDS_LIMIT = 200;

function isCountOnly(fields: SelectField[]): boolean {
  const countStar = (f: SelectField) => f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT' && f.parameters.length === 0;
  if (!fields.some(countStar)) return false;
  if (fields.length > 1) throw malformed('COUNT() must be the only element in the SELECT list');
  return true;
}

/** The root object, if it exists, is queryable and readable by the caller; else INVALID_TYPE. */
function rootObject(scope: QueryScope, q: Query): ObjectDef {
  const name = q.sObject ?? '';
  const def = scope.org.schema.get(name);
  if (!def || !def.flags.queryable || !scope.canReadObject(def)) throw invalidType(scope.soql, name);
  return def;
}

/** Clauses accepted with no effect on results, or refused. */
function checkClauses(q: Query): void {
  if (q.withDataCategory) throw unsupported('WITH DATA CATEGORY');
  if (q.for?.toUpperCase() === 'UPDATE') throw malformed('FOR UPDATE is not allowed in this context (Apex only)');
  const scope = q.usingScope?.toLowerCase();
  if (scope && scope !== 'everything' && scope !== 'mine') throw unsupported(`USING SCOPE ${q.usingScope}`);
  if (q.offset !== undefined && q.offset > MAX_OFFSET) {
    throw SfHttpError.of(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }
}

/** Visible, matching root rows in table order; stops early when `stopAfter` rows are found. */
function scan(scope: QueryScope, def: ObjectDef, q: Query, pred: RowPredicate | undefined, stopAfter: number): StoredRecord[] {
  const all = scope.seesAll(def);
  const includeDeleted = scope.includeDeleted;
  const mineOnly = q.usingScope?.toLowerCase() === 'mine';
  if (mineOnly && !def.fields.some((f) => f.name === 'OwnerId')) throw malformed(`USING SCOPE Mine needs an owned object; ${def.name} has no OwnerId`);
  const me = scope.principal.userId;
  const out: StoredRecord[] = [];
  for (const rec of scope.org.data.table(def.name).rows.values()) {
    if (rec.IsDeleted === true && !includeDeleted) continue;
    if (!all && !scope.canSee(def, rec)) continue;
    if (mineOnly && rec.OwnerId !== me) continue;
    if (pred && !pred(rec)) continue;
    out.push(rec);
    if (out.length >= stopAfter) break;
  }
  return out;
}

/** FOR VIEW / FOR REFERENCE stamp LastViewedDate / LastReferencedDate where the object has them. */
function trackViews(scope: QueryScope, def: ObjectDef, q: Query, rows: StoredRecord[]): void {
  const kind = q.for?.toUpperCase();
  if (kind !== 'VIEW' && kind !== 'REFERENCE') return;
  const has = (n: string) => def.fields.some((f) => f.name === n);
  const stamp = [...(kind === 'VIEW' && has('LastViewedDate') ? ['LastViewedDate'] : []), ...(has('LastReferencedDate') ? ['LastReferencedDate'] : [])];
  if (stamp.length === 0) return;
  for (const r of rows) for (const n of stamp) r[n] = scope.now;
}

/**
 * Parses, checks and runs a SOQL query for `principal`. Throws SfHttpError with Salesforce's codes:
 * MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, INVALID_QUERY_FILTER_OPERATOR,
 * NUMBER_OUTSIDE_VALID_RANGE (and Bulk's refusals in `mode: 'bulk'`).
 */
export function prepareQuery(org: Org, principal: Principal, soql: string, opts: QueryOptions): PreparedQuery {
  const q = parseSoql(soql);
  const scope = new QueryScope(org, principal, soql, opts.includeDeleted);
  const def = rootObject(scope, q);
  const fields = q.fields ?? [];
  const countOnly = isCountOnly(fields);
  const aggregate = !countOnly && isAggregateQuery(fields, q.groupBy);
  checkClauses(q);
  const alias = q.sObjectAlias;
  const orderBy = orderList(q.orderBy);
  const offset = q.offset ?? 0;

  if (opts.mode === 'bulk') {
    const refusal = bulkRefusal(def, q, countOnly, aggregate);
    if (refusal) throw refusal;
  }

  if (countOnly || aggregate) {
    if (countOnly && (q.groupBy || q.having)) throw unsupported('COUNT() with GROUP BY');
    const pred = q.where ? compileWhereIn(scope, def, q.where, alias) : undefined;
    const rows = scan(scope, def, q, pred, Infinity);
    if (countOnly) {
      const total = Math.max(0, Math.min(rows.length - offset, q.limit ?? Infinity));
      return result(def, { countOnly: true, aggregate: false, totalSize: total, columns: [], rows: [] });
    }
    const records = runAggregate(scope, def, { fields, groupBy: q.groupBy, having: q.having, orderBy, limit: q.limit, offset, alias }, rows);
    return result(def, { countOnly: false, aggregate: true, totalSize: records.length, columns: [], rows: [], recordJson: (i) => records[i]! });
  }

  if (q.having) throw malformed('HAVING requires GROUP BY or an aggregate function');
  const projection = compileProjection(scope, def, fields, alias);
  if (projection.unboundedFields && (q.limit === undefined || q.limit > FIELDS_LIMIT)) {
    throw malformed(`The SOQL FIELDS function must have a LIMIT of at most ${FIELDS_LIMIT}`);
  }
  if (opts.mode === 'bulk') {
    if (projection.hasCompound) throw SfHttpError.of(400, BULK_ERROR_CODE, BULK_MESSAGES.compound);
  }
  const pred = q.where ? compileWhereIn(scope, def, q.where, alias) : undefined;
  const order = compileOrder(scope, def, orderBy, alias);
  const stopAfter = order.length === 0 && q.limit !== undefined ? offset + q.limit : Infinity;
  let rows = sortRows(scan(scope, def, q, pred, stopAfter), order);
  if (offset || q.limit !== undefined) rows = rows.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
  trackViews(scope, def, q, rows);

  const items = projection.items;
  return result(def, {
    countOnly: false,
    aggregate: false,
    totalSize: rows.length,
    columns: projection.columns.map((c) => c.name),
    rows,
    recordJson: (i) => renderRecord(scope, items, def, rows[i]!, opts.apiVersion),
    flatRow: (i) => flatRecord(projection.columns, rows[i]!),
    ...(projection.hasChildren ? { childRowCount: (i: number) => childRowCount(items, rows[i]!) } : {}),
  });
}

function result(def: ObjectDef, p: Partial<PreparedQuery> & Pick<PreparedQuery, 'countOnly' | 'aggregate' | 'totalSize' | 'columns' | 'rows'>): PreparedQuery {
  const none = (what: string) => () => {
    throw new Error(`${what} is not available for this query`);
  };
  return { object: def, recordJson: none('recordJson'), flatRow: none('flatRow'), ...p };
}
