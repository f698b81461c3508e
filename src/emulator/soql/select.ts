/**
 * The SELECT list of a record query (not aggregate): fields, relationship fields at any depth,
 * FIELDS(ALL|STANDARD|CUSTOM), toLabel() and child subqueries, compiled into
 * - a JSON tree (parents nested under their relationship name with their own `attributes`,
 *   children as `{totalSize, done, records}` or null), and
 * - flat columns in SELECT order (relationship fields dotted) for Bulk CSV.
 */
import type { FieldType as SelectField, Subquery } from '@jetstreamapp/soql-parser-js';
import { formatDateTimeZ } from '../format.js';
import { visibleFields } from '../perms/access.js';
import { attributes, jsonValue } from '../rest/record-json.js';
import type { FieldDef, ObjectDef, StoredRecord, StoredValue } from '../schema/types.js';
import { errorAt, malformed, unsupported } from './errors.js';
import { compileOrder, orderList, sortRows, type SortKey } from './order.js';
import { readOn, resolveFieldPath, type ResolvedPath } from './paths.js';
import type { QueryScope } from './scope.js';
import { compileWhereIn, type RowPredicate } from './where.js';

interface FieldItem {
  k: 'field';
  key: string;
  field: FieldDef;
  /** toLabel(): render the picklist label instead of the value. */
  label: boolean;
  /** Look the field up on the row's actual object (below a polymorphic lookup). */
  poly: boolean;
}
interface ParentItem {
  k: 'parent';
  key: string;
  lookup: string;
  items: Item[];
}
interface ChildItem {
  k: 'child';
  key: string;
  child: ChildQuery;
}
type Item = FieldItem | ParentItem | ChildItem;

/** One flat output column (Bulk CSV). */
export interface Column {
  name: string;
  path: ResolvedPath;
  label: boolean;
}

export interface Projection {
  items: Item[];
  columns: Column[];
  /** Whether the SELECT contains child subqueries (Bulk refuses them). */
  hasChildren: boolean;
  /** Whether the SELECT contains compound (address/location) fields (Bulk refuses them). */
  hasCompound: boolean;
  /** Whether FIELDS(ALL) or FIELDS(CUSTOM) was used (needs LIMIT ≤ 200). */
  unboundedFields: boolean;
}

/** Child records of one subquery for a parent, computed for all parents on first use. */
export class ChildQuery {
  private index: Map<string, StoredRecord[]> | undefined;

  constructor(
    private readonly scope: QueryScope,
    readonly def: ObjectDef,
    private readonly lookupField: string,
    readonly projection: Projection,
    private readonly where: RowPredicate | undefined,
    private readonly order: SortKey<StoredRecord>[],
    private readonly limit: number | undefined,
    private readonly offset: number,
  ) {}

  /** Visible, matching child rows of a parent, sorted and limited. */
  rowsFor(parentId: string): StoredRecord[] {
    if (!this.index) this.index = this.build();
    return this.index.get(parentId) ?? [];
  }

  private build(): Map<string, StoredRecord[]> {
    const groups = new Map<string, StoredRecord[]>();
    for (const rec of this.scope.org.data.table(this.def.name).rows.values()) {
      if (rec.IsDeleted === true && !this.scope.includeDeleted) continue;
      const parentId = rec[this.lookupField];
      if (typeof parentId !== 'string') continue;
      if (!this.scope.canSee(this.def, rec)) continue;
      if (this.where && !this.where(rec)) continue;
      const list = groups.get(parentId);
      if (list) list.push(rec);
      else groups.set(parentId, [rec]);
    }
    for (const [id, list] of groups) {
      let rows = sortRows(list, this.order);
      if (this.offset || this.limit !== undefined) rows = rows.slice(this.offset, this.limit === undefined ? undefined : this.offset + this.limit);
      groups.set(id, rows);
    }
    return groups;
  }
}

/** The path text of a Field / FieldRelationship select entry. */
function pathText(f: SelectField): string | undefined {
  if (f.type === 'Field') return f.field;
  if (f.type === 'FieldRelationship') return [...f.relationships, f.field].join('.');
  return undefined;
}

/** Compiles a SELECT list of a record query on `def`. */
export function compileProjection(scope: QueryScope, def: ObjectDef, fields: SelectField[], alias: string | undefined, depth = 0): Projection {
  const proj: Projection = { items: [], columns: [], hasChildren: false, hasCompound: false, unboundedFields: false };
  const seen = new Set<string>();
  const add = (path: ResolvedPath, label: boolean, key: string | undefined, fromFieldsFn: boolean): void => {
    const canonical = key ?? path.canonical;
    if (seen.has(canonical.toLowerCase())) {
      if (fromFieldsFn) return;
      throw malformed(`duplicate field selected: ${canonical}`);
    }
    seen.add(canonical.toLowerCase());
    if (path.field.type === 'address' || path.field.type === 'location') proj.hasCompound = true;
    proj.columns.push({ name: canonical, path, label });
    let level = proj.items;
    for (const hop of path.hops) {
      let parent = level.find((i): i is ParentItem => i.k === 'parent' && i.key === hop.relName);
      if (!parent) {
        parent = { k: 'parent', key: hop.relName, lookup: hop.field.name, items: [] };
        level.push(parent);
      }
      level = parent.items;
    }
    level.push({ k: 'field', key: key ?? path.field.name, field: path.field, label, poly: path.polymorphic });
  };

  for (const f of fields) {
    switch (f.type) {
      case 'Field':
      case 'FieldRelationship': {
        if ('alias' in f && f.alias) throw malformed('Only aggregate expressions use field aliasing');
        const text = pathText(f)!;
        add(resolveFieldPath(scope, def, text, alias), false, undefined, false);
        break;
      }
      case 'FieldFunctionExpression': {
        const name = f.functionName.toUpperCase();
        if (f.isAggregateFn) throw malformed(`Field must be grouped or aggregated: ${f.rawValue ?? f.functionName}`);
        if (name === 'FIELDS') {
          const which = String(f.parameters[0] ?? '').toUpperCase();
          if (which !== 'ALL' && which !== 'STANDARD' && which !== 'CUSTOM') throw malformed(`unexpected FIELDS argument: ${which}`);
          if (which !== 'STANDARD') proj.unboundedFields = true;
          for (const vf of visibleFields(scope.principal, def)) {
            if ((which === 'CUSTOM' && !vf.custom) || (which === 'STANDARD' && vf.custom)) continue;
            add(resolveFieldPath(scope, def, vf.name, undefined), false, undefined, true);
          }
        } else if (name === 'TOLABEL') {
          const arg = f.parameters[0];
          if (typeof arg !== 'string') throw unsupported('Nested functions in toLabel()');
          const path = resolveFieldPath(scope, def, arg, alias);
          if (path.field.type !== 'picklist' && path.field.type !== 'multipicklist') {
            throw errorAt('INVALID_FIELD', `toLabel() can only be used on picklist fields: ${path.field.name}`, scope.soql, arg);
          }
          add(path, true, f.alias, false);
        } else {
          throw unsupported(`${f.functionName}() in SELECT`);
        }
        break;
      }
      case 'FieldSubquery': {
        if (depth > 0) throw malformed('Nested subqueries are not supported: child subqueries cannot contain subqueries');
        const item = compileChild(scope, def, f.subquery);
        if (seen.has(item.key.toLowerCase())) throw malformed(`duplicate field selected: ${item.key}`);
        seen.add(item.key.toLowerCase());
        proj.items.push(item);
        proj.hasChildren = true;
        break;
      }
      case 'FieldTypeof':
        throw unsupported('TYPEOF');
    }
  }
  return proj;
}

function compileChild(scope: QueryScope, parent: ObjectDef, sub: Subquery): ChildItem {
  const rel = scope.org.schema.childRelationship(parent.name, sub.relationshipName);
  const childDef = rel ? scope.org.schema.get(rel.childSObject) : undefined;
  if (!rel || !childDef || !scope.canReadObject(childDef)) {
    throw errorAt(
      'INVALID_TYPE',
      `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom ` +
        `relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      scope.soql,
      sub.relationshipName,
    );
  }
  if (sub.groupBy || sub.having) throw unsupported('GROUP BY and HAVING in child subqueries');
  if ((sub.fields ?? []).some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn)) throw unsupported('Aggregate functions in child subqueries');
  const alias = sub.sObjectAlias;
  const projection = compileProjection(scope, childDef, sub.fields ?? [], alias, 1);
  const where = sub.where ? compileWhereIn(scope, childDef, sub.where, alias) : undefined;
  const order = compileOrder(scope, childDef, orderList(sub.orderBy), alias);
  const child = new ChildQuery(scope, childDef, rel.field, projection, where, order, sub.limit, sub.offset ?? 0);
  return { k: 'child', key: rel.relationshipName ?? sub.relationshipName, child };
}

function labelOf(field: FieldDef, v: StoredValue): StoredValue {
  if (v === null || typeof v !== 'string') return v;
  const one = (x: string) => field.picklistValues.find((p) => p.value === x)?.label ?? x;
  return field.type === 'multipicklist' ? v.split(';').map(one).join(';') : one(v);
}

function fieldJson(scope: QueryScope, item: FieldItem, def: ObjectDef, rec: StoredRecord): unknown {
  let field = item.field;
  if (item.poly) {
    const actual = scope.org.schema.field(def.name, field.name);
    if (!actual) return field.compute ? jsonValue(field, rec) : null;
    field = actual;
  }
  if (item.label) return labelOf(field, readOn(scope, def, rec, field, false));
  return jsonValue(field, rec);
}

/** Renders one record of `def` with the projection's items (REST JSON). */
export function renderRecord(scope: QueryScope, items: Item[], def: ObjectDef, rec: StoredRecord, apiVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributes(def, rec.Id as string, apiVersion) };
  for (const item of items) {
    switch (item.k) {
      case 'field':
        out[item.key] = fieldJson(scope, item, def, rec);
        break;
      case 'parent': {
        const p = scope.parent(rec, item.lookup);
        out[item.key] = p ? renderRecord(scope, item.items, p.def, p.rec, apiVersion) : null;
        break;
      }
      case 'child': {
        const rows = item.child.rowsFor(rec.Id as string);
        out[item.key] =
          rows.length === 0
            ? null
            : {
                totalSize: rows.length,
                done: true,
                records: rows.map((r) => renderRecord(scope, item.child.projection.items, item.child.def, r, apiVersion)),
              };
        break;
      }
    }
  }
  return out;
}

/** Number of child-subquery rows a record brings along (REST page sizing). */
export function childRowCount(items: Item[], rec: StoredRecord): number {
  let n = 0;
  for (const item of items) if (item.k === 'child') n += item.child.rowsFor(rec.Id as string).length;
  return n;
}

/** One CSV cell: datetimes `2024-01-02T03:04:05.000Z`, booleans `true`/`false`, null stays null. */
export function flatCell(field: FieldDef, v: StoredValue): string | null {
  if (v === null || v === undefined) return null;
  if (field.type === 'datetime' && typeof v === 'number') return formatDateTimeZ(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

/** The flat cells of a record in column order. */
export function flatRecord(columns: Column[], rec: StoredRecord): (string | null)[] {
  return columns.map((c) => {
    const v = c.path.get(rec);
    return flatCell(c.path.field, c.label ? labelOf(c.path.field, v) : v);
  });
}
