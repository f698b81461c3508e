/**
 * Permission checks for the calling user: object CRUD, field-level security and record
 * visibility under the org-wide sharing model. REST, SOQL, SOSL and Bulk all ask here, so
 * every answer respects the same rules.
 */
import type { OrgData } from '../data/org-data.js';
import type { FieldDef, ObjectDef, StoredRecord } from '../schema/types.js';
import type { ObjectPerms, ProfileDef } from './profiles.js';

/** The authenticated caller as the emulator sees it. */
export interface Principal {
  userId: string;
  username: string;
  profile: ProfileDef;
}

/** Object permissions of the principal on `def`. */
export function objectAccess(p: Principal, def: ObjectDef): ObjectPerms {
  const base = { ...p.profile.defaultObjectAccess, ...p.profile.objects[def.name] };
  if (p.profile.modifyAllData) return { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };
  if (p.profile.viewAllData) return { ...base, read: true, viewAll: true };
  return {
    ...base,
    create: base.create && def.flags.createable,
    edit: base.edit && def.flags.updateable,
    delete: base.delete && def.flags.deletable,
  };
}

export type FieldAccess = 'hidden' | 'read' | 'edit';

/** What the principal may do with one field (FLS); never more than the field itself allows. */
export function fieldAccess(p: Principal, def: ObjectDef, f: FieldDef): FieldAccess {
  if (!objectAccess(p, def).read) return 'hidden';
  const perm = p.profile.fields[`${def.name}.${f.name}`];
  if (perm === 'hidden' && f.name !== 'Id') return 'hidden';
  if (perm === 'readonly') return 'read';
  return f.createable || f.updateable ? 'edit' : 'read';
}

/** Fields the principal can see, in schema order. */
export function visibleFields(p: Principal, def: ObjectDef): FieldDef[] {
  return def.fields.filter((f) => fieldAccess(p, def, f) !== 'hidden');
}

/** True when the principal can see the field. */
export function canSeeField(p: Principal, def: ObjectDef, f: FieldDef): boolean {
  return fieldAccess(p, def, f) !== 'hidden';
}

/**
 * Record visibility under the sharing model: owners always see their records; View All (object
 * or data) sees everything; `Read`/`ReadWrite` defaults make records visible to all;
 * `ControlledByParent` follows the parent record.
 */
export function canReadRecord(p: Principal, def: ObjectDef, rec: StoredRecord, data: OrgData, depth = 0): boolean {
  const access = objectAccess(p, def);
  if (!access.read) return false;
  if (access.viewAll) return true;
  return sharingAllows(p, def, rec, data, 'read', depth);
}

/** Whether the principal may edit (or delete, with `op = 'delete'`) this record. */
export function canEditRecord(p: Principal, def: ObjectDef, rec: StoredRecord, data: OrgData, op: 'edit' | 'delete' = 'edit'): boolean {
  const access = objectAccess(p, def);
  if (!access[op]) return false;
  if (access.modifyAll) return true;
  return sharingAllows(p, def, rec, data, 'edit', 0);
}

function sharingAllows(p: Principal, def: ObjectDef, rec: StoredRecord, data: OrgData, want: 'read' | 'edit', depth: number): boolean {
  if (rec.OwnerId !== undefined && rec.OwnerId === p.userId) return true;
  switch (def.sharingModel) {
    case 'ReadWrite':
    case 'FullAccess':
      return true;
    case 'Read':
      return want === 'read';
    case 'Private':
      return rec.OwnerId === undefined;
    case 'ControlledByParent': {
      const parentId = def.sharingParentField ? rec[def.sharingParentField] : undefined;
      if (typeof parentId !== 'string' || depth > 3) return rec.OwnerId === undefined || want === 'read';
      const parent = data.find(parentId);
      if (!parent) return false;
      return want === 'read'
        ? canReadRecord(p, parent.table.def, parent.record, data, depth + 1)
        : sharingAllows(p, parent.table.def, parent.record, data, 'edit', depth + 1);
    }
  }
}
