import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { withLeaseLock } from './lease-lock.js';
import { backends } from './test-support/stores.js';

const sqlite = backends.find((b) => b.name === 'sqlite')!;
const owner = (pid: number) => `${hostname().replace(/\//g, '_')}/${pid}/${randomUUID()}`;

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => c.on('exit', r));
  return c.pid!;
}

describe('lease lock (SQLite)', () => {
  it('a lease held by a process of this host that died is taken at once, not after its ttl', async () => {
    const t = await sqlite.create();
    try {
      await t.store.db
        .insertInto('locks')
        .values({ name: 'sync:c1', owner: owner(await deadPid()), expires_at: Date.now() + 6 * 3600_000 })
        .execute();
      const start = Date.now();
      assert.equal(await withLeaseLock(t.store.db, 'sync:c1', async () => 'taken', 6 * 3600_000, 5_000), 'taken');
      assert.ok(Date.now() - start < 1000);
    } finally {
      await t.cleanup();
    }
  });

  it('a lease held by a live process is waited for', async () => {
    const t = await sqlite.create();
    try {
      await t.store.db
        .insertInto('locks')
        .values({ name: 'sync:c2', owner: owner(process.ppid), expires_at: Date.now() + 60_000 })
        .execute();
      await assert.rejects(
        withLeaseLock(t.store.db, 'sync:c2', async () => 'no', 30_000, 200),
        (e: Error & { code?: string }) => e.code === 'store.lock_timeout',
      );
    } finally {
      await t.cleanup();
    }
  });

  it('the holder renews its lease while it works', async () => {
    const t = await sqlite.create();
    try {
      const expiries: number[] = [];
      await withLeaseLock(
        t.store.db,
        'sync:c3',
        async () => {
          for (let i = 0; i < 3; i++) {
            const r = await t.store.db.selectFrom('locks').select('expires_at').where('name', '=', 'sync:c3').executeTakeFirstOrThrow();
            expiries.push(Number(r.expires_at));
            await new Promise((res) => setTimeout(res, 1100));
          }
        },
        1500,
      );
      assert.ok(expiries[2]! > expiries[0]!, `lease renewed: ${expiries.join(', ')}`);
    } finally {
      await t.cleanup();
    }
  });
});
