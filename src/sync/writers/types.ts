/**
 * Writing one page of synced rows: the upsert, the change-feed entries and the new cursor commit
 * in one transaction, so a crash between pages resumes exactly where the last commit left off.
 */
import type { Cursor } from '../keyset.js';
import type { SyncField } from '../fields.js';
import type { CsvPageSpec, PageRead } from '../bulk-rows.js';
import type { CopyBatch } from '../copy-binary.js';
import type { ColumnValue } from '../values.js';

export interface PageInput {
  connectionId: string;
  object: string;
  table: string;
  /** Columns of `rows`, in order; must include Id. */
  fields: SyncField[];
  rows: ColumnValue[][];
  /**
   * A Bulk results page as Salesforce sent it (CSV bytes), for writers that say `takesCsvPages`:
   * the writer parses, converts and writes it (`rows` is then empty) and reports what it read.
   */
  csvPage?: CsvPage;
  /**
   * The page as PostgreSQL binary COPY tuples instead of `rows` (then empty): only for writers
   * that say `takesBinaryCopy`.
   */
  copy?: CopyBatch;
  /** The cursor after this page (incremental runs); omitted for refreshes that must not move it. */
  cursor?: Cursor;
  now: number;
  /**
   * The caller knows none of these ids is in the table yet (a load into a table that was empty,
   * each id read once): writers may skip looking them up. Wrong hints fail on the primary key.
   */
  allNew?: boolean;
}

export interface CsvPage extends CsvPageSpec {
  bytes: Buffer;
}

export interface PageResult {
  inserted: number;
  updated: number;
  deleted: number;
  /** For a `csvPage`: the rows read, their greatest cursor and (when asked) their ids. */
  read?: PageRead;
}

export interface SyncWriter {
  /** Bulk loads may hand this writer pages as binary COPY tuples (PageInput.copy). */
  readonly takesBinaryCopy?: boolean;
  /** Bulk loads may hand this writer whole results pages as CSV bytes (PageInput.csvPage). */
  readonly takesCsvPages?: boolean;
  /** Ends what the writer runs besides the store (a helper thread); the store stays open. */
  close?(): Promise<void>;
  applyPage(p: PageInput): Promise<PageResult>;
  /** Marks rows deleted (seen at `at`), recording feed entries for rows not already marked. */
  markDeleted(p: { connectionId: string; object: string; table: string; ids: string[]; at: number }): Promise<number>;
  /**
   * Sets some columns of existing live rows (formula refresh), only where a value differs, and
   * records an 'update' feed entry per row changed. Rows not in the table are skipped (the next
   * read brings them). Returns the number of rows changed.
   */
  updateColumns(p: ColumnsInput): Promise<number>;
}

export interface ColumnsInput {
  connectionId: string;
  object: string;
  table: string;
  /** Columns of `rows`, in order; must include Id. */
  fields: SyncField[];
  rows: ColumnValue[][];
  now: number;
}
