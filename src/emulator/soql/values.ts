/**
 * How SOQL compares and sorts values of each field type, and how literals in a query become
 * storage-form values. Strings compare case-insensitively (Salesforce's collation for filters);
 * ids compare in their 18-char form; dates as `YYYY-MM-DD`, datetimes as epoch ms.
 */
import { formatDate, parseDate, parseDateTime } from '../format.js';
import { to18 } from '../ids.js';
import type { FieldDef, StoredValue } from '../schema/types.js';

export type ValueKind = 'string' | 'id' | 'multi' | 'number' | 'boolean' | 'date' | 'datetime' | 'compound';

export function kindOf(f: FieldDef): ValueKind {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'multipicklist':
      return 'multi';
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
    case 'long':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'address':
    case 'location':
      return 'compound';
    default:
      return 'string';
  }
}

/** Salesforce's type word in "must be of type X" messages. */
export function soapTypeWord(f: FieldDef): string {
  switch (kindOf(f)) {
    case 'id':
      return 'id';
    case 'number':
      return f.type === 'int' ? 'int' : 'double';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'dateTime';
    default:
      return 'string';
  }
}

/**
 * A comparable key for filters and ORDER BY: lower-cased strings, numbers, 0/1 for booleans; null
 * for null. Booleans are never null in Salesforce (a missing value reads as false).
 */
export function compareKey(kind: ValueKind, v: StoredValue): string | number | null {
  if (kind === 'boolean') return v === true ? 1 : 0;
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'string':
    case 'multi':
      return String(v).toLowerCase();
    case 'number':
    case 'datetime':
      return typeof v === 'number' ? v : Number(v);
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/** Removes SOQL string-literal quoting and escapes (`'it\'s'` → `it's`). */
export function unquote(literal: string): string {
  const body = literal.startsWith("'") && literal.endsWith("'") && literal.length >= 2 ? literal.slice(1, -1) : literal;
  if (!body.includes('\\')) return body;
  const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };
  // \% and \_ keep their backslash: they only mean something to LIKE.
  return body.replace(/\\(.)/g, (_m, c: string) => (c === '%' || c === '_' ? `\\${c}` : (map[c] ?? c)));
}

/** A point literal converted to a field's comparable key, or an error message describing why not. */
export type Converted = { ok: true; key: string | number | null } | { ok: false; message: string };

function mustBe(f: FieldDef): Converted {
  const type = soapTypeWord(f);
  const quoteHint = type === 'string' || type === 'id' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  return { ok: false, message: `value of filter criterion for field '${f.name}' must be of type ${type} and ${quoteHint}` };
}

/** Converts one parsed literal (value text + parser literal type) to the field's key space. */
export function convertLiteral(f: FieldDef, kind: ValueKind, value: string, literalType: string | undefined): Converted {
  const lt = (literalType ?? '').toUpperCase();
  if (lt === 'NULL') return { ok: true, key: null };
  switch (kind) {
    case 'string':
    case 'multi':
      if (lt !== 'STRING') return mustBe(f);
      return { ok: true, key: unquote(value).toLowerCase() };
    case 'id': {
      if (lt !== 'STRING') return mustBe(f);
      const text = unquote(value);
      const id = to18(text);
      if (!id) return { ok: false, message: `invalid ID field: ${text}` };
      return { ok: true, key: id };
    }
    case 'number': {
      if (lt !== 'INTEGER' && lt !== 'DECIMAL') return mustBe(f);
      const n = Number(value);
      return Number.isFinite(n) ? { ok: true, key: n } : mustBe(f);
    }
    case 'boolean':
      if (lt !== 'BOOLEAN') return mustBe(f);
      return { ok: true, key: value.toLowerCase() === 'true' ? 1 : 0 };
    case 'date': {
      if (lt !== 'DATE') return mustBe(f);
      const d = parseDate(value);
      return d ? { ok: true, key: d } : mustBe(f);
    }
    case 'datetime': {
      if (lt !== 'DATETIME') return mustBe(f);
      const ms = parseDateTime(value);
      return ms === undefined ? mustBe(f) : { ok: true, key: ms };
    }
    case 'compound':
      return { ok: false, message: `field '${f.name}' can not be filtered in a query call` };
  }
}

/** Date-literal range bounds in a field's key space (`YYYY-MM-DD` for dates, ms for datetimes). */
export function rangeKeys(kind: ValueKind, startMs: number, endMs: number): [string | number, string | number] {
  return kind === 'date' ? [formatDate(startMs), formatDate(endMs)] : [startMs, endMs];
}
