import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../emulator/server.js';
import { api, control, startTestEmulator, tokenFor } from '../emulator/test-support/harness.js';
import { compareCursor, keysetSoql, soqlString, type Cursor } from './keyset.js';

describe('keysetSoql', () => {
  it('builds the tie-safe condition and order', () => {
    assert.equal(
      keysetSoql({ object: 'Account', fields: ['Name'], cursorField: 'SystemModstamp', cursor: { at: '2024-01-02T03:04:05.000Z', id: '001Dn0000000001IAA' } }),
      "SELECT Id, SystemModstamp, Name FROM Account WHERE (SystemModstamp > 2024-01-02T03:04:05Z OR (SystemModstamp = 2024-01-02T03:04:05Z AND Id > '001Dn0000000001IAA')) ORDER BY SystemModstamp ASC, Id ASC",
    );
    assert.equal(
      keysetSoql({ object: 'Case', fields: ['Id'], cursorField: 'SystemModstamp', cursor: undefined }),
      'SELECT Id, SystemModstamp FROM Case ORDER BY SystemModstamp ASC, Id ASC',
    );
  });

  it('escapes string literals', () => {
    assert.equal(soqlString("O'Brien\\x"), "'O\\'Brien\\\\x'");
  });
});

describe('compareCursor', () => {
  it('orders by time then id', () => {
    const a: Cursor = { at: '2024-01-01T00:00:00.000Z', id: 'b' };
    assert.ok(compareCursor(a, { at: '2024-01-01T00:00:01.000Z', id: 'a' }) < 0);
    assert.ok(compareCursor(a, { at: '2024-01-01T00:00:00.000Z', id: 'c' }) < 0);
    assert.equal(compareCursor(a, { ...a }), 0);
  });
});

describe('keyset paging against the emulator', () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startTestEmulator({ config: { settings: { records: 0 } } });
  });
  after(() => em.close());

  it('misses none of 5,000 rows that share one SystemModstamp across page boundaries', async () => {
    const admin = [...em.org.users.values()][0]!.id;
    const ids = Array.from({ length: 5000 }, (_, i) => em.org.data.insert('Account', { Name: `Tie ${i}` }, admin).Id as string);
    await control(em, 'POST', 'records/Account/update', { ids, values: {}, at: '2025-06-01T12:00:00.000Z', systemOnly: true });
    const token = tokenFor(em, 'admin');
    const seen = new Set<string>();
    let cursor: Cursor | undefined;
    for (let page = 0; page < 100; page++) {
      const q = keysetSoql({ object: 'Account', fields: ['Name'], cursorField: 'SystemModstamp', cursor, limit: 700 });
      const r = await api<{ records: { Id: string; SystemModstamp: string }[] }>(em, token, 'GET', `/query?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, r.text);
      if (r.json.records.length === 0) break;
      for (const rec of r.json.records) {
        assert.ok(!seen.has(rec.Id), 'no duplicates');
        seen.add(rec.Id);
      }
      const last = r.json.records.at(-1)!;
      cursor = { at: new Date(Date.parse(last.SystemModstamp.replace('+0000', 'Z'))).toISOString(), id: last.Id };
    }
    for (const id of ids) assert.ok(seen.has(id));
  });
});
