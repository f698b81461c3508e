import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bulkCopyBatches } from './bulk-copy.js';
import { csvRow } from '../emulator/bulk/csv.js';
import { backends } from '../store/test-support/stores.js';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, copyPlan, CopyBuilder, csvToCopy, narrowCopyPlan, type CopyBatch } from './copy-binary.js';
import { selectList, syncFields, type SyncField } from './fields.js';
import { csvRowBuilder, jsonText, type ColumnValue } from './values.js';

const DESCRIBE = [
  { name: 'Id', type: 'id' },
  { name: 'IsDeleted', type: 'boolean' },
  { name: 'Name', type: 'string' },
  { name: 'Description', type: 'textarea' },
  { name: 'NumberOfEmployees', type: 'int' },
  { name: 'AnnualRevenue', type: 'currency' },
  { name: 'Big__c', type: 'long' },
  { name: 'Opens__c', type: 'time' },
  { name: 'BillingStreet', type: 'textarea', compoundFieldName: 'BillingAddress' },
  { name: 'BillingCity', type: 'string', compoundFieldName: 'BillingAddress' },
  { name: 'BillingLatitude', type: 'double', compoundFieldName: 'BillingAddress' },
  { name: 'BillingAddress', type: 'address' },
  { name: 'LastActivityDate', type: 'date' },
  { name: 'SystemModstamp', type: 'datetime' },
];
const FIELDS = syncFields(DESCRIBE);
const HEADER = selectList(FIELDS);
const FMT = { delimiter: ',', lineEnding: '\n' };

type Cells = (string | null)[];
const row = (id: string, o: Partial<Record<string, string | null>> = {}): Cells =>
  HEADER.map((h) => (h === 'Id' ? id : h in o ? o[h]! : h === 'IsDeleted' ? 'false' : h === 'SystemModstamp' ? '2024-03-01T10:00:00.000Z' : null));
const page = (rows: Cells[]) => Buffer.from(csvRow(HEADER, FMT) + rows.map((r) => csvRow(r, FMT)).join(''), 'utf8');
const dataStart = (b: Buffer) => b.indexOf(10) + 1;

const byColumn = new Map(FIELDS.map((f) => [`"${f.column}"`, f]));
const EPOCH_2000 = Date.UTC(2000, 0, 1);

/** One binary value as the general path's value would read (dates, datetimes and times as text). */
function decodeValue(f: SyncField | undefined, v: Buffer): ColumnValue {
  if (!f) return Number(v.readBigInt64BE(0)); // the marks: epoch ms
  switch (f.kind) {
    case 'boolean':
      assert.equal(v.length, 1);
      return v[0] === 1;
    case 'integer':
      assert.equal(v.length, 4);
      return v.readInt32BE(0);
    case 'bigint':
      return Number(v.readBigInt64BE(0));
    case 'double':
      return v.readDoubleBE(0);
    case 'date':
      return new Date(EPOCH_2000 + v.readInt32BE(0) * 86_400_000).toISOString().slice(0, 10);
    case 'datetime': {
      const us = v.readBigInt64BE(0);
      assert.equal(us % 1000n, 0n, 'whole milliseconds');
      return new Date(EPOCH_2000 + Number(us / 1000n)).toISOString();
    }
    case 'time':
      return new Date(Number(v.readBigInt64BE(0) / 1000n)).toISOString().slice(11, 23);
    case 'json':
      assert.equal(v[0], 1, 'jsonb version 1');
      return JSON.parse(v.subarray(1).toString('utf8')) as Record<string, unknown>;
    default:
      return v.toString('utf8');
  }
}

/** Binary COPY tuples → one map (COPY column → value, null for a null) per row. */
function decodeTuples(b: CopyBatch): Map<string, ColumnValue>[] {
  const rows: Map<string, ColumnValue>[] = [];
  let o = 0;
  while (o < b.data.length) {
    const n = b.data.readInt16BE(o);
    o += 2;
    assert.equal(n, b.columns.length, 'one field per column');
    const m = new Map<string, ColumnValue>();
    for (const col of b.columns) {
      const len = b.data.readInt32BE(o);
      o += 4;
      if (len < 0) m.set(col, null);
      else {
        m.set(col, decodeValue(byColumn.get(col), b.data.subarray(o, o + len)));
        o += len;
      }
    }
    rows.push(m);
  }
  assert.equal(o, b.data.length, 'nothing after the last tuple');
  return rows;
}

/** What the general path makes of the same cells, in the decoded form. */
function general(cells: Cells): Map<string, ColumnValue> {
  const index = new Map(HEADER.map((h, i) => [h.toLowerCase(), i]));
  const byName = new Map(FIELDS.map((f) => [f.field.toLowerCase(), f]));
  const values = csvRowBuilder(FIELDS, index, byName)(cells.map((c) => c ?? ''));
  return new Map(
    FIELDS.map((f, i) => {
      const v = values[i]!;
      if (v === null) return [f.column, null];
      if (f.kind === 'json') return [f.column, typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : v];
      if (f.kind === 'time') return [f.column, String(v).replace(/Z$/, '')];
      if (Object.is(v, -0)) return [f.column, 0]; // a -0 parameter reaches PostgreSQL as '0'
      return [f.column, v];
    }),
  );
}

/** Every field of each decoded row equals the general path's value (a left-out column reads null). */
function assertAsGeneral(b: CopyBatch, rows: Cells[]): void {
  const got = decodeTuples(b);
  assert.equal(got.length, rows.length);
  got.forEach((m, n) => {
    const want = general(rows[n]!);
    for (const f of FIELDS) assert.deepEqual(m.has(`"${f.column}"`) ? m.get(`"${f.column}"`) : null, want.get(f.column), `${rows[n]![0]} ${f.field}`);
  });
}

const TRICKY: Cells[] = [
  row('001000000000001AAA', {
    Name: 'Plain Co',
    NumberOfEmployees: '12',
    AnnualRevenue: '1500000.5',
    LastActivityDate: '2024-02-29',
    Big__c: '-9007199254740991',
  }),
  row('001000000000002AAA', { Name: 'Say "hi", Co', Description: 'line 1\nline 2\r\nend\twith tab and back\\slash', Opens__c: '08:30:00.000Z' }),
  row('001000000000003AAA', { Name: 'Ünïcödé ☃ 🚀 Ltd', BillingStreet: '1 "Main" St\nSuite \\5', BillingCity: 'Zürich', BillingLatitude: '47.3769' }),
  row('001000000000004AAA', { Name: '', Description: null, BillingCity: 'Only City', AnnualRevenue: '0.30000000000000004' }),
  row('001000000000005AAA', { IsDeleted: 'true', Name: 'Gone', AnnualRevenue: '-1.25e3', SystemModstamp: '2024-03-01T10:00:01.000Z' }),
  row('001000000000006AAA', { Name: 'Control \u0001 char', BillingStreet: 'tab\there\u0002', NumberOfEmployees: '0', Opens__c: '23:59:59.999' }),
  // Far from 2000 both ways (µs past 2^53), before 1970, and the ends of int32.
  row('001000000000007AAA', { SystemModstamp: '3999-12-31T23:59:59.999Z', LastActivityDate: '1700-01-01', NumberOfEmployees: '-2147483648' }),
  row('001000000000008AAA', { SystemModstamp: '1969-12-31T23:59:59.999+0000', LastActivityDate: '1999-12-31', NumberOfEmployees: '2147483647' }),
  row('001000000000009AAA', { AnnualRevenue: '-0', Big__c: '123456789012345', BillingLatitude: '-33.8688', LastActivityDate: '2100-02-28' }),
  row('001000000000010AAA', { AnnualRevenue: '12345678901234567890.123', Name: 'long mantissa' }),
  row('001000000000011AAA', { AnnualRevenue: '1e-7', Name: 'exponent' }),
];

describe('Bulk CSV → binary COPY', () => {
  it('converts every row as the general path reads it: quotes, nulls, unicode, numbers, dates, times, compounds, deleted mark, synced time', () => {
    const bytes = page(TRICKY);
    const plan = copyPlan(FIELDS, HEADER, 'SystemModstamp');
    assert.ok(plan);
    const r = csvToCopy(bytes, dataStart(bytes), 100, plan, 1_700_000_000_123);
    assert.equal(r.failedAt, undefined);
    assert.equal(r.next, bytes.length);
    const b = r.batch!;
    assert.deepEqual(
      b.ids,
      TRICKY.map((c) => c[0]),
    );
    assert.deepEqual(
      [...b.deleted],
      TRICKY.map((c) => (c[1] === 'true' ? 1 : 0)),
    );
    assert.deepEqual(b.maxCursor, { at: '3999-12-31T23:59:59.999Z', id: '001000000000007AAA' });
    assertAsGeneral(b, TRICKY);
    decodeTuples(b).forEach((m, n) => {
      assert.equal(m.get('_fb_deleted_at'), n === 4 ? 1_700_000_000_123 : null);
      assert.equal(m.get('_fb_synced_at'), 1_700_000_000_123);
    });
    assert.equal(new Set(b.columns).size, FIELDS.length + 2, 'every field once, plus the two marks');
  });

  it('writes a compound with its keys in jsonb order (length, then bytes), so PostgreSQL finds them sorted', () => {
    const bytes = page([TRICKY[2]!]);
    const b = csvToCopy(bytes, dataStart(bytes), 1, copyPlan(FIELDS, HEADER, 'SystemModstamp')!, 1).batch!;
    const k = b.columns.indexOf('"billingaddress"');
    let o = 2;
    for (let c = 0; c < k; c++) o += 4 + Math.max(0, b.data.readInt32BE(o));
    const json = b.data.subarray(o + 5, o + 4 + b.data.readInt32BE(o)).toString('utf8');
    const keys = Object.keys(JSON.parse(json) as object);
    assert.deepEqual(
      keys,
      [...keys].sort((x, y) => x.length - y.length || (x < y ? -1 : 1)),
    );
  });

  it('stops at a row it cannot take as is — another CSV shape, or a value not in the form Salesforce writes — and keeps the rows before', () => {
    const plan = copyPlan(FIELDS, HEADER, 'SystemModstamp')!;
    const odd = [
      csvRow(row('001000000000020AAA'), FMT).replace('"false"', 'false'),
      csvRow(row('001000000000021AAA', { NumberOfEmployees: '1,200' }), FMT),
      csvRow(row('001000000000022AAA', { SystemModstamp: '2024-03-01 10:00:00' }), FMT),
      csvRow(row('001000000000023AAA', { BillingLatitude: '+47.1' }), FMT),
      csvRow(row('001000000000024AAA'), FMT).replace('\n', '\r\n'),
      csvRow(row('001000000000025AAA'), FMT).replace(/,"false"/, ''),
      csvRow(row('001000000000026AAA', { LastActivityDate: '2023-02-29' }), FMT),
      csvRow(row('001000000000027AAA', { SystemModstamp: '2024-03-01T24:00:00.000Z' }), FMT),
      csvRow(row('001000000000028AAA', { SystemModstamp: '2024-03-01T10:00:00.000+0100' }), FMT),
      csvRow(row('001000000000029AAA', { NumberOfEmployees: '2147483648' }), FMT),
      csvRow(row('001000000000030AAA', { AnnualRevenue: '1e400' }), FMT),
      csvRow(row('001000000000031AAA', { AnnualRevenue: '1e-400' }), FMT),
      csvRow(row('001000000000032AAA', { IsDeleted: 'yes' }), FMT),
      csvRow(row('001000000000033AAA', { NumberOfEmployees: '1"2' }), FMT),
      csvRow(row('001000000000034AAA', { Opens__c: '8:30' }), FMT),
      csvRow(row('001000000000035AAA', { Big__c: '1234567890123456789' }), FMT),
      csvRow(row('001000000000036AAA', { NumberOfEmployees: '12.0' }), FMT),
    ];
    for (const bad of odd) {
      const text = csvRow(HEADER, FMT) + csvRow(TRICKY[0]!, FMT) + bad + csvRow(TRICKY[1]!, FMT);
      const bytes = Buffer.from(text, 'utf8');
      const r = csvToCopy(bytes, dataStart(bytes), 100, plan, 1);
      assert.deepEqual(r.batch?.ids, [TRICKY[0]![0]], bad);
      assert.equal(r.failedAt, Buffer.byteLength(csvRow(HEADER, FMT) + csvRow(TRICKY[0]!, FMT)), bad);
      assert.equal(decodeTuples(r.batch!).length, 1, 'nothing of the stopped row is left in the output');
    }
  });

  it('pages through bulkCopyBatches: batches of tuples, the general path from an odd row on, every row once and in order', async () => {
    const rows = Array.from({ length: 23 }, (_, i) =>
      row(`001${String(i).padStart(12, '0')}AAA`, { Name: `Co ${i}`, NumberOfEmployees: i === 9 ? '1 000' : String(i) }),
    );
    const p1 = page(rows.slice(0, 15));
    const p2 = page(rows.slice(15));
    async function* pages() {
      yield { body: '', bytes: p1, next: 'x', n: 1 };
      yield { body: p2.toString('utf8'), next: undefined, n: 2 }; // a transport that answered in text
    }
    const seen: string[] = [];
    const kinds: string[] = [];
    for await (const item of bulkCopyBatches(pages(), { fields: FIELDS, cursorField: 'SystemModstamp', batchRows: 4, now: () => 5, what: 'test' })) {
      if (item.copy) {
        kinds.push(`copy:${item.copy.ids.length}`);
        seen.push(...item.copy.ids);
      } else {
        kinds.push(`csv:${item.csv.rows.length}`);
        seen.push(...item.csv.rows.map((r) => r[0]!));
      }
    }
    assert.deepEqual(
      seen,
      rows.map((r) => r[0]),
    );
    // Page 1: 4 + 4 + 1 rows as tuples, then row 9 stops it: the rest (6 rows) as CSV; page 2: 4 + 4.
    assert.deepEqual(kinds, ['copy:4', 'copy:4', 'copy:1', 'csv:4', 'csv:2', 'copy:4', 'copy:4']);
  });

  it('a batch bigger than a slice is converted in slices into one buffer: the same bytes, ids, marks and cursor as in one go', async () => {
    const rows = Array.from({ length: 2300 }, (_, i) =>
      row(`001${String(i).padStart(12, '0')}AAA`, {
        Name: `Co "${i}"\\`,
        IsDeleted: i % 97 === 0 ? 'true' : 'false',
        // The greatest cursor sits in the middle slice.
        SystemModstamp: i === 1500 ? '2024-03-02T00:00:00.000Z' : '2024-03-01T10:00:00.000Z',
      }),
    );
    const bytes = page(rows);
    const plan = copyPlan(FIELDS, HEADER, 'SystemModstamp')!;
    // A small first buffer: it grows on the way.
    const one = new CopyBuilder(bytes, plan, 9, 100);
    assert.deepEqual(one.convert(dataStart(bytes), 2500), { next: bytes.length });
    const whole = one.finish()!;
    async function* pages() {
      yield { body: '', bytes, next: undefined, n: 1 };
    }
    const items = [];
    for await (const item of bulkCopyBatches(pages(), { fields: FIELDS, cursorField: 'SystemModstamp', batchRows: 2500, now: () => 9, what: 'test' }))
      items.push(item);
    assert.equal(items.length, 1, 'one batch, as batchRows asks');
    const joined = items[0]!.copy!;
    assert.ok(joined.data.equals(whole.data), 'the same tuples');
    assert.deepEqual(joined.ids, whole.ids);
    assert.deepEqual([...joined.deleted], [...whole.deleted]);
    assert.deepEqual(joined.maxCursor, { at: '2024-03-02T00:00:00.000Z', id: rows[1500]![0] });
    assert.equal(joined.now, 9);
    assertAsGeneral(joined, rows);
  });

  it('a narrowed plan leaves out the columns that had no value; a value in one stops the batch there (widen)', () => {
    const full = copyPlan(FIELDS, HEADER, 'SystemModstamp')!;
    const used = new Uint8Array(full.width);
    const first = page([row('001000000000040AAA', { Name: 'A' }), row('001000000000041AAA', { Name: 'B', NumberOfEmployees: '3' })]);
    csvToCopy(first, dataStart(first), 100, full, 1, used);
    const narrow = narrowCopyPlan(full, used);
    // Id, IsDeleted, Name, NumberOfEmployees and SystemModstamp had values; the compound and the marks stay.
    assert.deepEqual(narrow.columns, [
      '"id"',
      '"isdeleted"',
      '"name"',
      '"numberofemployees"',
      '"systemmodstamp"',
      '"billingaddress"',
      '_fb_deleted_at',
      '_fb_synced_at',
    ]);
    const rows = [
      row('001000000000042AAA', { Name: 'C', BillingCity: 'Oslo' }),
      row('001000000000043AAA', { Name: 'D', Description: 'now filled' }),
      row('001000000000044AAA', { Name: 'E', Description: '' }),
    ];
    const bytes = page(rows);
    const r = csvToCopy(bytes, dataStart(bytes), 100, narrow, 1);
    // BillingCity is a column of its own too (besides a part of the compound), left out here.
    assert.equal(r.widen, true);
    assert.equal(r.batch, undefined, 'row C has a value in the left-out BillingCity column');
    assert.equal(r.next, dataStart(bytes));
    assert.equal(csvToCopy(bytes, dataStart(bytes), 100, full, 1).batch!.ids.length, 3, 'the full plan takes every row');
    const onlyD = page(rows.slice(1));
    const d = csvToCopy(onlyD, dataStart(onlyD), 100, narrow, 1);
    assert.deepEqual([d.batch, d.widen, d.next], [undefined, true, dataStart(onlyD)], 'row D has a Description');
    const e = page([row('001000000000045AAA', { Name: 'F' }), rows[2]!, rows[1]!]);
    const r2 = csvToCopy(e, dataStart(e), 100, narrow, 1);
    assert.deepEqual(r2.batch?.ids, ['001000000000045AAA', '001000000000044AAA'], 'an empty quoted value is no value');
    assert.equal(r2.widen, true);
    assert.equal(r2.next, Buffer.byteLength(csvRow(HEADER, FMT) + csvRow(row('001000000000045AAA', { Name: 'F' }), FMT) + csvRow(rows[2]!, FMT)));
    // What the narrowed plan wrote reads back as the general path's values, the left-out columns null.
    assertAsGeneral(r2.batch!, [row('001000000000045AAA', { Name: 'F' }), rows[2]!]);
  });

  it('bulkCopyBatches leaves out what the previous page did not fill and widens again mid-page: every row once, values intact', async () => {
    const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `001${String(from + i).padStart(12, '0')}AAA`);
    const p1 = ids(0, 5).map((id) => row(id, { Name: `N ${id}` }));
    const p2 = ids(5, 6).map((id, i) => row(id, { Name: `N ${id}`, ...(i === 3 ? { Description: 'late value', AnnualRevenue: '12.5' } : {}) }));
    const p3 = ids(11, 2).map((id) => row(id, { Name: `N ${id}` }));
    async function* pages() {
      yield { body: '', bytes: page(p1), next: 'a', n: 1 };
      yield { body: '', bytes: page(p2), next: 'b', n: 2 };
      yield { body: '', bytes: page(p3), next: undefined, n: 3 };
    }
    const batches: CopyBatch[] = [];
    for await (const item of bulkCopyBatches(pages(), { fields: FIELDS, cursorField: 'SystemModstamp', batchRows: 100, now: () => 1, what: 'test' })) {
      assert.ok(item.copy, 'every row takes the COPY path');
      batches.push(item.copy);
    }
    assert.deepEqual(
      batches.map((b) => [b.ids.length, b.columns.length]),
      [
        [5, FIELDS.length + 2], // page 1: every column
        [3, 7], // page 2 until the row with a Description: Id, IsDeleted, Name, SystemModstamp, the compound and the marks
        [3, FIELDS.length + 2], // widened for the rest of page 2
        [2, 9], // page 3: what page 2 filled, Description and AnnualRevenue included
      ],
    );
    const rows = [...p1, ...p2, ...p3];
    let at = 0;
    for (const b of batches) {
      assertAsGeneral(b, rows.slice(at, at + b.ids.length));
      at += b.ids.length;
    }
    assert.equal(at, rows.length);
  });

  it('a released batch lends its memory to a later one; an unreleased batch keeps its own', async () => {
    const pages = (n: number) =>
      (async function* () {
        for (let p = 0; p < n; p++) {
          const rows = Array.from({ length: 30 }, (_, i) => row(`001${String(p * 100 + i).padStart(12, '0')}AAA`, { Name: `Page ${p} row ${i}` }));
          yield { body: '', bytes: page(rows), next: p + 1 < n ? 'more' : undefined, n: p + 1 };
        }
      })();
    const o = { fields: FIELDS, cursorField: 'SystemModstamp', batchRows: 30, now: () => 1, what: 'test' };
    // Memory as (ArrayBuffer, offset): small buffers are slices of Node's shared pool.
    const distinct = (xs: Buffer[]) => xs.filter((x, i) => xs.findIndex((y) => y.buffer === x.buffer && y.byteOffset === x.byteOffset) === i).length;
    const kept: Buffer[] = [];
    for await (const item of bulkCopyBatches(pages(4), o)) kept.push(item.copy!.data);
    assert.equal(distinct(kept), 4, 'never released: four buffers');
    const seen: Buffer[] = [];
    let at = 0;
    for await (const item of bulkCopyBatches(pages(4), o)) {
      const b = item.copy!;
      // Read in full before release, as a writer does.
      assert.deepEqual(
        decodeTuples(b).map((m) => m.get('"name"')),
        Array.from({ length: 30 }, (_, i) => `Page ${at} row ${i}`),
      );
      seen.push(b.data);
      b.release!();
      b.release!(); // twice is harmless
      at++;
    }
    assert.equal(at, 4);
    assert.equal(distinct(seen), 1, 'each batch wrote into the memory the one before gave back');
  });

  it('sends a page that is not valid UTF-8 the general way, decoded with replacement characters', async () => {
    const broken = page([row('001000000000050AAA', { Name: 'FiXne' })]);
    broken[broken.indexOf('FiXne') + 2] = 0xff; // a byte no UTF-8 text has
    async function* pages() {
      yield { body: '', bytes: broken, next: undefined, n: 1 };
    }
    const items = [];
    for await (const item of bulkCopyBatches(pages(), { fields: FIELDS, batchRows: 10, now: () => 1, what: 'test' })) items.push(item);
    assert.equal(items.length, 1);
    assert.equal(items[0]!.copy, undefined);
    const name = items[0]!.csv!.rows[0]![HEADER.indexOf('Name')];
    assert.equal(name, 'Fi\ufffdne');
  });

  it('encodes for the kind the table’s column has when it differs from describe (a field whose type changed)', () => {
    const plan = copyPlan(FIELDS, HEADER, 'SystemModstamp', new Map([['annualrevenue', 'text']]))!;
    const bytes = page([row('001000000000060AAA', { AnnualRevenue: '1500000.50' })]);
    const b = csvToCopy(bytes, dataStart(bytes), 1, plan, 1).batch!;
    let o = 2;
    const k = b.columns.indexOf('"annualrevenue"');
    for (let c = 0; c < k; c++) o += 4 + Math.max(0, b.data.readInt32BE(o));
    assert.equal(b.data.subarray(o + 4, o + 4 + b.data.readInt32BE(o)).toString(), '1500000.50', 'the cell as text, as text input would store it');
    // A JSON column for a plain field, or a compound whose column is not JSON: the general path.
    assert.equal(copyPlan(FIELDS, HEADER, 'SystemModstamp', new Map([['annualrevenue', 'json']])), undefined);
    assert.equal(copyPlan(FIELDS, HEADER, 'SystemModstamp', new Map([['billingaddress', 'text']])), undefined);
  });

  it('leaves a JSON field read as a CSV column, or a header without Id, to the general path', () => {
    const withJson = syncFields([...DESCRIBE, { name: 'Extra__c', type: 'complexvalue' }]);
    assert.equal(copyPlan(withJson, [...HEADER, 'Extra__c'], 'SystemModstamp'), undefined);
    assert.equal(
      copyPlan(
        FIELDS,
        HEADER.filter((h) => h !== 'Id'),
        'SystemModstamp',
      ),
      undefined,
    );
  });
});

const pgBackend = backends.find((b) => b.name === 'postgres')!;

describe('binary COPY in PostgreSQL', { skip: pgBackend.skip }, () => {
  it('stores exactly what PostgreSQL makes of the general path’s values (its own text input)', async () => {
    const t = await pgBackend.create();
    const c = await (t.store.native as pg.Pool).connect();
    try {
      const cols = FIELDS.map((f) => `"${f.column}" ${t.store.columnType(f.kind)}`).join(', ');
      await c.query(`create table via_binary (${cols}, _fb_deleted_at bigint, _fb_synced_at bigint not null)`);
      await c.query('create table via_text (like via_binary)');
      const bytes = page(TRICKY);
      const b = csvToCopy(bytes, dataStart(bytes), 100, copyPlan(FIELDS, HEADER, 'SystemModstamp')!, 1_700_000_000_123).batch!;
      await pipeline(
        Readable.from([COPY_BINARY_HEADER, b.data, COPY_BINARY_TRAILER]),
        c.query(copyFrom(`copy via_binary (${b.columns.join(', ')}) from stdin with (format binary)`)),
      );
      const index = new Map(HEADER.map((h, i) => [h.toLowerCase(), i]));
      const byName = new Map(FIELDS.map((f) => [f.field.toLowerCase(), f]));
      const build = csvRowBuilder(FIELDS, index, byName);
      for (const cells of TRICKY) {
        const values = build(cells.map((x) => x ?? '')).map((v) => (v === null ? null : typeof v === 'object' ? jsonText(v) : v));
        const deleted = cells[1] === 'true' ? 1_700_000_000_123 : null;
        const params = [...values, deleted, 1_700_000_000_123];
        await c.query(`insert into via_text values (${params.map((_, i) => `$${i + 1}`).join(', ')})`, params);
      }
      // Compared as PostgreSQL's text output of every column: the same values, not just close ones.
      const read = async (table: string) =>
        (await c.query({ text: `select * from ${table} order by id`, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } })).rows;
      const [binary, text] = [await read('via_binary'), await read('via_text')];
      assert.equal(binary.length, TRICKY.length);
      assert.deepEqual(binary, text);
    } finally {
      c.release();
      await t.cleanup();
    }
  });
});
