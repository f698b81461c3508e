/**
 * Bulk CSV bytes → PostgreSQL binary COPY tuples in one pass, for big loads into PostgreSQL: no
 * string per cell, no row arrays, no text for PostgreSQL to parse again. Each value goes in the
 * typed form the column stores (PostgreSQL then runs no input function: no timestamptz_in,
 * int8in, float8in, and no COPY text unescaping):
 *
 *   text        the cell's bytes (`""` → `"`)           boolean      1 byte
 *   integer     int32, big-endian                      bigint       int64
 *   double      float64 (the value Number() and strtod read: correctly rounded)
 *   date        int32 days since 2000-01-01            datetime     int64 µs since 2000-01-01Z
 *   time        int64 µs since midnight                compound     jsonb: version 1, JSON text
 *
 * Compound fields (address, location) are built as JSON from their components, keys in jsonb's own
 * order (length, then bytes) so PostgreSQL's sort of them finds them sorted; the deleted mark and
 * synced time (epoch ms, int64) are appended. Only what the sync needs per row is decoded: the Id,
 * IsDeleted and the cursor.
 *
 * It reads Salesforce's regular Bulk CSV as requested here (COMMA, LF; every non-null value quoted;
 * a null an empty unquoted cell). A row outside that shape — or a value not in the form Salesforce
 * writes (a number with other characters, a datetime not in ISO UTC, a day past the month's end, a
 * boolean not `true`/`false`) — stops the pass at that row: the caller converts the rest of the
 * page the general way (values.ts), which validates, normalises or reports it, so nothing is
 * skipped or guessed.
 */
import type { ColumnKind } from '../store/types.js';
import type { Cursor } from './keyset.js';
import { quoteIdent as qid, type SyncField } from './fields.js';
import { Enc, isFalse, isNumber, isTrue, putI32, putSafeInt64, timestampMicros, encodeValue } from './pg-binary.js';
import { isoDateTime } from './values.js';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const BACKSLASH = 92;

/** `PGCOPY\n\377\r\n\0`, flags 0, no header extension: what a binary COPY stream starts with. */
export const COPY_BINARY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** A field count of -1: the end of a binary COPY stream. */
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** The encoding of each column kind a CSV column can have (JSON fields take the general path). */
const ENCODINGS: Record<Exclude<ColumnKind, 'json'>, number> = {
  text: Enc.Text,
  boolean: Enc.Bool,
  integer: Enc.Int4,
  bigint: Enc.Int8,
  double: Enc.Float8,
  date: Enc.Date,
  datetime: Enc.Timestamptz,
  time: Enc.Time,
};

interface Part {
  /** `"key":` as bytes. */
  key: Uint8Array;
  /** CSV column of the component, -1 when the CSV lacks it (null). */
  at: number;
  /** JSON number/boolean literal (checked) or a string. */
  literal: boolean;
}

export interface CopyPlan {
  /** CSV columns per row (the header's width). */
  width: number;
  /** Per CSV column: 1 when it is a field written to the COPY stream. */
  keep: Uint8Array;
  /** Per CSV column: how its cells are encoded (Enc). */
  enc: Uint8Array;
  idAt: number;
  deletedAt: number;
  cursorAt: number;
  compounds: Part[][];
  /** COPY column list in stream order (quoted identifiers), `_fb_deleted_at`, `_fb_synced_at` last. */
  columns: string[];
  /**
   * Per CSV column: 1 when it is a field this plan leaves out because it was empty so far
   * (narrowCopyPlan): left out, the column is null; a value there stops the batch (`widen`).
   */
  omit: Uint8Array;
  /** Per CSV column: its COPY column when the full plan writes it, else ''. */
  names: string[];
  /** The compound fields' COPY columns, in stream order after the CSV columns. */
  compoundColumns: string[];
}

const bytesOf = (s: string) => Uint8Array.from(Buffer.from(s, 'utf8'));
const HEX = bytesOf('0123456789abcdef');
const TAIL = ['_fb_deleted_at', '_fb_synced_at'];

/** jsonb's order of object keys: shorter first, then bytewise. */
const jsonbKeyOrder = (a: string, b: string) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The plan for one CSV header, or undefined when the fields need the general conversion (a JSON
 * field read as a CSV column, a field the header lacks — the general path reports it — or a
 * column whose kind is JSON for a plain field or not JSON for a compound). `columnKinds`: the
 * kind each column has in the table (TableState.columnKinds), when a field's type changed in
 * Salesforce since its column was made: cells are encoded for the column, as PostgreSQL's text
 * input would read them, and one that does not fit stops the pass as any odd value does.
 */
export function copyPlan(
  fields: SyncField[],
  header: string[],
  cursorField: string | undefined,
  columnKinds?: ReadonlyMap<string, ColumnKind>,
): CopyPlan | undefined {
  const kindOf = (f: SyncField) => columnKinds?.get(f.column) ?? f.kind;
  const index = new Map(header.map((h, i) => [h.toLowerCase(), i]));
  const byName = new Map(fields.map((f) => [f.field.toLowerCase(), f]));
  const keep = new Uint8Array(header.length);
  const enc = new Uint8Array(header.length);
  const names = header.map(() => '');
  const columns: string[] = [];
  const compoundColumns: string[] = [];
  for (const f of fields) {
    if (f.components) {
      if (kindOf(f) !== 'json') return undefined;
      continue;
    }
    if (f.kind === 'json' || kindOf(f) === 'json' || !index.has(f.field.toLowerCase())) return undefined;
  }
  header.forEach((h, i) => {
    const f = byName.get(h.toLowerCase());
    if (!f || f.components) return;
    const kind = kindOf(f);
    if (kind === 'json') return;
    keep[i] = 1;
    enc[i] = ENCODINGS[kind];
    names[i] = qid(f.column);
    columns.push(names[i]);
  });
  const compounds: Part[][] = [];
  for (const f of fields) {
    if (!f.components) continue;
    const parts = Object.entries(f.components)
      .sort(([a], [b]) => jsonbKeyOrder(a, b))
      .map(([key, field]): Part => {
        const kind = byName.get(field.toLowerCase())?.kind;
        const literal = kind === 'integer' || kind === 'bigint' || kind === 'double' || kind === 'boolean';
        return { key: bytesOf(JSON.stringify(key) + ':'), at: index.get(field.toLowerCase()) ?? -1, literal };
      });
    compounds.push(parts);
    compoundColumns.push(qid(f.column));
  }
  columns.push(...compoundColumns, ...TAIL);
  const at = (name: string | undefined) => (name === undefined ? -1 : (index.get(name.toLowerCase()) ?? -1));
  if (at('Id') < 0) return undefined;
  return {
    width: header.length,
    keep,
    enc,
    idAt: at('Id'),
    deletedAt: at('IsDeleted'),
    cursorAt: at(cursorField),
    compounds,
    columns,
    omit: new Uint8Array(header.length),
    names,
    compoundColumns,
  };
}

/**
 * `full` without the columns `used` says had no value so far (never the Id): most objects have
 * many fields nobody fills, and COPY then neither carries nor stores them. Measured on 1M
 * Accounts into PostgreSQL (36 of 50 columns always null): ~0.5 s less server CPU. A value in a
 * left-out column stops the batch (`widen`) and the caller goes on with `full`.
 */
export function narrowCopyPlan(full: CopyPlan, used: Uint8Array): CopyPlan {
  const keep = Uint8Array.from(full.keep);
  const omit = new Uint8Array(full.width);
  const columns: string[] = [];
  for (let i = 0; i < full.width; i++) {
    if (!full.keep[i]) continue;
    if (used[i] || i === full.idAt) columns.push(full.names[i]!);
    else {
      keep[i] = 0;
      omit[i] = 1;
    }
  }
  return { ...full, keep, omit, columns: [...columns, ...full.compoundColumns, ...TAIL] };
}

/** One batch of binary COPY tuples and what the sync needs to know of its rows. */
export interface CopyBatch {
  /** Binary COPY tuples for `columns`, without the stream's header and trailer. */
  data: Buffer;
  columns: string[];
  /** Id of each row, in order. */
  ids: string[];
  /** 1 where the row's IsDeleted is true. */
  deleted: Uint8Array;
  /** The greatest (cursor, Id) among the rows, when the plan has a cursor column. */
  maxCursor?: Cursor;
  /** The synced time written into the rows (epoch ms); the feed entries take the same. */
  now: number;
  /**
   * Called by whoever wrote the batch once its data is no longer read (the COPY finished): the
   * producer may then write a later batch into the same memory.
   */
  release?: () => void;
}

export interface ConvertResult {
  /** Offset after the last row converted. */
  next: number;
  /** Offset of a row the pass cannot convert as is (the general path takes the rest). */
  failedAt?: number;
  /** The row at `next` has a value in a column the plan left out: go on with the full plan. */
  widen?: boolean;
}

export interface CopyChunk extends ConvertResult {
  batch: CopyBatch | undefined;
}

/** A growable output buffer. */
class Out {
  buf: Buffer;
  pos = 0;
  /** A buffer of at least `size` bytes: `reuse` when it is big enough. */
  constructor(size: number, reuse?: Buffer) {
    this.buf = reuse && reuse.length >= size ? reuse : Buffer.allocUnsafe(size);
  }
  /** Room for `n` more bytes after `pos`; returns the (possibly new) buffer. */
  room(pos: number, n: number): Buffer {
    this.pos = pos;
    if (pos + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, pos + n));
      this.buf.copy(next, 0, 0, pos);
      this.buf = next;
    }
    return this.buf;
  }
}

/** convertRow: the row is not in the shape read here. */
const FAIL = -1;
/** convertRow: the row has a value in a column the plan left out. */
const WIDEN = -2;

/** Rows of one page converted into one batch (one plan, one synced time). */
export class CopyBuilder {
  readonly ids: string[] = [];
  private readonly out: Out;
  private deleted: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** The synced time as an int64 field (length and value), the same in every row. */
  private readonly nowField: Uint8Array;
  /** The greatest cursor so far: its µs, Id and cell. */
  private best = { micros: Number.NEGATIVE_INFINITY, id: '', from: 0, to: 0 };

  constructor(
    readonly page: Buffer,
    readonly plan: CopyPlan,
    readonly now: number,
    /** Expected bytes of output (e.g. the previous batch's); the buffer doubles when it is short. */
    sizeHint = 1 << 20,
    /** A buffer to write into when it holds `sizeHint` (one a finished batch gave back). */
    reuse?: Buffer,
  ) {
    this.out = new Out(Math.max(1 << 12, sizeHint), reuse);
    this.deleted = new Uint8Array(1024);
    this.starts = new Int32Array(plan.width);
    this.ends = new Int32Array(plan.width);
    this.nowField = new Uint8Array(12);
    putI32(this.nowField, 0, 8);
    putSafeInt64(this.nowField, 4, now);
  }

  /** The whole buffer the batch's `data` is the start of (to reuse once the batch is written). */
  get buffer(): Buffer {
    return this.out.buf;
  }

  get rows(): number {
    return this.ids.length;
  }

  /**
   * Converts up to `max` rows from offset `pos` (the start of a data row). Stops early at a row it
   * cannot convert as is (`failedAt`), or at a row with a value in a column the plan left out
   * (`widen`). `used` gets a 1 for every written column that had a value.
   */
  convert(pos: number, max: number, used: Uint8Array = new Uint8Array(this.plan.width)): ConvertResult {
    const { page, plan, out, starts, ends } = this;
    const len = page.length;
    let i = pos;
    for (let n = 0; n < max && i < len; n++) {
      const rowStart = i;
      const outStart = out.pos;
      let end = convertRow(page, i, plan, used, starts, ends, out);
      if (end >= 0) {
        for (const parts of plan.compounds) {
          if (!writeCompound(out, page, parts, starts, ends)) {
            end = FAIL;
            break;
          }
        }
      }
      // The row's cursor cell (canonical ISO UTC, or the row stops here), when it has one.
      const hasCursor = end >= 0 && plan.cursorAt >= 0 && ends[plan.cursorAt]! > starts[plan.cursorAt]!;
      const cursorMicros = hasCursor ? timestampMicros(page, starts[plan.cursorAt]!, ends[plan.cursorAt]!) : 0;
      if (end < 0 || Number.isNaN(cursorMicros)) {
        out.pos = outStart;
        return end === WIDEN ? { next: rowStart, widen: true } : { next: rowStart, failedAt: rowStart };
      }
      const deleted = plan.deletedAt >= 0 && isTrue(page, starts[plan.deletedAt]!, ends[plan.deletedAt]!);
      const buf = out.room(out.pos, 24);
      let o = out.pos;
      if (deleted) {
        buf.set(this.nowField, o);
        o += 12;
      } else o = putI32(buf, o, -1);
      buf.set(this.nowField, o);
      out.pos = o + 12;
      i = end;
      const id = page.toString('latin1', starts[plan.idAt]!, ends[plan.idAt]!); // a plan always has Id
      if (this.ids.length === this.deleted.length) {
        const grown = new Uint8Array(this.deleted.length * 2);
        grown.set(this.deleted);
        this.deleted = grown;
      }
      this.deleted[this.ids.length] = deleted ? 1 : 0;
      this.ids.push(id);
      if (hasCursor) {
        const b = this.best;
        if (cursorMicros > b.micros || (cursorMicros === b.micros && id > b.id)) {
          b.micros = cursorMicros;
          b.id = id;
          b.from = starts[plan.cursorAt]!;
          b.to = ends[plan.cursorAt]!;
        }
      }
    }
    return { next: i };
  }

  /** The batch of the rows converted so far, or undefined when there are none. */
  finish(): CopyBatch | undefined {
    if (!this.ids.length) return undefined;
    const b = this.best;
    return {
      data: this.out.buf.subarray(0, this.out.pos),
      columns: this.plan.columns,
      ids: this.ids,
      deleted: this.deleted.subarray(0, this.ids.length),
      ...(b.micros > Number.NEGATIVE_INFINITY ? { maxCursor: { at: isoDateTime(this.page.toString('latin1', b.from, b.to)), id: b.id } } : {}),
      now: this.now,
    };
  }
}

/** Converts up to `max` rows of `page` from `pos` into one batch (CopyBuilder in one go). */
export function csvToCopy(page: Buffer, pos: number, max: number, plan: CopyPlan, now: number, used?: Uint8Array): CopyChunk {
  const b = new CopyBuilder(page, plan, now, Math.min(1 << 20, page.length - pos + 1024));
  const r = b.convert(pos, max, used);
  return { batch: b.finish(), ...r };
}

// ------------------------------------------------------------------------------------------------
// one row

/**
 * One CSV row from `i` into `out`: the field count, then each written column as a length and its
 * value (length -1 for null); each column's content range goes to starts/ends; `used` marks
 * written columns with a value. Returns the offset after the row, FAIL when the row is not in the
 * shape read here, or WIDEN when it has a value in a left-out column (the caller rolls `out` back
 * either way). The output position and buffer are kept in locals (the hot loop).
 */
function convertRow(page: Buffer, i: number, plan: CopyPlan, used: Uint8Array, starts: Int32Array, ends: Int32Array, out: Out): number {
  const { width, keep, enc, omit } = plan;
  const len = page.length;
  let o = out.pos;
  let buf = out.room(o, 2);
  let cap = buf.length;
  const fields = plan.columns.length;
  buf[o++] = fields >>> 8;
  buf[o++] = fields;
  for (let col = 0; ; col++) {
    if (col >= width) return FAIL;
    const write = keep[col] === 1;
    if (o + 16 > cap) {
      buf = out.room(o, 16);
      cap = buf.length;
    }
    const c = page[i];
    if (c === COMMA) {
      // A null before the row's last cell (most cells of a wide object): the separator is read.
      starts[col] = ends[col] = i++;
      if (write) o = putI32(buf, o, -1);
      continue;
    }
    if (c === QUOTE) {
      i++;
      starts[col] = i;
      if (write && enc[col] === Enc.Text) {
        const lenAt = o;
        o += 4;
        for (;;) {
          if (i >= len) return FAIL;
          const b = page[i]!;
          if (b === QUOTE) {
            if (page[i + 1] !== QUOTE) break;
            i++;
          }
          i++;
          if (o === cap) {
            buf = out.room(o, 1);
            cap = buf.length;
          }
          buf[o++] = b;
        }
        ends[col] = i++;
        const n = o - lenAt - 4;
        // An empty quoted value is stored as null, as the general path does.
        if (n === 0) o = putI32(buf, lenAt, -1);
        else {
          putI32(buf, lenAt, n);
          used[col] = 1;
        }
      } else {
        let escapedQuote = false; // a `""` inside: only text takes one
        for (;;) {
          if (i >= len) return FAIL;
          if (page[i] === QUOTE) {
            if (page[i + 1] !== QUOTE) break;
            escapedQuote = true;
            i++;
          }
          i++;
        }
        ends[col] = i++;
        const from = starts[col]!;
        const to = ends[col]!;
        if (write) {
          if (to === from) o = putI32(buf, o, -1);
          else {
            if (escapedQuote) return FAIL;
            o = encodeValue(enc[col]!, page, from, to, buf, o);
            if (o < 0) return FAIL;
            used[col] = 1;
          }
        } else if (omit[col] === 1 && to > from) return WIDEN;
      }
    } else {
      if (c !== LF && i < len) return FAIL; // an unquoted value, or a CR outside quotes
      starts[col] = ends[col] = i; // a null: an empty unquoted cell
      if (write) o = putI32(buf, o, -1);
    }
    if (i < len) {
      const sep = page[i];
      i++;
      if (sep === COMMA) continue;
      if (sep !== LF) return FAIL;
    }
    out.pos = o;
    return col + 1 === width ? i : FAIL;
  }
}

/**
 * A compound field (address, location) as a jsonb value — version byte 1, then JSON with every
 * key, null for an empty cell — or null when all its cells are empty. Returns false when a
 * number/boolean component is not a JSON literal as it stands.
 */
function writeCompound(out: Out, page: Buffer, parts: Part[], starts: Int32Array, ends: Int32Array): boolean {
  let any = false;
  let size = 16;
  for (const p of parts) {
    size += p.key.length + 6;
    if (p.at >= 0 && ends[p.at]! > starts[p.at]!) {
      any = true;
      size += 6 * (ends[p.at]! - starts[p.at]!); // \u00XX is the longest a byte gets
    }
  }
  let o = out.pos;
  const buf = out.room(o, size);
  if (!any) {
    out.pos = putI32(buf, o, -1);
    return true;
  }
  const lenAt = o;
  o += 4;
  buf[o++] = 1; // jsonb version
  buf[o++] = 123; // {
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (k > 0) buf[o++] = COMMA;
    const key = p.key;
    for (let j = 0; j < key.length; j++) buf[o++] = key[j]!; // a loop: set() costs more on a few bytes
    const from = p.at >= 0 ? starts[p.at]! : 0;
    const to = p.at >= 0 ? ends[p.at]! : 0;
    if (to === from) {
      buf[o++] = 110; // null
      buf[o++] = 117;
      buf[o++] = 108;
      buf[o++] = 108;
      continue;
    }
    if (p.literal) {
      if (!isNumber(page, from, to) && !isTrue(page, from, to) && !isFalse(page, from, to)) return false;
      for (let i = from; i < to; i++) buf[o++] = page[i]!;
      continue;
    }
    buf[o++] = QUOTE;
    for (let i = from; i < to; i++) {
      const b = page[i]!;
      if (b === QUOTE) {
        buf[o++] = BACKSLASH; // `""` in the CSV: one quote, JSON-escaped
        buf[o++] = QUOTE;
        i++;
      } else if (b === BACKSLASH) {
        buf[o++] = BACKSLASH;
        buf[o++] = BACKSLASH;
      } else if (b < 0x20) {
        buf[o++] = BACKSLASH;
        buf[o++] = 117; // u
        buf[o++] = 48;
        buf[o++] = 48;
        buf[o++] = HEX[b >> 4]!;
        buf[o++] = HEX[b & 15]!;
      } else buf[o++] = b;
    }
    buf[o++] = QUOTE;
  }
  buf[o++] = 125; // }
  putI32(buf, lenAt, o - lenAt - 4);
  out.pos = o;
  return true;
}
