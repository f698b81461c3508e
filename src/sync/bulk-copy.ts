/**
 * Bulk results pages (bytes) → batches for a writer that takes binary COPY (PostgreSQL): each
 * page's rows go through a CopyBuilder (copy-binary.ts) a batch at a time; from the first row it
 * cannot take as is, the rest of that page is parsed the general way (pageRows) and handed on as
 * CSV rows, which the caller converts and validates as it does for any Bulk read (so is a page
 * that is not valid UTF-8). The next page downloads meanwhile.
 */
import { isUtf8 } from 'node:buffer';
import { remoteProtocol } from '../errors.js';
import { pageRows, parseCsvRows, yieldToIo, type BulkBatch, type BulkPage } from './bulk-reader.js';
import { copyPlan, CopyBuilder, narrowCopyPlan, type CopyBatch, type CopyChunk, type CopyPlan } from './copy-binary.js';
import type { ColumnKind } from '../store/types.js';
import type { SyncField } from './fields.js';

export type BulkItem = { copy: CopyBatch; csv?: undefined } | { csv: BulkBatch; copy?: undefined };

export interface BulkCopyOptions {
  fields: SyncField[];
  /** The cursor field whose greatest (value, Id) each batch reports; omitted when none is kept. */
  cursorField?: string;
  /** The kind each column has in the table (TableState.columnKinds); the fields' own by default. */
  columnKinds?: ReadonlyMap<string, ColumnKind>;
  batchRows: number;
  now: () => number;
  /** Prefix of error messages, e.g. `Bulk job 750… results`. */
  what: string;
}

/** The page's header row: its text (with line end), its cells and where the data starts. */
function pageHeader(bytes: Buffer, what: string): { line: string; cells: string[]; dataAt: number } | undefined {
  const from = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (from >= bytes.length) return undefined;
  const lf = bytes.indexOf(10, from);
  const end = lf < 0 ? bytes.length : lf + 1;
  const read = bytes.toString('utf8', from, end);
  const line = read.endsWith('\n') ? read : `${read}\n`;
  const h = parseCsvRows(line, 0, 1, -1);
  if (h.failedAt !== undefined || !h.rows[0]) throw remoteProtocol('salesforce.bulk_csv_invalid', `${what}: the CSV header cannot be read`);
  return { line, cells: h.rows[0], dataAt: end };
}

/**
 * Rows converted between yields to I/O (~3 ms of work). Converting a 10,000-row page in one go
 * held the event loop ~30 ms, so the read-ahead of the next page was not read meanwhile: measured
 * on 1M Accounts into PostgreSQL, 12.8–13.6 s against 10.9–11.5 s in slices.
 */
const SLICE_ROWS = 1000;

/**
 * Output buffers of written batches, for the next batches (a load's batches are about the same
 * size). A batch's buffer comes back when its writer releases it (CopyBatch.release, after the
 * COPY); with one write in flight, two buffers take turns. Measured on 1M Accounts: ~400 MB less
 * fresh memory to fault in and collect (V8 counts buffers towards starting a full collection).
 */
class BufferPool {
  private readonly free: Buffer[] = [];
  take(): Buffer | undefined {
    return this.free.pop();
  }
  give(b: Buffer): void {
    if (this.free.length < 2 && !this.free.includes(b)) this.free.push(b);
  }
}

/**
 * Up to `max` rows from `pos` as one batch, converted a slice at a time with I/O in between, into
 * one buffer (`sizeHint`: the expected bytes, e.g. the previous batch's), from `pool` when it has
 * one that big.
 */
async function convertBatch(
  bytes: Buffer,
  pos: number,
  max: number,
  plan: CopyPlan,
  now: number,
  sizeHint: number,
  used: Uint8Array,
  pool: BufferPool,
): Promise<CopyChunk> {
  // Binary output is about the CSV's size (a null takes 4 bytes, a datetime 12 instead of 27).
  const b = new CopyBuilder(bytes, plan, now, Math.min(sizeHint, (bytes.length - pos) * 2 + 4096), pool.take());
  for (;;) {
    const r = b.convert(pos, Math.min(SLICE_ROWS, max - b.rows), used);
    if (r.failedAt !== undefined || r.widen || b.rows >= max || r.next >= bytes.length) {
      const batch = b.finish();
      const buffer = b.buffer;
      if (!batch) pool.give(buffer);
      return { batch: batch && { ...batch, release: () => pool.give(buffer) }, ...r };
    }
    pos = r.next;
    await yieldToIo();
  }
}

export async function* bulkCopyBatches(pages: AsyncIterable<BulkPage>, o: BulkCopyOptions): AsyncGenerator<BulkItem> {
  let planFor: string | undefined;
  let full: CopyPlan | undefined;
  // Columns that had a value in the previous page; the next page leaves the others out.
  let usedBefore: Uint8Array | undefined;
  let hint = 1 << 20;
  const pool = new BufferPool();
  for await (const page of pages) {
    const bytes = page.bytes ?? Buffer.from(page.body, 'utf8');
    const what = `${o.what} page ${page.n}`;
    const head = pageHeader(bytes, what);
    if (!head) continue;
    if (head.line !== planFor) {
      planFor = head.line;
      full = copyPlan(o.fields, head.cells, o.cursorField, o.columnKinds);
      usedBefore = undefined;
    }
    let plan = full && usedBefore ? narrowCopyPlan(full, usedBefore) : full;
    const used = new Uint8Array(head.cells.length);
    let pos = head.dataAt;
    // Bytes that are not UTF-8 would reach PostgreSQL as they are and fail the COPY: such a page
    // is decoded as text (U+FFFD for what cannot be read, as before) and converted the general way.
    let rest: number | undefined = plan && isUtf8(bytes) ? undefined : pos;
    while (rest === undefined && plan && pos < bytes.length) {
      const r = await convertBatch(bytes, pos, o.batchRows, plan, o.now(), hint, used, pool);
      if (r.batch) {
        hint = Math.ceil((r.batch.data.length * 1.1 * o.batchRows) / r.batch.ids.length);
        yield { copy: r.batch };
        await yieldToIo();
      }
      if (r.failedAt !== undefined) {
        rest = r.failedAt;
        break;
      }
      // A value in a left-out column: the rest of the page with every column.
      if (r.widen) plan = full;
      pos = r.next;
    }
    // Rows of the general path below are not looked at: a column they fill that is left out of the
    // next page stops its batch there (widen), so nothing is lost, only a batch split.
    usedBefore = rest === undefined ? used : undefined;
    if (rest === undefined || rest >= bytes.length) continue;
    for (const csv of pageRows(head.line + bytes.toString('utf8', rest), o.batchRows, what)) {
      yield { csv };
      await yieldToIo();
    }
  }
}
