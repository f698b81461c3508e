/**
 * Bulk CSV bytes → PostgreSQL COPY text bytes in one pass, for big loads into PostgreSQL: no
 * string per cell, no row arrays, no second encoding — the page's bytes are rewritten into the
 * COPY stream (quotes dropped, `""` → `"`, backslash/tab/CR/LF escaped, a null → `\N`, `,` → tab),
 * compound fields are built as JSON from their components, and the deleted mark and synced time
 * are appended. Only what the sync needs per row is decoded: the Id, IsDeleted and the cursor.
 *
 * It reads Salesforce's regular Bulk CSV as requested here (COMMA, LF; every non-null value
 * quoted; a null an empty unquoted cell). A row outside that shape — or a value a typed column
 * would not take as is (a number with other characters, a datetime not in ISO form, a boolean
 * not `true`/`false`) — stops the pass at that row: the caller converts the rest of the page the
 * general way (values.ts), which validates and normalises, so nothing is skipped or guessed.
 */
import type { ColumnKind } from '../store/types.js';
import { compareCursor, type Cursor } from './keyset.js';
import type { SyncField } from './fields.js';
import { isoDateTime } from './values.js';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const TAB = 9;
const BACKSLASH = 92;

/** How a column's bytes are checked before they go to the COPY stream as they are. */
const enum Check {
  None = 0,
  Number = 1,
  Boolean = 2,
  DateTime = 3,
}

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
  /** Per CSV column: the check its cells pass before they are copied. */
  check: Uint8Array;
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

const CHECKS: Partial<Record<ColumnKind, Check>> = {
  integer: Check.Number,
  bigint: Check.Number,
  double: Check.Number,
  boolean: Check.Boolean,
  datetime: Check.DateTime,
};

const qid = (s: string) => `"${s.replace(/"/g, '""')}"`;
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'utf8'));

/**
 * The plan for one CSV header, or undefined when the fields need the general conversion (a JSON
 * field read as a CSV column, or a field the header lacks — the general path reports it).
 */
export function copyPlan(fields: SyncField[], header: string[], cursorField: string | undefined): CopyPlan | undefined {
  const index = new Map(header.map((h, i) => [h.toLowerCase(), i]));
  const byName = new Map(fields.map((f) => [f.field.toLowerCase(), f]));
  const keep = new Uint8Array(header.length);
  const check = new Uint8Array(header.length);
  const names = header.map(() => '');
  const columns: string[] = [];
  const compoundColumns: string[] = [];
  for (const f of fields) {
    if (f.components) continue;
    if (f.kind === 'json' || !index.has(f.field.toLowerCase())) return undefined;
  }
  header.forEach((h, i) => {
    const f = byName.get(h.toLowerCase());
    if (!f || f.components) return;
    keep[i] = 1;
    check[i] = CHECKS[f.kind] ?? Check.None;
    names[i] = qid(f.column);
    columns.push(names[i]);
  });
  const compounds: Part[][] = [];
  for (const f of fields) {
    if (!f.components) continue;
    const parts = Object.entries(f.components).map(([key, field]): Part => {
      const kind = byName.get(field.toLowerCase())?.kind;
      const literal = kind === 'integer' || kind === 'bigint' || kind === 'double' || kind === 'boolean';
      const at = index.get(field.toLowerCase()) ?? -1;
      if (literal && at >= 0 && check[at] === Check.None) check[at] = kind === 'boolean' ? Check.Boolean : Check.Number;
      return { key: ascii(JSON.stringify(key) + ':'), at, literal };
    });
    compounds.push(parts);
    compoundColumns.push(qid(f.column));
  }
  columns.push(...compoundColumns, ...TAIL);
  const at = (name: string | undefined) => (name === undefined ? -1 : (index.get(name.toLowerCase()) ?? -1));
  if (at('Id') < 0) return undefined;
  const omit = new Uint8Array(header.length);
  return {
    width: header.length,
    keep,
    check,
    idAt: at('Id'),
    deletedAt: at('IsDeleted'),
    cursorAt: at(cursorField),
    compounds,
    columns,
    omit,
    names,
    compoundColumns,
  };
}

const TAIL = ['_fb_deleted_at', '_fb_synced_at'];

/**
 * `full` without the columns `used` says had no value so far (never the Id): most objects have
 * many fields nobody fills, and COPY then neither carries nor parses them. Measured on 1M
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

/** One batch of COPY text and what the sync needs to know of its rows. */
export interface CopyBatch {
  /** COPY text lines (each ending in LF) for `plan.columns`. */
  text: Buffer;
  columns: string[];
  /** Id of each row, in order. */
  ids: string[];
  /** 1 where the row's IsDeleted is true. */
  deleted: Uint8Array;
  /** The greatest (cursor, Id) among the rows, when the plan has a cursor column. */
  maxCursor?: Cursor;
  /** The synced time written into the rows (epoch ms); the feed entries take the same. */
  now: number;
}

export interface CopyChunk {
  batch: CopyBatch | undefined;
  /** Offset after the last row converted. */
  next: number;
  /** Offset of a row the pass cannot convert as is (the general path takes the rest). */
  failedAt?: number;
  /** The row at `next` has a value in a column the plan left out: go on with the full plan. */
  widen?: boolean;
}

/** A growable output buffer. */
class Out {
  buf: Uint8Array;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  ascii(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }
}

const NULL = ascii('\\N');

/** A JSON number (`-?int(.frac)?(e[+-]?int)?`): what both PostgreSQL and JSON take as is. */
function isNumber(b: Uint8Array, from: number, to: number): boolean {
  let i = from;
  if (b[i] === 45) i++; // -
  const digits = () => {
    const s = i;
    while (i < to && b[i]! >= 48 && b[i]! <= 57) i++;
    return i > s;
  };
  if (!digits()) return false;
  if (i < to && b[i] === 46) {
    i++;
    if (!digits()) return false;
  }
  if (i < to && (b[i] === 101 || b[i] === 69)) {
    i++;
    if (b[i] === 43 || b[i] === 45) i++;
    if (!digits()) return false;
  }
  return i === to;
}

/** `2024-01-02T03:04:05.000Z` (or `+0000`): ISO as Salesforce writes it. */
function isDateTime(b: Uint8Array, from: number, to: number): boolean {
  const n = to - from;
  return (n === 24 || n === 28) && b[from + 4] === 45 && b[from + 7] === 45 && b[from + 10] === 84 && b[from + 13] === 58 && b[from + 16] === 58;
}

/** Whether the cell [from, to) of `b` reads `true`. */
const isTrue = (b: Uint8Array, from: number, to: number) =>
  to - from === 4 && b[from] === 116 && b[from + 1] === 114 && b[from + 2] === 117 && b[from + 3] === 101;

/** Whether the cell [from, to) of `b` reads `true` or `false`. */
const isBoolean = (b: Uint8Array, from: number, to: number) =>
  isTrue(b, from, to) || (to - from === 5 && b[from] === 102 && b[from + 1] === 97 && b[from + 2] === 108 && b[from + 3] === 115 && b[from + 4] === 101);

function checked(chk: number, b: Uint8Array, from: number, to: number): boolean {
  if (chk === Check.None) return true;
  if (chk === Check.Number) return isNumber(b, from, to);
  if (chk === Check.Boolean) return isBoolean(b, from, to);
  return isDateTime(b, from, to);
}

/**
 * Converts up to `max` rows of `page` from offset `pos` (the start of a data row). Stops early at
 * a row it cannot convert as is and reports its offset in `failedAt`, or at a row with a value in
 * a column the plan left out (`widen`). `sizeHint`: expected bytes of output (e.g. the previous
 * batch's). `used` gets a 1 for every written column that had a value.
 */
export function csvToCopy(
  page: Buffer,
  pos: number,
  max: number,
  plan: CopyPlan,
  now: number,
  sizeHint = 1 << 20,
  used: Uint8Array = new Uint8Array(plan.width),
): CopyChunk {
  const len = page.length;
  const width = plan.width;
  // The output grows by doubling; the caller's hint (the last batch's size) avoids most of that.
  const out = new Out(Math.max(1 << 12, Math.min(sizeHint, Math.ceil((len - pos) * 1.2) + 1024)));
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const ids: string[] = [];
  const deletedFlags: number[] = [];
  const nowText = String(now);
  let maxCursor: Cursor | undefined;
  let i = pos;
  let failedAt: number | undefined;
  let widenAt: number | undefined;
  const { keep, check, compounds, omit } = plan;
  while (i < len && ids.length < max) {
    const rowStart = i;
    const outStart = out.pos;
    const end = convertRow(page, i, width, keep, check, omit, used, starts, ends, out);
    if (end < 0) {
      out.pos = outStart;
      if (end === WIDEN) widenAt = rowStart;
      else failedAt = rowStart;
      break;
    }
    const deleted = plan.deletedAt >= 0 && isTrue(page, starts[plan.deletedAt]!, ends[plan.deletedAt]!);
    let ok = true;
    for (const parts of compounds) {
      out.ensure(1);
      out.buf[out.pos++] = TAB;
      if (!(ok = writeCompound(out, page, parts, starts, ends))) break;
    }
    if (!ok) {
      out.pos = outStart;
      failedAt = rowStart;
      break;
    }
    i = end;
    out.ensure(1);
    out.buf[out.pos++] = TAB;
    if (deleted) out.ascii(nowText);
    else out.bytes(NULL);
    out.ensure(1);
    out.buf[out.pos++] = TAB;
    out.ascii(nowText);
    out.ensure(1);
    out.buf[out.pos++] = LF;
    const id = page.toString('latin1', starts[plan.idAt]!, ends[plan.idAt]!); // a plan always has Id
    ids.push(id);
    deletedFlags.push(deleted ? 1 : 0);
    if (plan.cursorAt >= 0 && ends[plan.cursorAt]! > starts[plan.cursorAt]!) {
      // Canonical ISO-8601 UTC strings (isoDateTime) order as the instants they name.
      const at = isoDateTime(page.toString('latin1', starts[plan.cursorAt]!, ends[plan.cursorAt]!));
      if (!maxCursor || at > maxCursor.at || (at === maxCursor.at && id > maxCursor.id)) maxCursor = { at, id };
    }
  }
  const next = failedAt ?? widenAt ?? i;
  const failed = failedAt !== undefined ? { failedAt } : widenAt !== undefined ? { widen: true } : {};
  if (!ids.length) return { batch: undefined, next, ...failed };
  return {
    batch: {
      text: Buffer.from(out.buf.buffer, out.buf.byteOffset, out.pos),
      columns: plan.columns,
      ids,
      deleted: Uint8Array.from(deletedFlags),
      ...(maxCursor ? { maxCursor } : {}),
      now,
    },
    next,
    ...failed,
  };
}

/** convertRow: the row has a value in a column the plan left out. */
const WIDEN = -2;

/**
 * One CSV row from `i` into `out` (written columns tab-separated, no line end); each column's
 * content range goes to starts/ends; `used` marks written columns with a value. Returns the offset
 * after the row, -1 when the row is not in the shape read here, or WIDEN when it has a value in a
 * left-out column (the caller rolls `out` back either way). The output position and buffer are kept
 * in locals (the hot loop); capacity is ensured per quote-free segment, found with indexOf.
 */
function convertRow(
  page: Buffer,
  i: number,
  width: number,
  keep: Uint8Array,
  check: Uint8Array,
  omit: Uint8Array,
  used: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  out: Out,
): number {
  let buf = out.buf;
  let o = out.pos;
  let col = 0;
  let written = false;
  const room = (n: number) => {
    if (o + n <= buf.length) return;
    out.pos = o;
    out.ensure(n);
    buf = out.buf;
  };
  for (;;) {
    if (col >= width) return -1;
    const write = keep[col] === 1;
    room(4);
    if (write) {
      if (written) buf[o++] = TAB;
      written = true;
    }
    const c = page[i];
    if (c === QUOTE) {
      i++;
      starts[col] = i;
      const cellOut = o;
      for (;;) {
        const q = page.indexOf(QUOTE, i);
        if (q < 0) return -1;
        if (write) {
          room(2 * (q - i) + 2);
          for (let k = i; k < q; k++) {
            const b = page[k]!;
            if ((b > CR && b !== BACKSLASH) || (b < CR && b !== LF && b !== TAB)) {
              buf[o++] = b;
              continue;
            }
            buf[o++] = BACKSLASH;
            buf[o++] = b === BACKSLASH ? BACKSLASH : b === LF ? 110 /* n */ : b === CR ? 114 /* r */ : 116; /* t */
          }
        }
        if (page[q + 1] === QUOTE) {
          if (write) buf[o++] = QUOTE;
          i = q + 2;
          continue;
        }
        i = q;
        break;
      }
      ends[col] = i;
      i++; // the closing quote
      if (write) {
        // An empty quoted value is stored as null, as the general path does.
        if (o === cellOut) {
          buf[o++] = BACKSLASH;
          buf[o++] = 78; // N
        } else if (!checked(check[col]!, buf, cellOut, o)) return -1;
        else used[col] = 1;
      } else if (omit[col] === 1 && ends[col]! > starts[col]!) return WIDEN;
    } else if (c === COMMA || c === LF || c === undefined) {
      starts[col] = ends[col] = i; // a null: an empty unquoted cell
      if (write) {
        buf[o++] = BACKSLASH;
        buf[o++] = 78; // N
      }
    } else return -1; // an unquoted value, or a CR outside quotes
    col++;
    const sep = page[i];
    if (sep === COMMA) {
      i++;
      continue;
    }
    if (sep === LF) i++;
    else if (sep !== undefined) return -1;
    out.pos = o;
    return col === width ? i : -1;
  }
}

/**
 * A compound field (address, location) as JSON from its components' cells — every key, null for
 * an empty cell; `\N` when all are empty — escaped for COPY (each JSON backslash doubled).
 * Returns false when a number/boolean component is not a JSON literal as it stands.
 */
function writeCompound(out: Out, page: Buffer, parts: Part[], starts: Int32Array, ends: Int32Array): boolean {
  let any = false;
  for (const p of parts) if (p.at >= 0 && ends[p.at]! > starts[p.at]!) any = true;
  if (!any) {
    out.bytes(NULL);
    return true;
  }
  out.ensure(1);
  out.buf[out.pos++] = 123; // {
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (k > 0) {
      out.ensure(1);
      out.buf[out.pos++] = COMMA;
    }
    out.bytes(p.key);
    const from = p.at >= 0 ? starts[p.at]! : 0;
    const to = p.at >= 0 ? ends[p.at]! : 0;
    if (to === from) {
      out.ascii('null');
      continue;
    }
    if (p.literal) {
      if (!isNumber(page, from, to) && !isBoolean(page, from, to)) return false;
      out.bytes(page.subarray(from, to));
      continue;
    }
    out.ensure(1);
    out.buf[out.pos++] = QUOTE;
    for (let i = from; i < to; i++) {
      const b = page[i]!;
      out.ensure(7);
      const buf = out.buf;
      if (b === QUOTE) {
        // `""` in the CSV: one quote, JSON-escaped (\") with the backslash doubled for COPY.
        buf[out.pos++] = BACKSLASH;
        buf[out.pos++] = BACKSLASH;
        buf[out.pos++] = QUOTE;
        i++;
      } else if (b === BACKSLASH) {
        for (let n = 0; n < 4; n++) buf[out.pos++] = BACKSLASH;
      } else if (b < 0x20) {
        buf[out.pos++] = BACKSLASH;
        buf[out.pos++] = BACKSLASH;
        const hex = b.toString(16).padStart(4, '0');
        buf[out.pos++] = 117; // u
        for (let n = 0; n < 4; n++) buf[out.pos++] = hex.charCodeAt(n);
      } else buf[out.pos++] = b;
    }
    out.ensure(1);
    out.buf[out.pos++] = QUOTE;
  }
  out.ensure(1);
  out.buf[out.pos++] = 125; // }
  return true;
}

/** Consecutive batches of one page (same plan and synced time) as one. */
export function joinCopyBatches(parts: readonly CopyBatch[]): CopyBatch {
  if (parts.length === 1) return parts[0]!;
  if (!parts.length) throw new Error('joinCopyBatches: no batches');
  let maxCursor: Cursor | undefined;
  for (const p of parts) if (p.maxCursor && (!maxCursor || compareCursor(p.maxCursor, maxCursor) > 0)) maxCursor = p.maxCursor;
  const deleted = new Uint8Array(parts.reduce((n, p) => n + p.deleted.length, 0));
  let at = 0;
  for (const p of parts) {
    deleted.set(p.deleted, at);
    at += p.deleted.length;
  }
  return {
    text: Buffer.concat(parts.map((p) => p.text)),
    columns: parts[0]!.columns,
    ids: parts.flatMap((p) => p.ids),
    deleted,
    ...(maxCursor ? { maxCursor } : {}),
    now: parts[0]!.now,
  };
}
