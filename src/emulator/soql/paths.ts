/**
 * Field paths (`Name`, `Account.Name`, `Account.Owner.Name`, `What.Name`) resolved against the
 * schema and the caller's field-level security, compiled once into value getters.
 *
 * Hidden fields behave as unknown ones (INVALID_FIELD), as Salesforce does for FLS; relationships to
 * objects the caller cannot read are not understood. Polymorphic lookups (referenceTo with several
 * objects) resolve the final field on whichever object the row actually points at.
 */
import { field as defineField } from '../schema/define.js';
import { canSeeField } from '../perms/access.js';
import { readValue } from '../rest/record-json.js';
import type { FieldDef, ObjectDef, StoredRecord, StoredValue } from '../schema/types.js';
import { badRelationship, noSuchColumn } from './errors.js';
import type { QueryScope } from './scope.js';

/** One lookup followed from a record to its parent. */
export interface Hop {
  /** The lookup field (e.g. AccountId). */
  field: FieldDef;
  /** Canonical relationship name (e.g. Account): the JSON key of the nested parent object. */
  relName: string;
  /** Objects the lookup may point at that the caller can read. */
  targets: ObjectDef[];
}

export interface ResolvedPath {
  /** The path as written in the query. */
  raw: string;
  /** Canonical dotted API names, e.g. `Account.Owner.Name`. */
  canonical: string;
  hops: Hop[];
  /** The final field, as declared on `owner`. */
  field: FieldDef;
  /** Object declaring the final field (first matching target for polymorphic lookups). */
  owner: ObjectDef;
  /** True when a hop is polymorphic: the field is looked up on the row's actual parent object. */
  polymorphic: boolean;
  /** The value of this path on a root record (null when a lookup is empty or invisible). */
  get(rec: StoredRecord): StoredValue;
}

/** Splits a dotted path and drops a leading object alias or object name (`a.Name`, `Account.Name` on Account). */
export function pathSegments(scope: QueryScope, def: ObjectDef, path: string, alias: string | undefined): string[] {
  const segs = path.split('.');
  if (segs.length > 1) {
    const first = segs[0]!.toLowerCase();
    if (alias && first === alias.toLowerCase()) return segs.slice(1);
    if (first === def.name.toLowerCase() && !scope.org.schema.relationshipField(def.name, first)) return segs.slice(1);
  }
  return segs;
}

/** A field the caller may see on `def`, by case-insensitive name. */
function visibleField(scope: QueryScope, def: ObjectDef, name: string): FieldDef | undefined {
  const f = scope.org.schema.field(def.name, name);
  return f && canSeeField(scope.principal, def, f) ? f : undefined;
}

/** The synthetic `Type` of a polymorphic parent (`What.Type`): the parent's object name. */
function polymorphicType(scope: QueryScope): FieldDef {
  return defineField('Type', 'picklist', {
    createable: false,
    updateable: false,
    compute: (rec) => scope.org.schema.byKeyPrefix(String(rec.Id))?.name ?? null,
  });
}

/**
 * Resolves a path on `def` (segments already stripped of any alias). Throws INVALID_FIELD with
 * Salesforce's messages for unknown or hidden fields and relationships.
 */
export function resolvePath(scope: QueryScope, def: ObjectDef, segs: string[], raw: string): ResolvedPath {
  const schema = scope.org.schema;
  let current: ObjectDef[] = [def];
  const hops: Hop[] = [];
  for (const rel of segs.slice(0, -1)) {
    let lookup: FieldDef | undefined;
    let from: ObjectDef | undefined;
    for (const d of current) {
      const f = schema.relationshipField(d.name, rel);
      if (f && canSeeField(scope.principal, d, f)) {
        lookup = f;
        from = d;
        break;
      }
    }
    if (!lookup || !from) throw badRelationship(scope.soql, raw, rel);
    const targets = lookup.referenceTo.map((t) => schema.get(t)).filter((t): t is ObjectDef => !!t && scope.canReadObject(t));
    if (targets.length === 0) throw badRelationship(scope.soql, raw, rel);
    hops.push({ field: lookup, relName: lookup.relationshipName ?? rel, targets });
    current = targets;
  }
  const last = segs[segs.length - 1]!;
  const polymorphic = hops.some((h) => h.targets.length > 1 || h.field.polymorphicForeignKey);
  let field: FieldDef | undefined;
  let owner: ObjectDef | undefined;
  for (const d of current) {
    field = visibleField(scope, d, last);
    if (field) {
      owner = d;
      break;
    }
  }
  if ((!field || !owner) && polymorphic && last.toLowerCase() === 'type') {
    field = polymorphicType(scope);
    owner = current[0]!;
  }
  if (!field || !owner) throw noSuchColumn(scope.soql, raw, last, current[0]!.name);
  const canonical = [...hops.map((h) => h.relName), field.name].join('.');
  return { raw, canonical, hops, field, owner, polymorphic, get: makeGetter(scope, hops, field, polymorphic) };
}

/** Resolves a dotted path string, handling the alias. */
export function resolveFieldPath(scope: QueryScope, def: ObjectDef, path: string, alias: string | undefined): ResolvedPath {
  return resolvePath(scope, def, pathSegments(scope, def, path, alias), path);
}

/** Reads `field` on a record of object `def`, looking the field up by name when polymorphic. */
export function readOn(scope: QueryScope, def: ObjectDef, rec: StoredRecord, field: FieldDef, polymorphic: boolean): StoredValue {
  if (!polymorphic || field.compute) return readValue(field, rec);
  const actual = scope.org.schema.field(def.name, field.name);
  return actual && canSeeField(scope.principal, def, actual) ? readValue(actual, rec) : null;
}

function makeGetter(scope: QueryScope, hops: Hop[], field: FieldDef, polymorphic: boolean): (rec: StoredRecord) => StoredValue {
  if (hops.length === 0) {
    if (field.compute) return (rec) => readValue(field, rec);
    const name = field.name;
    return (rec) => {
      const v = rec[name];
      return v === undefined ? null : v;
    };
  }
  const lookups = hops.map((h) => h.field.name);
  return (rec) => {
    let cur = rec;
    let def: ObjectDef | undefined;
    for (const name of lookups) {
      const p = scope.parent(cur, name);
      if (!p) return null;
      cur = p.rec;
      def = p.def;
    }
    return readOn(scope, def!, cur, field, polymorphic);
  };
}
