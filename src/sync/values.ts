/**
 * Salesforce values (REST JSON or Bulk CSV cells) → column values in a dialect-neutral form:
 * datetimes as ISO-8601 UTC strings, dates/times as strings, numbers, booleans, compound fields as
 * JSON objects. Writers encode booleans and JSON for their dialect.
 */
import type { SyncField } from './fields.js';

export type ColumnValue = string | number | boolean | Record<string, unknown> | null;

const CANONICAL_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|\+0000)$/;

/** `2024-01-02T03:04:05.000+0000` → `2024-01-02T03:04:05.000Z`. */
export function isoDateTime(v: string): string {
  // Fast path for what Salesforce sends (REST `+0000`, Bulk CSV `Z`): no Date round trip.
  const m = CANONICAL_UTC.exec(v);
  const month = Number(v.slice(5, 7));
  const day = Number(v.slice(8, 10));
  if (m && month >= 1 && month <= 12 && day >= 1 && day <= 31) return m[1] === 'Z' ? v : `${v.slice(0, 23)}Z`;
  const ms = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) throw new Error(`not a datetime: ${v.slice(0, 40)}`);
  return new Date(ms).toISOString();
}

function fromJson(f: SyncField, v: unknown): ColumnValue {
  if (v === null || v === undefined) return null;
  switch (f.kind) {
    case 'datetime':
      return isoDateTime(String(v));
    case 'boolean':
      return v === true || v === 'true';
    case 'integer':
    case 'bigint':
    case 'double':
      return typeof v === 'number' ? v : Number(v);
    case 'json':
      return typeof v === 'object' ? (v as Record<string, unknown>) : JSON.parse(String(v));
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

function fromCell(f: SyncField, cell: string | undefined): ColumnValue {
  // Bulk CSV cannot tell null from empty string; Salesforce stores empty text as null anyway.
  if (cell === undefined || cell === '') return null;
  switch (f.kind) {
    case 'datetime':
      return isoDateTime(cell);
    case 'boolean':
      return cell === 'true';
    case 'integer':
    case 'bigint':
    case 'double':
      return Number(cell);
    case 'json':
      return JSON.parse(cell) as Record<string, unknown>;
    default:
      return cell;
  }
}

function compound(f: SyncField, get: (field: string) => unknown, component: (field: string, v: unknown) => ColumnValue): ColumnValue {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, field] of Object.entries(f.components!)) {
    const v = component(field, get(field));
    out[key] = v;
    if (v !== null) any = true;
  }
  return any ? out : null;
}

/** Builds a row (values in `fields` order) from a REST record. */
export function rowFromRest(fields: SyncField[], rec: Record<string, unknown>, byName: Map<string, SyncField>): ColumnValue[] {
  return fields.map((f) =>
    f.components
      ? compound(
          f,
          (n) => rec[n],
          (n, v) => (byName.get(n.toLowerCase()) ? fromJson(byName.get(n.toLowerCase())!, v) : ((v as ColumnValue) ?? null)),
        )
      : fromJson(f, rec[f.field]),
  );
}

/**
 * A row builder for CSV pages: each field's column position and converter are resolved once (per
 * header), so building a row costs array reads and conversions only.
 */
export function csvRowBuilder(fields: SyncField[], index: Map<string, number>, byName: Map<string, SyncField>): (cells: string[]) => ColumnValue[] {
  const at = (name: string) => index.get(name.toLowerCase()) ?? -1;
  const plan = fields.map((f) => ({
    f,
    at: f.components ? -1 : at(f.field),
    parts: f.components ? Object.entries(f.components).map(([key, field]) => ({ key, at: at(field), cf: byName.get(field.toLowerCase()) })) : undefined,
  }));
  return (cells) => {
    const out: ColumnValue[] = new Array<ColumnValue>(plan.length);
    for (let k = 0; k < plan.length; k++) {
      const p = plan[k]!;
      if (!p.parts) {
        out[k] = fromCell(p.f, p.at < 0 ? undefined : cells[p.at]);
        continue;
      }
      const obj: Record<string, unknown> = {};
      let any = false;
      for (const part of p.parts) {
        const raw = part.at < 0 ? undefined : cells[part.at];
        const v = part.cf ? fromCell(part.cf, raw) : (raw ?? null);
        obj[part.key] = v;
        if (v !== null) any = true;
      }
      out[k] = any ? obj : null;
    }
    return out;
  };
}

/** Builds a row from Bulk CSV cells, given each field's column index in the CSV header. */
export function rowFromCsv(fields: SyncField[], cells: string[], index: Map<string, number>, byName: Map<string, SyncField>): ColumnValue[] {
  return csvRowBuilder(fields, index, byName)(cells);
}
