import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { demoIntegration, demoSecrets, openTestHub, type TestHub } from '../../connections/test-support/hub.js';
import { ForcebridgeError } from '../../errors.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { startTestEmulator } from '../../emulator/test-support/harness.js';
import { backends } from '../../store/test-support/stores.js';
import { feedEntries } from '../feed.js';
import { syncFields } from '../fields.js';
import { ensureSyncTable } from '../tables.js';
import { sqliteWriter } from './sqlite.js';
import type { PageInput } from './types.js';

// The SQLite writer's whole-page path: a Bulk results page (CSV bytes) parsed, converted and
// written inside one transaction, new rows inserted naming only the columns their batch fills.

const sqlite = backends.find((b) => b.name === 'sqlite')!;
const FIELDS = syncFields([
  { name: 'Id', type: 'id' },
  { name: 'IsDeleted', type: 'boolean' },
  { name: 'Name', type: 'string' },
  { name: 'Fax', type: 'phone' },
  { name: 'AnnualRevenue', type: 'currency' },
  { name: 'SystemModstamp', type: 'datetime' },
]);
const HEADER = 'Id,IsDeleted,Name,Fax,AnnualRevenue,SystemModstamp\n';

let em: RunningEmulator;
let t: TestHub;
let connectionId: string;
let table: string;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 0 } } });
  t = await openTestHub(sqlite);
  const integ = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
  connectionId = (await t.hub.service.connectNonInteractive(t.hub.tenant.id, integ.name)).id;
});
after(async () => {
  // Whatever failed in `before`, the emulator closes (or the test process would never end).
  try {
    await (t as TestHub | undefined)?.cleanup();
  } finally {
    await (em as RunningEmulator | undefined)?.close();
  }
});

let n = 0;
async function freshTable(): Promise<string> {
  const object = `Thing${++n}__c`;
  table = (await ensureSyncTable(t.hub.store, connectionId, object, FIELDS)).table;
  return object;
}

function page(object: string, csv: string, o: { wantIds?: boolean } = {}): PageInput {
  return {
    connectionId,
    object,
    table,
    fields: FIELDS,
    rows: [],
    allNew: true,
    now: 1_700_000_000_000,
    csvPage: { bytes: Buffer.from(csv, 'utf8'), fields: FIELDS, batchRows: 2, what: 'test page', cursorField: 'SystemModstamp', ...o },
  };
}

const stored = async () => (await sql<Record<string, unknown>>`select * from ${sql.id(table)} order by id`.execute(t.hub.store.db)).rows;
const feed = async (object: string) => (await feedEntries(t.hub.store, connectionId, { object })).map((r) => `${r.id} ${r.op}`);

describe('SQLite writer: whole Bulk pages', () => {
  it('writes every batch with the columns it fills, the rest null, and reports what it read', async () => {
    const object = await freshTable();
    const csv =
      HEADER +
      // batch 1: no Fax, no revenue; batch 2: Fax and a deleted row; batch 3: one row, revenue only
      'a01000000000001AAA,false,Acme,,,2026-01-01T00:00:00.000Z\n' +
      'a01000000000002AAA,false,"Quote ""Co""",,,2026-01-02T00:00:00.000Z\n' +
      'a01000000000003AAA,false,Fax Inc,555-1,,2026-01-02T00:00:00.000Z\n' +
      'a01000000000004AAA,true,Gone,,,2026-01-01T12:00:00.000Z\n' +
      'a01000000000005AAA,false,Rich,,1250000.5,2026-01-02T00:00:00.000Z\n';
    const r = await sqliteWriter(t.hub.store).applyPage(page(object, csv, { wantIds: true }));
    assert.deepEqual({ inserted: r.inserted, deleted: r.deleted, updated: r.updated }, { inserted: 4, deleted: 1, updated: 0 });
    assert.equal(r.read?.rows, 5);
    assert.deepEqual(r.read?.max, { at: '2026-01-02T00:00:00.000Z', id: 'a01000000000005AAA' });
    assert.deepEqual(r.read?.ids, ['a01000000000001AAA', 'a01000000000002AAA', 'a01000000000003AAA', 'a01000000000004AAA', 'a01000000000005AAA']);
    const rows = await stored();
    assert.deepEqual(
      rows.map((x) => [x.id, x.isdeleted, x.name, x.fax, x.annualrevenue, x.systemmodstamp, x._fb_deleted_at]),
      [
        ['a01000000000001AAA', 0, 'Acme', null, null, '2026-01-01T00:00:00.000Z', null],
        ['a01000000000002AAA', 0, 'Quote "Co"', null, null, '2026-01-02T00:00:00.000Z', null],
        ['a01000000000003AAA', 0, 'Fax Inc', '555-1', null, '2026-01-02T00:00:00.000Z', null],
        ['a01000000000004AAA', 1, 'Gone', null, null, '2026-01-01T12:00:00.000Z', 1_700_000_000_000],
        ['a01000000000005AAA', 0, 'Rich', null, 1250000.5, '2026-01-02T00:00:00.000Z', null],
      ],
    );
    assert.ok(rows.every((x) => x._fb_synced_at === 1_700_000_000_000));
    // A page's entries are grouped by op (one transaction: the order among its ids carries nothing).
    assert.deepEqual(await feed(object), [
      'a01000000000001AAA insert',
      'a01000000000002AAA insert',
      'a01000000000003AAA insert',
      'a01000000000005AAA insert',
      'a01000000000004AAA delete',
    ]);
  });

  it('reads CSV the fast parser cannot (a quoted line break) through csv-parse, in the same transaction', async () => {
    const object = await freshTable();
    const csv = HEADER + 'a01000000000001AAA,false,One,,,2026-01-01T00:00:00.000Z\n' + 'a01000000000002AAA,false,"Two\nlines",,,2026-01-01T00:00:00.000Z\n';
    const r = await sqliteWriter(t.hub.store).applyPage(page(object, csv));
    assert.equal(r.read?.rows, 2);
    assert.deepEqual(
      (await stored()).map((x) => x.name),
      ['One', 'Two\nlines'],
    );
  });

  it('a page that breaks midway writes none of its rows and no feed entry', async () => {
    const object = await freshTable();
    const csv =
      HEADER +
      'a01000000000001AAA,false,One,,,2026-01-01T00:00:00.000Z\n' +
      'a01000000000002AAA,false,Two,,,2026-01-01T00:00:00.000Z\n' +
      'a01000000000003AAA,false,Three,,,2026-01-01T00:00:00.000Z\n' +
      'a01000000000004AAA,false,Four,2026-01-01T00:00:00.000Z\n';
    await assert.rejects(sqliteWriter(t.hub.store).applyPage(page(object, csv)), (e: unknown) => {
      assert.ok(e instanceof ForcebridgeError);
      assert.equal(e.code, 'salesforce.bulk_csv_invalid');
      assert.match(e.message, /^test page: a row has 4 cells, the header 6/);
      return true;
    });
    assert.deepEqual(await stored(), []);
    assert.deepEqual(await feed(object), []);
  });
});
