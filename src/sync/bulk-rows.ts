/**
 * A Bulk results page (Salesforce's CSV) → converted rows for the store, a batch at a time, and
 * what the sync keeps of what it read: the row count, the greatest cursor (value, Id) and, for
 * full-mode re-reads, the ids. One definition for the sync's object read (rows batches) and the
 * SQLite writer (whole pages parsed inside their transaction).
 */
import { remoteProtocol } from '../errors.js';
import { pageRows } from './bulk-reader.js';
import type { SyncField } from './fields.js';
import type { Cursor } from './keyset.js';
import { csvRowBuilder, type ColumnValue } from './values.js';

/** Builds rows from CSV cells for a header, checking that it names every selected field. */
export function csvRows(fields: SyncField[], what: string): (header: string[], cells: string[][]) => ColumnValue[][] {
  const byName = new Map(fields.map((f) => [f.field.toLowerCase(), f] as [string, SyncField]));
  let head: string[] | undefined;
  let build: (cells: string[]) => ColumnValue[] = () => [];
  return (header, cells) => {
    if (header !== head) {
      head = header;
      const index = new Map(head.map((h, i) => [h.toLowerCase(), i]));
      build = csvRowBuilder(fields, index, byName);
      const missing = fields.filter((f) => !f.components && !index.has(f.field.toLowerCase())).map((f) => f.field);
      if (missing.length) throw remoteProtocol('salesforce.bulk_csv_invalid', `${what}: the CSV header lacks ${missing.slice(0, 5).join(', ')}`);
    }
    return cells.map(build);
  };
}

/** The greatest (cursor value, Id) of `rows` and `max` (rows without a cursor value are skipped). */
export function maxCursor(rows: ColumnValue[][], cursorIdx: number, idIdx: number, max: Cursor | undefined): Cursor | undefined {
  for (const row of rows) {
    const at = row[cursorIdx] as string | null;
    if (at === null) continue;
    const id = row[idIdx] as string;
    if (!max || at > max.at || (at === max.at && id > max.id)) max = { at, id };
  }
  return max;
}

/** What reading a page gave, besides the rows written. */
export interface PageRead {
  rows: number;
  /** Greatest (cursor value, Id) read, when a cursor field was named. */
  max?: Cursor;
  /** Every id read, when asked for (full-mode re-reads mark the rest deleted). */
  ids?: string[];
}

export interface CsvPageSpec {
  fields: SyncField[];
  /** Rows per converted batch. */
  batchRows: number;
  /** Prefix of error messages, e.g. `Bulk job 750… results page 3`. */
  what: string;
  cursorField?: string;
  wantIds?: boolean;
}

/**
 * The page's rows in converted batches, parsed as they are taken; `read` fills in as they go.
 */
export function* csvPageRows(body: string | Uint8Array, spec: CsvPageSpec, read: PageRead): Generator<ColumnValue[][]> {
  const toRows = csvRows(spec.fields, spec.what);
  const idIdx = spec.fields.findIndex((f) => f.field === 'Id');
  const cursorIdx = spec.cursorField ? spec.fields.findIndex((f) => f.field === spec.cursorField) : -1;
  for (const b of pageRows(body, spec.batchRows, spec.what)) {
    const rows = toRows(b.header, b.rows);
    read.rows += rows.length;
    if (cursorIdx >= 0) {
      const max = maxCursor(rows, cursorIdx, idIdx, read.max);
      if (max) read.max = max;
    }
    if (read.ids) for (const row of rows) read.ids.push(row[idIdx] as string);
    yield rows;
  }
}
