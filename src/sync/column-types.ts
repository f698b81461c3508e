/**
 * Salesforce field types → logical column kinds. Each store dialect maps a kind to its SQL type
 * (Store.columnType), so sync code never branches on the dialect.
 */
import type { ColumnKind } from '../store/types.js';

export type { ColumnKind };

const KINDS: Record<string, ColumnKind> = {
  id: 'text',
  reference: 'text',
  string: 'text',
  textarea: 'text',
  picklist: 'text',
  multipicklist: 'text',
  combobox: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  encryptedstring: 'text',
  base64: 'text',
  anyType: 'text',
  boolean: 'boolean',
  int: 'integer',
  long: 'bigint',
  double: 'double',
  currency: 'double',
  percent: 'double',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
  address: 'json',
  location: 'json',
  complexvalue: 'json',
};

/** The column kind for a describe field type; unknown types are kept as text, never dropped. */
export function columnKind(salesforceType: string): ColumnKind {
  return KINDS[salesforceType] ?? 'text';
}
