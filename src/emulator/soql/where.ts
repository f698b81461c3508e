/**
 * WHERE clauses compiled into one row predicate: field paths, literals and operators are resolved
 * and checked once, so evaluating a row is a few property reads and comparisons.
 *
 * Exported for SOSL (`RETURNING Account(Id WHERE ...)`) through `compileWhere`.
 */
import type { Condition, Query, ValueQueryCondition, WhereClause } from '@jetstreamapp/soql-parser-js';
import type { Org } from '../org.js';
import type { Principal } from '../perms/access.js';
import type { ObjectDef, StoredRecord } from '../schema/types.js';
import { boolTree, compileBool } from './boolean.js';
import { dateLiteralRange } from './dates.js';
import { errorAt, invalidType, unsupported } from './errors.js';
import { keyMatcher, likeRegex, multiMatcher, type Key, type Operand } from './matchers.js';
import { resolveFieldPath, type ResolvedPath } from './paths.js';
import { QueryScope } from './scope.js';
import { compareKey, convertLiteral, kindOf, rangeKeys, unquote, type ValueKind } from './values.js';

export type RowPredicate = (rec: StoredRecord) => boolean;

export interface CompileWhereOptions {
  /** Query text, for caret positions in errors. */
  soql?: string;
  /** Alias of the object in FROM (`FROM Account a` → `a.Name`). */
  alias?: string;
  /** Whether semi-join subqueries see soft-deleted rows (queryAll). */
  includeDeleted?: boolean;
}

/**
 * Compiles a parsed WHERE clause on `def` for `principal` into a predicate. Throws SfHttpError with
 * Salesforce's codes (INVALID_FIELD, MALFORMED_QUERY, INVALID_QUERY_FILTER_OPERATOR) for bad input.
 */
export function compileWhere(org: Org, principal: Principal, def: ObjectDef, where: WhereClause, opts: CompileWhereOptions = {}): RowPredicate {
  return compileWhereIn(new QueryScope(org, principal, opts.soql, opts.includeDeleted ?? false), def, where, opts.alias);
}

/** compileWhere for callers that already hold a QueryScope. */
export function compileWhereIn(scope: QueryScope, def: ObjectDef, where: WhereClause, alias: string | undefined): RowPredicate {
  const tree = boolTree<Condition | ValueQueryCondition>(where);
  return compileBool<Condition | ValueQueryCondition, StoredRecord>(tree, (cond) => compileCondition(scope, def, cond, alias));
}

function filterError(scope: QueryScope, code: string, message: string, raw: string): never {
  throw errorAt(code, message, scope.soql, raw);
}

function compileCondition(scope: QueryScope, def: ObjectDef, cond: Condition | ValueQueryCondition, alias: string | undefined): RowPredicate {
  if ('fn' in cond) throw unsupported(`Function ${cond.fn.rawValue ?? cond.fn.functionName ?? ''} in WHERE`);
  if (!('field' in cond)) throw unsupported('This WHERE clause form');
  const path = resolveFieldPath(scope, def, cond.field, alias);
  const f = path.field;
  const kind = kindOf(f);
  if (!f.filterable || kind === 'compound') filterError(scope, 'INVALID_FIELD', `field '${f.name}' can not be filtered in a query call`, cond.field);
  const operator = cond.operator.toUpperCase();
  if ('valueQuery' in cond) return semiJoin(scope, path, operator, cond.valueQuery, cond.field);
  const values = Array.isArray(cond.value) ? cond.value : [cond.value];
  const types = Array.isArray(cond.literalType) ? cond.literalType : values.map(() => cond.literalType as string | undefined);
  const get = path.get;

  if (operator === 'INCLUDES' || operator === 'EXCLUDES' || (kind === 'multi' && operator !== 'LIKE')) {
    if (kind !== 'multi') {
      filterError(scope, 'INVALID_QUERY_FILTER_OPERATOR', 'INCLUDES or EXCLUDES operator only valid on multipicklist field', cond.field);
    }
    const texts = values.map((v, i) => {
      if ((types[i] ?? '').toUpperCase() !== 'STRING') filterError(scope, 'MALFORMED_QUERY', literalMessage(path, 'string'), cond.field);
      return unquote(v).toLowerCase();
    });
    const match = multiMatcher(operator, texts);
    return (rec) => match(compareKey('multi', get(rec)));
  }

  if (operator === 'LIKE') {
    if (kind !== 'string') {
      filterError(scope, 'INVALID_QUERY_FILTER_OPERATOR', `invalid operator on ${kind === 'id' ? 'id' : kind} field: ${f.name}`, cond.field);
    }
    if ((types[0] ?? '').toUpperCase() !== 'STRING') filterError(scope, 'MALFORMED_QUERY', literalMessage(path, 'string'), cond.field);
    const re = likeRegex(unquote(values[0] ?? "''"));
    return (rec) => {
      const v = get(rec);
      return v !== null && re.test(String(v));
    };
  }

  const operands = values.map((v, i) => operand(scope, path, kind, v, types[i], cond.field));
  const match = keyMatcher(operator, operands);
  if (kind === 'string') {
    return (rec) => {
      const v = get(rec);
      return match(v === null ? null : String(v).toLowerCase());
    };
  }
  return (rec) => match(compareKey(kind, get(rec)) as Key);
}

function literalMessage(path: ResolvedPath, type: string): string {
  const quote = type === 'string' || type === 'id' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  return `value of filter criterion for field '${path.field.name}' must be of type ${type} and ${quote}`;
}

function operand(scope: QueryScope, path: ResolvedPath, kind: ValueKind, value: string, literalType: string | undefined, raw: string): Operand {
  const lt = (literalType ?? '').toUpperCase();
  if (lt === 'DATE_LITERAL' || lt === 'DATE_N_LITERAL') {
    if (kind !== 'date' && kind !== 'datetime') {
      filterError(scope, 'MALFORMED_QUERY', literalMessage(path, kind === 'number' ? 'double' : kind), raw);
    }
    const range = dateLiteralRange(value, scope.now);
    if (!range) throw unsupported(`Date literal ${value}`);
    const [lo, hi] = rangeKeys(kind, range.startMs, range.endMs);
    return { k: 'range', lo, hi };
  }
  if (lt.includes('CURRENCY')) throw unsupported('Currency-prefixed literals (multi-currency)');
  if (lt === 'APEX_BIND_VARIABLE') throw unsupported('Apex bind variables');
  const converted = convertLiteral(path.field, kind, value, literalType);
  if (!converted.ok) {
    const code = converted.message.startsWith('invalid ID') ? 'INVALID_QUERY_FILTER_OPERATOR' : 'MALFORMED_QUERY';
    filterError(scope, code, converted.message, raw);
  }
  return { k: 'point', key: converted.key };
}

/**
 * `Id IN (SELECT AccountId FROM Contact WHERE ...)`: the inner query runs once, with the caller's
 * permissions, and the outer condition becomes a set lookup.
 */
function semiJoin(scope: QueryScope, path: ResolvedPath, operator: string, inner: Query, raw: string): RowPredicate {
  if (operator !== 'IN' && operator !== 'NOT IN') {
    filterError(scope, 'MALFORMED_QUERY', `semi join sub-selects are only allowed with IN and NOT IN`, raw);
  }
  if (path.field.type !== 'id' && path.field.type !== 'reference') {
    filterError(scope, 'MALFORMED_QUERY', `semi join sub-selects can only be used on Id and reference fields`, raw);
  }
  const innerName = inner.sObject ?? '';
  const innerDef = scope.org.schema.get(innerName);
  if (!innerDef || !innerDef.flags.queryable || !scope.canReadObject(innerDef)) throw invalidType(scope.soql, innerName);
  const fields = inner.fields ?? [];
  const only = fields[0];
  if (fields.length !== 1 || !only || (only.type !== 'Field' && only.type !== 'FieldRelationship')) {
    filterError(scope, 'MALFORMED_QUERY', 'semi join sub-selects must select exactly one Id or reference field', raw);
  }
  const innerPathText = only.type === 'Field' ? only.field : [...only.relationships, only.field].join('.');
  const innerPath = resolveFieldPath(scope, innerDef, innerPathText, inner.sObjectAlias);
  if (innerPath.field.type !== 'id' && innerPath.field.type !== 'reference') {
    filterError(scope, 'MALFORMED_QUERY', 'semi join sub-selects must select exactly one Id or reference field', innerPathText);
  }
  if (inner.groupBy || inner.having || inner.orderBy || inner.offset !== undefined) {
    throw unsupported('GROUP BY, HAVING, ORDER BY and OFFSET in semi join sub-selects');
  }
  const pred = inner.where ? compileWhereIn(scope, innerDef, inner.where, inner.sObjectAlias) : undefined;
  const ids = new Set<Key>();
  let n = 0;
  for (const rec of scope.org.data.table(innerDef.name).rows.values()) {
    if (rec.IsDeleted === true) continue;
    if (!scope.canSee(innerDef, rec)) continue;
    if (pred && !pred(rec)) continue;
    if (inner.limit !== undefined && n++ >= inner.limit) break;
    const v = innerPath.get(rec);
    if (typeof v === 'string') ids.add(v);
  }
  const get = path.get;
  return operator === 'IN' ? (rec) => ids.has(get(rec) as Key) : (rec) => !ids.has(get(rec) as Key);
}
