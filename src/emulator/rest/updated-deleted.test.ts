import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningEmulator } from '../server.js';
import { api, control, startTestEmulator, tokenFor } from '../test-support/harness.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());

describe('getUpdated / getDeleted', () => {
  let em: RunningEmulator;
  let admin: string;
  let t0: number;

  before(async () => {
    em = await startTestEmulator();
    admin = tokenFor(em, 'admin');
    // Start on a whole minute so truncation is predictable.
    t0 = Math.floor(Date.now() / MINUTE) * MINUTE + 10_000;
    await control(em, 'POST', '/clock', { pinMs: t0 });
  });
  after(() => em.close());

  it('updated + ids in the window, latestDateCovered capped at the current minute', async () => {
    const a = await api(em, admin, 'POST', '/sobjects/Account', { Name: 'Updated One' });
    await control(em, 'POST', '/clock', { advanceMs: 2 * MINUTE });
    const r = await api(em, admin, 'GET', `/sobjects/Account/updated/?start=${iso(t0 - 5 * MINUTE)}&end=${iso(t0 + DAY)}`);
    assert.equal(r.status, 200);
    assert.ok(r.json.ids.includes(a.json.id));
    const nowMinute = Math.floor((t0 + 2 * MINUTE) / MINUTE) * MINUTE;
    assert.equal(r.json.latestDateCovered, new Date(nowMinute).toISOString().replace('Z', '+0000'));
    // `+00:00` offsets (simple-salesforce) work too, and a window before the change excludes it.
    const early = await api(
      em,
      admin,
      'GET',
      `/sobjects/Account/updated?start=${encodeURIComponent('2000-01-01T00:00:00+00:00').replace('2000-01-01', new Date(t0 - 10 * MINUTE).toISOString().slice(0, 10))}&end=${iso(t0 - 3 * MINUTE)}`,
    );
    assert.equal(early.status, 200);
    assert.equal(early.json.ids.includes(a.json.id), false);
  });

  it('updated + start outside the window and start after end', async () => {
    const old = await api(em, admin, 'GET', `/sobjects/Account/updated/?start=${iso(t0 - 31 * DAY)}&end=${iso(t0)}`);
    assert.equal(old.status, 400);
    assert.equal(old.json[0].errorCode, 'INVALID_REPLICATION_DATE');
    const backwards = await api(em, admin, 'GET', `/sobjects/Account/updated/?start=${iso(t0)}&end=${iso(t0 - DAY)}`);
    assert.equal(backwards.status, 400);
    assert.deepEqual(backwards.json, [{ message: 'startDate must be at least one minute greater than endDate', errorCode: 'INVALID_REPLICATION_DATE' }]);
    const missing = await api(em, admin, 'GET', `/sobjects/Account/updated/?start=${iso(t0)}`);
    assert.equal(missing.status, 400);
    const unrepl = await api(em, admin, 'GET', `/sobjects/Organization/updated/?start=${iso(t0 - DAY)}&end=${iso(t0)}`);
    assert.equal(unrepl.status, 400);
  });

  it('deleted + soft and purged deletes inside the window, earliestDateAvailable', async () => {
    const start = em.org.clock.now();
    const soft = await api(em, admin, 'POST', '/sobjects/Account', { Name: 'Soft' });
    const hard = await api(em, admin, 'POST', '/sobjects/Account', { Name: 'Hard' });
    await api(em, admin, 'DELETE', `/sobjects/Account/${soft.json.id}`);
    await api(em, admin, 'DELETE', `/sobjects/Account/${hard.json.id}`);
    await control(em, 'POST', '/records/Account/purge', { ids: [hard.json.id] });
    await control(em, 'POST', '/clock', { advanceMs: 2 * MINUTE });
    const r = await api(em, admin, 'GET', `/sobjects/Account/deleted/?start=${iso(start - MINUTE)}&end=${iso(start + DAY)}`);
    assert.equal(r.status, 200);
    const ids = r.json.deletedRecords.map((d: { id: string }) => d.id);
    assert.ok(ids.includes(soft.json.id));
    assert.ok(ids.includes(hard.json.id), 'purged records stay in getDeleted within the window');
    assert.match(r.json.deletedRecords[0].deletedDate, /\.000\+0000$/);
    const earliest = Math.floor((em.org.clock.now() - 15 * DAY) / MINUTE) * MINUTE;
    assert.equal(r.json.earliestDateAvailable, new Date(earliest).toISOString().replace('Z', '+0000'));
    assert.equal(em.org.data.find(hard.json.id), undefined);
  });

  it('deleted + start before the deleted window; window follows the clock', async () => {
    const del = await api(em, admin, 'POST', '/sobjects/Account', { Name: 'Aging' });
    const at = em.org.clock.now();
    await api(em, admin, 'DELETE', `/sobjects/Account/${del.json.id}`);
    await control(em, 'POST', '/clock', { advanceMs: 16 * DAY });
    // Sixteen days outlive the session: log in again.
    admin = tokenFor(em, 'admin');
    const r = await api(em, admin, 'GET', `/sobjects/Account/deleted/?start=${iso(at - MINUTE)}&end=${iso(at + DAY)}`);
    assert.equal(r.status, 400);
    assert.equal(r.json[0].errorCode, 'INVALID_REPLICATION_DATE');
    await control(em, 'PATCH', '/settings', { deletedWindowDays: 30 });
    const wider = await api(em, admin, 'GET', `/sobjects/Account/deleted/?start=${iso(at - MINUTE)}&end=${iso(at + DAY)}`);
    assert.equal(wider.status, 200);
    assert.ok(wider.json.deletedRecords.some((d: { id: string }) => d.id === del.json.id));
  });
});
