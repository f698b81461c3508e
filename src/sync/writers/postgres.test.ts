import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { demoIntegration, demoSecrets, openTestHub, type TestHub } from '../../connections/test-support/hub.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { control, startTestEmulator } from '../../emulator/test-support/harness.js';
import { backends } from '../../store/test-support/stores.js';
import { catalogFor } from '../catalog.js';
import { feedEntries } from '../feed.js';
import { syncTableName } from '../fields.js';
import { syncObject, type ObjectSyncContext } from '../object-sync.js';
import { assertMatchesTruth } from '../test-support/ground-truth.js';
import { postgresWriter } from './postgres.js';

const pgBackend = backends.find((b) => b.name === 'postgres')!;

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 300, bulkProcessingDelayMs: 20 } } });
});
after(() => em.close());

interface Side {
  t: TestHub;
  ctx: ObjectSyncContext;
}

async function side(copyMinRows: number, bulkThreshold: number): Promise<Side> {
  const t = await openTestHub(pgBackend);
  const integ = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, 'client_credentials'), await demoSecrets(em, 'client_credentials'));
  const connectionId = (await t.hub.service.connectNonInteractive(t.hub.tenant.id, integ.name)).id;
  const { client } = await t.hub.service.client(t.hub.tenant.id, connectionId);
  return {
    t,
    ctx: { store: t.hub.store, writer: postgresWriter(t.hub.store, { copyMinRows }), client, connectionId, now: Date.now, bulkThreshold, bulk: { pollMs: 20 } },
  };
}

/** Every row (without the sync time) and the feed's (record, op) in order. */
async function snapshot(s: Side, object: string): Promise<{ rows: unknown[]; feed: unknown[] }> {
  const rows = await sql<Record<string, unknown>>`select * from ${sql.id(syncTableName(s.ctx.connectionId, object))} order by id`.execute(s.t.hub.store.db);
  const feed = await feedEntries(s.t.hub.store, s.ctx.connectionId);
  return {
    rows: rows.rows.map((r) => {
      const { _fb_synced_at, ...rest } = r;
      return { ...rest, _fb_deleted_at: rest._fb_deleted_at === null ? null : 'marked' };
    }),
    feed: feed.map((f) => `${f.object} ${f.id} ${f.op}`).sort(),
  };
}

describe('PostgreSQL writer: COPY path equals the multi-row path', { skip: pgBackend.skip }, () => {
  let copy: Side;
  let multi: Side;
  before(async () => {
    copy = await side(1, 0); // every page COPYed; initial loads through Bulk
    multi = await side(Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER); // multi-row inserts; REST only
  });
  after(async () => {
    await copy?.t.cleanup();
    await multi?.t.cleanup();
  });

  it('initial loads and an increment with awkward text leave identical tables and feeds', async () => {
    const admin = [...em.org.users.values()][0]!.id;
    const acc = [...em.org.data.table('Account').live()];
    em.org.data.update(acc[0]!, { Name: 'Tab\there, new\nline, CR\r, back\\slash, \\N, "quotes", ünïcødé ✓', Description: 'line 1\nline 2\n\n' }, admin);
    em.org.data.update(acc[1]!, { Name: 'Comma, "and" quote' }, admin);
    await control(em, 'POST', 'clock', { advanceMs: 2000 });
    const entries = catalogFor(['Account', 'Contact']);
    for (const entry of entries) {
      const a = await syncObject(copy.ctx, entry);
      const b = await syncObject(multi.ctx, entry);
      assert.deepEqual([a.method, b.method], ['bulk', 'rest']);
      assert.deepEqual([a.inserted, a.updated, a.deleted], [b.inserted, b.updated, b.deleted]);
    }
    for (const entry of entries) assert.deepEqual(await snapshot(copy, entry.object), await snapshot(multi, entry.object), entry.object);

    em.org.data.update(acc[2]!, { Name: 'Updated\tvalue', AnnualRevenue: 1234.5 }, admin);
    em.org.data.insert('Account', { Name: 'New\\Co', Description: null }, admin);
    em.org.data.softDelete(acc[4]!, admin);
    await control(em, 'POST', 'clock', { advanceMs: 2000 });
    const a = await syncObject(copy.ctx, entries[0]!);
    const b = await syncObject(multi.ctx, entries[0]!);
    assert.deepEqual([a.method, a.inserted, a.updated, a.deleted], ['rest', b.inserted, b.updated, b.deleted]);
    assert.ok(a.inserted >= 1 && a.updated >= 1 && a.deleted >= 1, JSON.stringify(a));
    assert.deepEqual(await snapshot(copy, 'Account'), await snapshot(multi, 'Account'));
    await assertMatchesTruth(em, copy.t.hub.store, copy.ctx.connectionId, 'Account');
    const row = await sql<{
      name: string;
      description: string;
    }>`select name, description from ${sql.id(syncTableName(copy.ctx.connectionId, 'Account'))} where id = ${acc[0]!.Id as string}`.execute(
      copy.t.hub.store.db,
    );
    assert.equal(row.rows[0]!.name, 'Tab\there, new\nline, CR\r, back\\slash, \\N, "quotes", ünïcødé ✓');
    assert.equal(row.rows[0]!.description, 'line 1\nline 2\n\n');
  });
});

describe('PostgreSQL writer: a field whose type changed in Salesforce', { skip: pgBackend.skip }, () => {
  let s: Side;
  before(async () => {
    s = await side(1, 0); // Bulk loads, COPYed
  });
  after(async () => {
    await control(em, 'DELETE', 'schema/Contact/fields/Score__c').catch(() => undefined);
    await s?.t.cleanup();
  });

  it('keeps its column and type: a Bulk load writes the new values as that column reads them', async () => {
    const admin = [...em.org.users.values()][0]!.id;
    const [a, b] = [...em.org.data.table('Contact').live()];
    await control(em, 'POST', 'schema/Contact/fields', { name: 'Score__c', type: 'string' });
    em.org.data.update(a!, { Score__c: 'high' }, admin);
    const [entry] = catalogFor(['Contact']);
    const first = await syncObject(s.ctx, entry!);
    assert.equal(first.method, 'bulk');
    // Now a number field of the same name: describe says double, the table's column stays text.
    await control(em, 'DELETE', 'schema/Contact/fields/Score__c');
    await control(em, 'POST', 'schema/Contact/fields', { name: 'Score__c', type: 'double' });
    em.org.data.update(a!, { Score__c: 12.5 }, admin);
    em.org.data.update(b!, { Score__c: -7 }, admin);
    await control(em, 'POST', 'clock', { advanceMs: 2000 });
    const again = await syncObject(s.ctx, entry!, { full: true });
    assert.equal(again.method, 'bulk');
    const table = syncTableName(s.ctx.connectionId, 'Contact');
    const type = await sql<{
      data_type: string;
    }>`select data_type from information_schema.columns where table_name = ${table} and column_name = 'score__c'`.execute(s.t.hub.store.db);
    assert.equal(type.rows[0]!.data_type, 'text');
    const rows = await sql<{ id: string; score__c: string | null }>`select id, score__c from ${sql.id(table)} where score__c is not null order by id`.execute(
      s.t.hub.store.db,
    );
    assert.deepEqual(
      rows.rows.map((r) => [r.id, Number(r.score__c)]).sort(),
      [
        [a!.Id, 12.5],
        [b!.Id, -7],
      ].sort(),
    );
  });
});
