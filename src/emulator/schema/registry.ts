/**
 * The org's schema: objects by case-insensitive name, fields by case-insensitive name, child
 * relationships derived from lookups, and a metadata change time for describe's If-Modified-Since.
 * Objects and fields may be added at run time (schema drift in tests) through `addObject`/`addField`.
 */
import type { FieldDef, ObjectDef } from './types.js';

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
  restrictedDelete: boolean;
}

export class SchemaRegistry {
  private readonly objects = new Map<string, ObjectDef>();
  private readonly fieldIndex = new Map<string, Map<string, FieldDef>>();
  private readonly prefixes = new Map<string, ObjectDef>();
  private children = new Map<string, ChildRelationship[]>();
  /** Epoch ms of the last metadata change (describe If-Modified-Since). */
  lastModified: number;

  constructor(objects: ObjectDef[], now = Date.now()) {
    this.lastModified = now;
    for (const o of objects) this.register(o);
    this.rebuildChildren();
  }

  private register(o: ObjectDef): void {
    const key = o.name.toLowerCase();
    if (this.objects.has(key)) throw new Error(`schema: object ${o.name} is declared twice`);
    const clash = this.prefixes.get(o.keyPrefix);
    if (clash) throw new Error(`schema: key prefix ${o.keyPrefix} of ${o.name} is already used by ${clash.name}`);
    this.objects.set(key, o);
    this.prefixes.set(o.keyPrefix, o);
    this.fieldIndex.set(key, new Map(o.fields.map((f) => [f.name.toLowerCase(), f])));
  }

  private rebuildChildren(): void {
    const children = new Map<string, ChildRelationship[]>();
    for (const o of this.objects.values()) {
      for (const f of o.fields) {
        if (f.type !== 'reference') continue;
        for (const target of f.referenceTo) {
          const list = children.get(target.toLowerCase()) ?? [];
          list.push({
            childSObject: o.name,
            field: f.name,
            relationshipName: f.childRelationshipName,
            cascadeDelete: f.cascadeDelete,
            restrictedDelete: f.restrictedDelete,
          });
          children.set(target.toLowerCase(), list);
        }
      }
    }
    this.children = children;
  }

  /** All objects in declaration order. */
  all(): ObjectDef[] {
    return [...this.objects.values()];
  }

  /** Object by name, case-insensitive. */
  get(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** Object owning an id, by its 3-char key prefix. */
  byKeyPrefix(id: string): ObjectDef | undefined {
    return this.prefixes.get(id.slice(0, 3));
  }

  /** Field by name, case-insensitive. */
  field(objectName: string, fieldName: string): FieldDef | undefined {
    return this.fieldIndex.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  /** Child relationships pointing at `objectName` (all of them, named or not). */
  childRelationships(objectName: string): ChildRelationship[] {
    return this.children.get(objectName.toLowerCase()) ?? [];
  }

  /** Child relationship of a parent by its relationship name (e.g. Account + "Contacts"). */
  childRelationship(parent: string, relationshipName: string): ChildRelationship | undefined {
    const want = relationshipName.toLowerCase();
    return this.childRelationships(parent).find((c) => c.relationshipName?.toLowerCase() === want);
  }

  /** The lookup field of `objectName` whose relationshipName is `rel` (e.g. Contact + "Account"). */
  relationshipField(objectName: string, rel: string): FieldDef | undefined {
    const want = rel.toLowerCase();
    return this.get(objectName)?.fields.find((f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === want);
  }

  /** Adds an object at run time. */
  addObject(o: ObjectDef, now = Date.now()): void {
    this.register(o);
    this.rebuildChildren();
    this.lastModified = Math.max(now, this.lastModified + 1);
  }

  /** Adds (or replaces) a field at run time: the next describe and query see it. */
  addField(objectName: string, f: FieldDef, now = Date.now()): void {
    const o = this.get(objectName);
    if (!o) throw new Error(`schema: no object ${objectName}`);
    const idx = o.fields.findIndex((x) => x.name.toLowerCase() === f.name.toLowerCase());
    if (idx >= 0) o.fields[idx] = f;
    else o.fields.push(f);
    this.fieldIndex.get(o.name.toLowerCase())!.set(f.name.toLowerCase(), f);
    this.rebuildChildren();
    this.lastModified = Math.max(now, this.lastModified + 1);
  }

  /** Removes a field at run time. */
  removeField(objectName: string, fieldName: string, now = Date.now()): boolean {
    const o = this.get(objectName);
    if (!o) return false;
    const idx = o.fields.findIndex((x) => x.name.toLowerCase() === fieldName.toLowerCase());
    if (idx < 0) return false;
    o.fields.splice(idx, 1);
    this.fieldIndex.get(o.name.toLowerCase())!.delete(fieldName.toLowerCase());
    this.rebuildChildren();
    this.lastModified = Math.max(now, this.lastModified + 1);
    return true;
  }
}
