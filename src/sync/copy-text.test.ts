import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bulkCopyBatches } from './bulk-copy.js';
import { csvRow } from '../emulator/bulk/csv.js';
import { copyPlan, csvToCopy, narrowCopyPlan, type CopyBatch } from './copy-text.js';
import { selectList, syncFields, type SyncField } from './fields.js';
import { csvRowBuilder, isoDateTime, type ColumnValue } from './values.js';

const DESCRIBE = [
  { name: 'Id', type: 'id' },
  { name: 'IsDeleted', type: 'boolean' },
  { name: 'Name', type: 'string' },
  { name: 'Description', type: 'textarea' },
  { name: 'NumberOfEmployees', type: 'int' },
  { name: 'AnnualRevenue', type: 'currency' },
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

/** COPY text → cells (null for \N), unescaped. */
function decodeCopy(text: string): (string | null)[][] {
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) =>
      line.split('\t').map((c) => (c === '\\N' ? null : c.replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', r: '\r', t: '\t', '\\': '\\' })[ch] ?? ch))),
    );
}

/** What the general path makes of the same cells, as values comparable with decoded COPY cells. */
function general(fields: SyncField[], cells: string[]): Map<string, ColumnValue> {
  const index = new Map(HEADER.map((h, i) => [h.toLowerCase(), i]));
  const byName = new Map(fields.map((f) => [f.field.toLowerCase(), f]));
  const values = csvRowBuilder(fields, index, byName)(cells);
  return new Map(fields.map((f, i) => [f.column, values[i]!]));
}

function asValue(f: SyncField, cell: string | null): ColumnValue {
  if (cell === null) return null;
  switch (f.kind) {
    case 'boolean':
      return cell === 'true';
    case 'integer':
    case 'double':
      return Number(cell);
    case 'datetime':
      return isoDateTime(cell);
    case 'json':
      return JSON.parse(cell) as Record<string, unknown>;
    default:
      return cell;
  }
}

const TRICKY: Cells[] = [
  row('001000000000001AAA', { Name: 'Plain Co', NumberOfEmployees: '12', AnnualRevenue: '1500000.5', LastActivityDate: '2024-02-29' }),
  row('001000000000002AAA', { Name: 'Say "hi", Co', Description: 'line 1\nline 2\r\nend\twith tab and back\\slash' }),
  row('001000000000003AAA', { Name: 'Ünïcödé ☃ 🚀 Ltd', BillingStreet: '1 "Main" St\nSuite \\5', BillingCity: 'Zürich', BillingLatitude: '47.3769' }),
  row('001000000000004AAA', { Name: '', Description: null, BillingCity: 'Only City' }),
  row('001000000000005AAA', { IsDeleted: 'true', Name: 'Gone', AnnualRevenue: '-1.25e3', SystemModstamp: '2024-03-01T10:00:01.000Z' }),
  row('001000000000006AAA', { Name: 'Control \u0001 char', BillingStreet: 'tab\there\u0002', NumberOfEmployees: '0' }),
];

describe('Bulk CSV → COPY text', () => {
  it('converts every row as the general path reads it: escapes, quotes, nulls, unicode, compounds, deleted mark, synced time', () => {
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
    assert.deepEqual([...b.deleted], [0, 0, 0, 0, 1, 0]);
    assert.deepEqual(b.maxCursor, { at: '2024-03-01T10:00:01.000Z', id: '001000000000005AAA' });
    const lines = decodeCopy(b.text.toString('utf8'));
    assert.equal(lines.length, TRICKY.length);
    const byColumn = new Map(FIELDS.map((f) => [`"${f.column}"`, f]));
    lines.forEach((cells, n) => {
      assert.equal(cells.length, b.columns.length, `row ${n}: one cell per column`);
      const want = general(
        FIELDS,
        TRICKY[n]!.map((c) => c ?? ''),
      );
      b.columns.forEach((col, k) => {
        if (col === '_fb_deleted_at') return assert.equal(cells[k], n === 4 ? '1700000000123' : null);
        if (col === '_fb_synced_at') return assert.equal(cells[k], '1700000000123');
        const f = byColumn.get(col)!;
        const w = want.get(f.column)!;
        assert.deepEqual(asValue(f, cells[k]!), f.kind === 'json' && typeof w === 'string' ? JSON.parse(w) : w, `row ${n} ${f.field}`);
      });
      assert.equal(new Set(b.columns).size, FIELDS.length + 2, 'every field once, plus the two marks');
    });
  });

  it('stops at a row it cannot take as is — an unquoted value, a number or datetime in another form — and keeps the rows before', () => {
    const plan = copyPlan(FIELDS, HEADER, 'SystemModstamp')!;
    const odd = [
      csvRow(row('001000000000007AAA'), FMT).replace('"false"', 'false'),
      csvRow(row('001000000000008AAA', { NumberOfEmployees: '1,200' }), FMT),
      csvRow(row('001000000000009AAA', { SystemModstamp: '2024-03-01 10:00:00' }), FMT),
      csvRow(row('001000000000010AAA', { BillingLatitude: '+47.1' }), FMT),
      csvRow(row('001000000000011AAA'), FMT).replace('\n', '\r\n'),
      csvRow(row('001000000000012AAA'), FMT).replace(/,"false"/, ''),
    ];
    for (const bad of odd) {
      const text = csvRow(HEADER, FMT) + csvRow(TRICKY[0]!, FMT) + bad + csvRow(TRICKY[1]!, FMT);
      const bytes = Buffer.from(text, 'utf8');
      const r = csvToCopy(bytes, dataStart(bytes), 100, plan, 1);
      assert.deepEqual(r.batch?.ids, [TRICKY[0]![0]], bad);
      assert.equal(r.failedAt, Buffer.byteLength(csvRow(HEADER, FMT) + csvRow(TRICKY[0]!, FMT)), bad);
      assert.equal(decodeCopy(r.batch!.text.toString()).length, 1, 'nothing of the stopped row is left in the output');
    }
  });

  it('pages through bulkCopyBatches: batches of COPY text, the general path from an odd row on, every row once and in order', async () => {
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
    // Page 1: 4 + 4 + 1 rows as COPY text, then row 9 stops it: the rest (6 rows) as CSV; page 2: 4 + 4.
    assert.deepEqual(kinds, ['copy:4', 'copy:4', 'copy:1', 'csv:4', 'csv:2', 'copy:4', 'copy:4']);
  });

  it('a batch bigger than a slice is converted in slices and joined: the same bytes, ids, marks and cursor as in one go', async () => {
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
    const whole = csvToCopy(bytes, dataStart(bytes), 2500, plan, 9).batch!;
    async function* pages() {
      yield { body: '', bytes, next: undefined, n: 1 };
    }
    const items = [];
    for await (const item of bulkCopyBatches(pages(), { fields: FIELDS, cursorField: 'SystemModstamp', batchRows: 2500, now: () => 9, what: 'test' }))
      items.push(item);
    assert.equal(items.length, 1, 'one batch, as batchRows asks');
    const joined = items[0]!.copy!;
    assert.ok(joined.text.equals(whole.text), 'the same COPY text');
    assert.deepEqual(joined.ids, whole.ids);
    assert.deepEqual([...joined.deleted], [...whole.deleted]);
    assert.deepEqual(joined.maxCursor, { at: '2024-03-02T00:00:00.000Z', id: rows[1500]![0] });
    assert.equal(joined.now, 9);
  });

  it('a narrowed plan leaves out the columns that had no value; a value in one stops the batch there (widen)', () => {
    const full = copyPlan(FIELDS, HEADER, 'SystemModstamp')!;
    const used = new Uint8Array(full.width);
    const first = page([row('001000000000020AAA', { Name: 'A' }), row('001000000000021AAA', { Name: 'B', NumberOfEmployees: '3' })]);
    csvToCopy(first, dataStart(first), 100, full, 1, undefined, used);
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
      row('001000000000022AAA', { Name: 'C', BillingCity: 'Oslo' }),
      row('001000000000023AAA', { Name: 'D', Description: 'now filled' }),
      row('001000000000024AAA', { Name: 'E', Description: '' }),
    ];
    const bytes = page(rows);
    const r = csvToCopy(bytes, dataStart(bytes), 100, narrow, 1);
    // BillingCity is a column of its own too (besides a part of the compound), left out here.
    assert.equal(r.widen, true);
    assert.equal(r.batch, undefined, 'row C has a value in the left-out BillingCity column');
    assert.equal(r.next, dataStart(bytes));
    const all = csvToCopy(bytes, dataStart(bytes), 100, full, 1).batch!;
    assert.equal(all.ids.length, 3, 'the full plan takes every row');
    const onlyD = page(rows.slice(1));
    const d = csvToCopy(onlyD, dataStart(onlyD), 100, narrow, 1);
    assert.deepEqual([d.batch, d.widen, d.next], [undefined, true, dataStart(onlyD)], 'row D has a Description');
    const e = page([row('001000000000025AAA', { Name: 'F' }), rows[2]!, rows[1]!]);
    const r2 = csvToCopy(e, dataStart(e), 100, narrow, 1);
    assert.deepEqual(r2.batch?.ids, ['001000000000025AAA', '001000000000024AAA'], 'an empty quoted value is no value');
    assert.equal(r2.widen, true);
    assert.equal(r2.next, Buffer.byteLength(csvRow(HEADER, FMT) + csvRow(row('001000000000025AAA', { Name: 'F' }), FMT) + csvRow(rows[2]!, FMT)));
    // What the narrowed plan wrote reads back as the general path's values, the left-out columns null.
    decodeCopy(r2.batch!.text.toString('utf8')).forEach((cells, n) => {
      const want = general(
        FIELDS,
        [row('001000000000025AAA', { Name: 'F' }), rows[2]!][n]!.map((c) => c ?? ''),
      );
      for (const f of FIELDS) {
        const k = r2.batch!.columns.indexOf(`"${f.column}"`);
        const got = k < 0 ? null : asValue(f, cells[k]!);
        const w = want.get(f.column)!;
        assert.deepEqual(got, f.kind === 'json' && typeof w === 'string' ? JSON.parse(w) : w, `row ${n} ${f.field}`);
      }
      assert.equal(cells.length, r2.batch!.columns.length);
    });
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
      decodeCopy(b.text.toString('utf8')).forEach((cells) => {
        const want = general(
          FIELDS,
          rows[at]!.map((c) => c ?? ''),
        );
        assert.equal(cells[b.columns.indexOf('"id"')], rows[at]![0]);
        for (const f of FIELDS) {
          const k = b.columns.indexOf(`"${f.column}"`);
          const w = want.get(f.column)!;
          assert.deepEqual(k < 0 ? null : asValue(f, cells[k]!), f.kind === 'json' && typeof w === 'string' ? JSON.parse(w) : w, `${rows[at]![0]} ${f.field}`);
        }
        at++;
      });
    }
    assert.equal(at, rows.length);
  });

  it('sends a page that is not valid UTF-8 the general way, decoded with replacement characters', async () => {
    const broken = page([row('001000000000013AAA', { Name: 'FiXne' })]);
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
