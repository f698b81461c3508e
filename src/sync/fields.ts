/**
 * Which columns a synced table has, from describe: every field the connected user can read except
 * binary (base64) fields; compound address/location fields are not selected (Bulk cannot serve
 * them) but kept as a column rebuilt from their components.
 */
import { createHash } from 'node:crypto';
import { columnKind, type ColumnKind } from './column-types.js';

export interface DescribeField {
  name: string;
  type: string;
  calculated?: boolean;
  compoundFieldName?: string | null;
}

export interface SyncField {
  /** Salesforce API name. */
  field: string;
  /** Column name: the API name lower-cased (Salesforce names are unique case-insensitively). */
  column: string;
  sfType: string;
  kind: ColumnKind;
  calculated: boolean;
  /** For compound fields: output key → component field API name. */
  components?: Record<string, string>;
}

const COMPONENT_KEYS: Record<string, string> = {
  Street: 'street',
  City: 'city',
  State: 'state',
  StateCode: 'stateCode',
  PostalCode: 'postalCode',
  Country: 'country',
  CountryCode: 'countryCode',
  Latitude: 'latitude',
  Longitude: 'longitude',
  GeocodeAccuracy: 'geocodeAccuracy',
};

/** Fields to sync, in describe order. `only` restricts to a catalog's explicit list (Id and the cursor field always kept). */
export function syncFields(describe: DescribeField[], only?: string[], cursorField = 'SystemModstamp'): SyncField[] {
  const wanted = only ? new Set(['id', cursorField.toLowerCase(), ...only.map((f) => f.toLowerCase())]) : undefined;
  const out: SyncField[] = [];
  for (const f of describe) {
    if (f.type === 'base64') continue;
    if (wanted && !wanted.has(f.name.toLowerCase())) continue;
    const sf: SyncField = { field: f.name, column: f.name.toLowerCase(), sfType: f.type, kind: columnKind(f.type), calculated: Boolean(f.calculated) };
    if (f.type === 'address' || f.type === 'location') {
      const components: Record<string, string> = {};
      for (const c of describe) {
        if (c.compoundFieldName !== f.name) continue;
        // BillingStreet → street; un-prefixed components (Lead's Street) and geolocation
        // components (Loc__Latitude__s) too, as Salesforce's REST compound values name them.
        const base = c.name.replace(/__s$/, '');
        const suffix = Object.keys(COMPONENT_KEYS)
          .filter((k) => base.endsWith(k))
          .sort((a, b) => b.length - a.length)[0];
        if (suffix) components[COMPONENT_KEYS[suffix]!] = c.name;
        else components[c.name] = c.name;
      }
      sf.components = components;
    }
    out.push(sf);
  }
  if (!out.some((f) => f.field === 'Id')) throw new Error('describe has no Id field');
  return out;
}

/** Fields named in the SOQL SELECT: everything but compound fields. */
export function selectList(fields: SyncField[]): string[] {
  return fields.filter((f) => !f.components).map((f) => f.field);
}

/** The table for (connection, object): different orgs and connections never share rows. */
export function syncTableName(connectionId: string, object: string): string {
  const h = createHash('sha256').update(connectionId).digest('hex').slice(0, 10);
  return `sf_${h}_${object.toLowerCase()}`;
}

/** A table or column name as a quoted SQL identifier (`"` doubled), as the writers name them. */
export const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
