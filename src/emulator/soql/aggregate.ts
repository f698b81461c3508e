/**
 * Aggregate queries: COUNT(field), COUNT_DISTINCT, SUM, AVG, MIN, MAX with aliases or Salesforce's
 * `expr0`, `expr1`... names, GROUP BY fields (relationship fields allowed), HAVING and ORDER BY on
 * group fields or aggregates. Results are AggregateResult records (`attributes: {type}` with no url).
 * GROUP BY ROLLUP/CUBE and date functions are refused.
 */
import type { Condition, FieldType as SelectField, FunctionExp, GroupByClause, HavingClause, OrderByClause } from '@jetstreamapp/soql-parser-js';
import { formatDateTime } from '../format.js';
import { field as defineField } from '../schema/define.js';
import type { FieldDef, ObjectDef, StoredRecord, StoredValue } from '../schema/types.js';
import { boolTree, compileBool } from './boolean.js';
import { dateLiteralRange } from './dates.js';
import { errorAt, malformed, unsupported } from './errors.js';
import { keyMatcher, type Key, type Operand } from './matchers.js';
import { direction, sortRows, type SortKey } from './order.js';
import { resolveFieldPath, type ResolvedPath } from './paths.js';
import type { QueryScope } from './scope.js';
import { compareKey, convertLiteral, kindOf, rangeKeys, type ValueKind } from './values.js';

type AggFn = 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';
const AGG_FNS = new Set<string>(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

interface AggSpec {
  fn: AggFn;
  path: ResolvedPath;
}

interface Group {
  values: StoredValue[];
  rows: StoredRecord[];
}

type OutCol = { k: 'group'; key: string; index: number } | { k: 'agg'; key: string; spec: AggSpec };

const COUNT_FIELD = defineField('count', 'int');

/** Whether a SELECT list / GROUP BY makes this an aggregate query. */
export function isAggregateQuery(fields: SelectField[], groupBy: unknown): boolean {
  return groupBy !== undefined || fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn);
}

function aggSpec(scope: QueryScope, def: ObjectDef, fn: string, params: (string | FunctionExp)[] | undefined, alias: string | undefined, raw: string): AggSpec {
  const name = fn.toUpperCase();
  if (!AGG_FNS.has(name)) throw unsupported(`${fn}() in an aggregate query`);
  const arg = params?.[0];
  if (arg === undefined) throw malformed(`${name}() needs a field here: COUNT() must be the only item in the SELECT list`);
  if (typeof arg !== 'string') throw unsupported(`Nested functions in ${name}()`);
  const path = resolveFieldPath(scope, def, arg, alias);
  const kind = kindOf(path.field);
  const numeric = kind === 'number';
  const ok =
    path.field.aggregatable &&
    (name === 'SUM' || name === 'AVG' ? numeric : name === 'MIN' || name === 'MAX' ? kind !== 'boolean' && kind !== 'multi' && kind !== 'compound' : true);
  if (!ok) throw errorAt('MALFORMED_QUERY', `field ${path.field.name} does not support aggregate operator ${name}`, scope.soql, raw);
  return { fn: name as AggFn, path };
}

function compute(spec: AggSpec, rows: StoredRecord[]): StoredValue {
  const get = spec.path.get;
  const kind = kindOf(spec.path.field);
  switch (spec.fn) {
    case 'COUNT': {
      let n = 0;
      for (const r of rows) if (get(r) !== null) n++;
      return n;
    }
    case 'COUNT_DISTINCT': {
      const s = new Set<Key>();
      for (const r of rows) {
        const k = compareKey(kind, get(r));
        if (k !== null) s.add(k);
      }
      return s.size;
    }
    case 'SUM':
    case 'AVG': {
      let sum = 0;
      let n = 0;
      for (const r of rows) {
        const v = get(r);
        if (typeof v === 'number') {
          sum += v;
          n++;
        }
      }
      if (n === 0) return null;
      return spec.fn === 'SUM' ? sum : sum / n;
    }
    case 'MIN':
    case 'MAX': {
      let best: StoredValue = null;
      let bestKey: Key = null;
      for (const r of rows) {
        const v = get(r);
        const k = compareKey(kind, v);
        if (k === null) continue;
        if (bestKey === null || (spec.fn === 'MIN' ? k < bestKey : k > bestKey)) {
          best = v;
          bestKey = k;
        }
      }
      return best;
    }
  }
}

/** The field whose type describes an aggregate's result (for literals and rendering). */
function resultField(spec: AggSpec): FieldDef {
  return spec.fn === 'MIN' || spec.fn === 'MAX' ? spec.path.field : spec.fn === 'SUM' || spec.fn === 'AVG' ? defineField('sum', 'double') : COUNT_FIELD;
}

function json(field: FieldDef, v: StoredValue): unknown {
  if (v === null) return null;
  return field.type === 'datetime' && typeof v === 'number' ? formatDateTime(v) : v;
}

export interface AggregateQuery {
  fields: SelectField[];
  groupBy: GroupByClause | GroupByClause[] | undefined;
  having: HavingClause | undefined;
  orderBy: OrderByClause[];
  limit: number | undefined;
  offset: number;
  alias: string | undefined;
}

/** Runs an aggregate query over already filtered rows; returns rendered AggregateResult records. */
export function runAggregate(scope: QueryScope, def: ObjectDef, q: AggregateQuery, rows: StoredRecord[]): Record<string, unknown>[] {
  const groupClauses = q.groupBy === undefined ? [] : Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy];
  const groupPaths = groupClauses.map((g) => {
    if (!('field' in g)) throw unsupported(`GROUP BY ${g.fn.rawValue ?? g.fn.functionName ?? 'function'}`);
    const p = resolveFieldPath(scope, def, g.field, q.alias);
    if (!p.field.groupable) throw errorAt('MALFORMED_QUERY', `field '${p.field.name}' can not be grouped in a query call`, scope.soql, g.field);
    return p;
  });
  const groupIndex = (canonical: string) => groupPaths.findIndex((p) => p.canonical.toLowerCase() === canonical.toLowerCase());

  let exprN = 0;
  const cols: OutCol[] = [];
  for (const f of q.fields) {
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const text = f.type === 'Field' ? f.field : [...f.relationships, f.field].join('.');
      const p = resolveFieldPath(scope, def, text, q.alias);
      const index = groupIndex(p.canonical);
      if (index < 0) throw malformed(`Field must be grouped or aggregated: ${p.field.name}`);
      cols.push({ k: 'group', key: ('alias' in f && f.alias) || p.field.name, index });
    } else if (f.type === 'FieldFunctionExpression' && f.isAggregateFn) {
      const spec = aggSpec(scope, def, f.functionName, f.parameters, q.alias, f.rawValue ?? f.functionName);
      cols.push({ k: 'agg', key: f.alias ?? `expr${exprN++}`, spec });
    } else {
      throw unsupported(`${f.type === 'FieldFunctionExpression' ? `${f.functionName}()` : f.type} in an aggregate query`);
    }
  }

  const groups = new Map<string, Group>();
  if (groupPaths.length === 0) groups.set('', { values: [], rows });
  else {
    const kinds = groupPaths.map((p) => kindOf(p.field));
    for (const r of rows) {
      const values = groupPaths.map((p) => p.get(r));
      // Grouping is case-insensitive for text, like Salesforce's.
      const key = values.map((v, i) => String(compareKey(kinds[i]!, v))).join('\u0000');
      const g = groups.get(key);
      if (g) g.rows.push(r);
      else groups.set(key, { values, rows: [r] });
    }
  }

  let list = [...groups.values()];
  if (q.having) {
    const tree = boolTree<Condition>(q.having);
    const pred = compileBool<Condition, Group>(tree, (cond) => havingLeaf(scope, def, q, cond, groupIndex));
    list = list.filter(pred);
  }
  if (q.orderBy.length) {
    const keys: SortKey<Group>[] = q.orderBy.map((o) => {
      if ('field' in o) {
        const p = resolveFieldPath(scope, def, o.field, q.alias);
        const index = groupIndex(p.canonical);
        if (index < 0) throw malformed(`Ordered field must be grouped or aggregated: ${p.field.name}`);
        return { get: (g: Group) => g.values[index] ?? null, kind: kindOf(p.field), ...direction(o) };
      }
      const spec = aggSpec(scope, def, o.fn.functionName ?? '', o.fn.parameters, q.alias, o.fn.rawValue ?? '');
      const cache = new Map<Group, StoredValue>();
      return {
        get: (g: Group) => {
          if (!cache.has(g)) cache.set(g, compute(spec, g.rows));
          return cache.get(g) ?? null;
        },
        kind: kindOf(resultField(spec)),
        ...direction(o),
      };
    });
    list = sortRows(list, keys);
  }
  list = list.slice(q.offset, q.limit === undefined ? undefined : q.offset + q.limit);

  return list.map((g) => {
    const out: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const c of cols) {
      if (c.k === 'group') out[c.key] = json(groupPaths[c.index]!.field, g.values[c.index] ?? null);
      else out[c.key] = json(resultField(c.spec), compute(c.spec, g.rows));
    }
    return out;
  });
}

function havingLeaf(scope: QueryScope, def: ObjectDef, q: AggregateQuery, cond: Condition, groupIndex: (c: string) => number): (g: Group) => boolean {
  let get: (g: Group) => StoredValue;
  let field: FieldDef;
  let raw: string;
  if ('fn' in cond) {
    const spec = aggSpec(scope, def, cond.fn.functionName ?? '', cond.fn.parameters, q.alias, cond.fn.rawValue ?? '');
    get = (g) => compute(spec, g.rows);
    field = resultField(spec);
    raw = cond.fn.rawValue ?? '';
    // COUNT() compares as a number whatever it counts.
    if (spec.fn === 'COUNT' || spec.fn === 'COUNT_DISTINCT') field = COUNT_FIELD;
  } else if ('field' in cond) {
    const p = resolveFieldPath(scope, def, cond.field, q.alias);
    const index = groupIndex(p.canonical);
    if (index < 0) throw malformed(`Field must be grouped or aggregated: ${p.field.name}`);
    get = (g) => g.values[index] ?? null;
    field = p.field;
    raw = cond.field;
  } else {
    throw unsupported('This HAVING clause form');
  }
  const kind: ValueKind = kindOf(field);
  const values = Array.isArray(cond.value) ? cond.value : [cond.value];
  const types = Array.isArray(cond.literalType) ? cond.literalType : values.map(() => cond.literalType as string | undefined);
  const operands: Operand[] = values.map((v, i) => {
    const lt = (types[i] ?? '').toUpperCase();
    if (lt === 'DATE_LITERAL' || lt === 'DATE_N_LITERAL') {
      const range = dateLiteralRange(v, scope.now);
      if (!range || (kind !== 'date' && kind !== 'datetime')) throw unsupported(`Date literal ${v} here`);
      const [lo, hi] = rangeKeys(kind, range.startMs, range.endMs);
      return { k: 'range', lo, hi };
    }
    const c = convertLiteral(field, kind, v, types[i]);
    if (!c.ok) throw errorAt('MALFORMED_QUERY', c.message, scope.soql, raw);
    return { k: 'point', key: c.key };
  });
  const operator = cond.operator.toUpperCase();
  if (operator === 'LIKE' || operator === 'INCLUDES' || operator === 'EXCLUDES') throw unsupported(`${operator} in HAVING`);
  const match = keyMatcher(operator, operands);
  return (g) => match(compareKey(kind, get(g)));
}
