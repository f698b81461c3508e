/**
 * Custom objects and fields declared in the emulator config, turned into schema definitions.
 */
import type { CustomFieldConfig, CustomObjectConfig } from '../config.js';
import {
  bool,
  currency,
  date,
  datetime,
  double,
  email,
  field,
  int,
  multipicklist,
  object,
  owner,
  percent,
  phone,
  picklist,
  ref,
  text,
  textarea,
  url,
} from './define.js';
import type { FieldDef, ObjectDef } from './types.js';

/** A custom field from config. Formula fields copy the named source field's value. */
export function customField(c: CustomFieldConfig): FieldDef {
  const common = {
    ...(c.label ? { label: c.label } : {}),
    nillable: !c.required,
    unique: c.unique,
    externalId: c.externalId,
    idLookup: c.externalId || c.unique,
    custom: true,
  };
  let f: FieldDef;
  switch (c.type) {
    case 'string':
      f = text(c.name, c.length ?? 255, common);
      break;
    case 'textarea':
      f = textarea(c.name, c.length ?? 32768, common);
      break;
    case 'picklist':
      f = picklist(c.name, c.picklistValues ?? [], { ...common, restrictedPicklist: c.restrictedPicklist });
      break;
    case 'multipicklist':
      f = multipicklist(c.name, c.picklistValues ?? [], { ...common, restrictedPicklist: c.restrictedPicklist });
      break;
    case 'boolean':
      f = bool(c.name, false, { ...common, nillable: false });
      break;
    case 'int':
      f = int(c.name, common);
      break;
    case 'double':
      f = double(c.name, c.precision ?? 18, c.scale ?? 0, common);
      break;
    case 'currency':
      f = currency(c.name, c.precision ?? 18, c.scale ?? 2, common);
      break;
    case 'percent':
      f = percent(c.name, c.precision ?? 18, c.scale ?? 0, common);
      break;
    case 'date':
      f = date(c.name, common);
      break;
    case 'datetime':
      f = datetime(c.name, common);
      break;
    case 'email':
      f = email(c.name, common);
      break;
    case 'phone':
      f = phone(c.name, common);
      break;
    case 'url':
      f = url(c.name, common);
      break;
    case 'reference':
      if (!c.referenceTo) throw new Error(`custom field ${c.name}: "referenceTo" is required for type reference`);
      f = ref(c.name, [c.referenceTo], {
        ...common,
        ...(c.relationshipName ? { relationshipName: c.relationshipName } : {}),
        childRelationshipName: c.childRelationshipName ?? null,
      });
      break;
  }
  if (c.formula) {
    const source = c.formula;
    f = field(f.name, f.type, {
      ...f,
      calculated: true,
      calculatedFormula: source,
      createable: false,
      updateable: false,
      compute: (rec) => rec[source] ?? null,
    });
  }
  return f;
}

/** A custom object from config; key prefixes a00, a01, ... unless given. */
export function customObject(c: CustomObjectConfig, index: number): ObjectDef {
  const keyPrefix = c.keyPrefix ?? `a${index.toString(36).padStart(2, '0')}`;
  return object({
    name: c.name,
    ...(c.label ? { label: c.label } : { label: c.name.replace(/__c$/, '').replace(/_/g, ' ') }),
    ...(c.labelPlural ? { labelPlural: c.labelPlural } : {}),
    keyPrefix,
    sharingModel: c.sharingModel,
    flags: { custom: true, feedEnabled: false },
    fields: [
      text('Name', 80, { label: `${c.label ?? c.name.replace(/__c$/, '')} Name`, nameField: true, idLookup: true }),
      owner(),
      ...c.fields.map(customField),
    ],
  });
}
