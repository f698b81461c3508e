/**
 * ORDER BY: resolves the sort fields and sorts rows by precomputed keys (one array per sort field),
 * so a 1M-row sort compares numbers and strings without calling getters inside the comparator.
 * Salesforce's defaults: ascending, nulls first when ascending and last when descending.
 */
import type { OrderByClause } from '@jetstreamapp/soql-parser-js';
import type { ObjectDef, StoredRecord, StoredValue } from '../schema/types.js';
import { errorAt, unsupported } from './errors.js';
import { resolveFieldPath } from './paths.js';
import type { QueryScope } from './scope.js';
import { compareKey, kindOf, type ValueKind } from './values.js';

export interface SortKey<R> {
  get: (row: R) => StoredValue;
  kind: ValueKind;
  desc: boolean;
  nullsFirst: boolean;
}

/** The ORDER BY clauses as a list (the parser gives one object or an array). */
export function orderList(orderBy: OrderByClause | OrderByClause[] | undefined): OrderByClause[] {
  return orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
}

/** Direction and null placement of one clause, with Salesforce's defaults. */
export function direction(o: OrderByClause): { desc: boolean; nullsFirst: boolean } {
  const desc = o.order?.toUpperCase() === 'DESC';
  const nullsFirst = o.nulls ? o.nulls.toUpperCase() === 'FIRST' : !desc;
  return { desc, nullsFirst };
}

/** Compiles the ORDER BY of a record query (fields and relationship fields only). */
export function compileOrder(scope: QueryScope, def: ObjectDef, orderBy: OrderByClause[], alias: string | undefined): SortKey<StoredRecord>[] {
  return orderBy.map((o) => {
    if (!('field' in o)) throw unsupported(`ORDER BY ${o.fn.rawValue ?? o.fn.functionName ?? 'function'} outside an aggregate query`);
    const path = resolveFieldPath(scope, def, o.field, alias);
    if (!path.field.sortable) throw errorAt('INVALID_FIELD', `field '${path.field.name}' can not be sorted in a query call`, scope.soql, o.field);
    return { get: path.get, kind: kindOf(path.field), ...direction(o) };
  });
}

/** Sorts rows by the keys (stable: ties keep their input order). Returns a new array. */
export function sortRows<R>(rows: R[], keys: SortKey<R>[]): R[] {
  if (keys.length === 0 || rows.length < 2) return rows.slice();
  const n = rows.length;
  const cols = keys.map((k) => {
    const col = new Array<string | number | null>(n);
    for (let i = 0; i < n; i++) col[i] = compareKey(k.kind, k.get(rows[i]!));
    return col;
  });
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const dirs = keys.map((k) => (k.desc ? -1 : 1));
  const nullSides = keys.map((k) => (k.nullsFirst ? -1 : 1));
  const m = keys.length;
  idx.sort((a, b) => {
    for (let k = 0; k < m; k++) {
      const col = cols[k]!;
      const x = col[a]!;
      const y = col[b]!;
      if (x === y) continue;
      if (x === null) return nullSides[k]!;
      if (y === null) return -nullSides[k]!;
      return x < y ? -dirs[k]! : dirs[k]!;
    }
    return a - b;
  });
  const out = new Array<R>(n);
  for (let i = 0; i < n; i++) out[i] = rows[idx[i]!]!;
  return out;
}
