/**
 * A cross-process lock as a lease row: take it with one conditional UPDATE (or INSERT), poll
 * without blocking the event loop while someone else holds it, and let it lapse after `ttlMs` if
 * its holder died. Used where the database has no advisory locks (SQLite).
 *
 * The holder renews its lease while it works (every third of `ttlMs`), so `ttlMs` bounds how long
 * a dead holder blocks others, not how long the work may take. A holder that was killed on this
 * host (SIGKILL, OOM) is recognised at once: the owner names host and pid, and a pid that no
 * longer exists frees the lease without waiting for it to lapse.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import type { HubDatabase } from './schema.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOST = hostname().replace(/\//g, '_');

/** True when `owner` was written by a process on this host that no longer exists. */
function holderDied(owner: string | null | undefined): boolean {
  const m = owner ? /^(.+)\/(\d+)\/[0-9a-f-]{36}$/.exec(owner) : null;
  if (!m || m[1] !== HOST) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function withLeaseLock<T>(db: Kysely<HubDatabase>, name: string, fn: () => Promise<T>, ttlMs = 30_000, waitMs = 60_000): Promise<T> {
  const owner = `${HOST}/${process.pid}/${randomUUID()}`;
  const deadline = Date.now() + waitMs;
  let delay = 5;
  for (;;) {
    const now = Date.now();
    await db
      .insertInto('locks')
      .values({ name, owner: null, expires_at: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const res = await db
      .updateTable('locks')
      .set({ owner, expires_at: now + ttlMs })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('owner', 'is', null), eb('expires_at', '<', now)]))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) break;
    const held = await db.selectFrom('locks').select('owner').where('name', '=', name).executeTakeFirst();
    if (held?.owner && holderDied(held.owner)) {
      await db.updateTable('locks').set({ owner: null, expires_at: 0 }).where('name', '=', name).where('owner', '=', held.owner).execute();
      continue;
    }
    if (Date.now() > deadline)
      throw new ForcebridgeError('store.lock_timeout', 'unavailable', `timed out waiting for lock "${name}"`, {
        hint: 'another process holds it; it is released when that work ends or after its lease lapses',
      });
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
  const renew = setInterval(
    () => {
      void db
        .updateTable('locks')
        .set({ expires_at: Date.now() + ttlMs })
        .where('name', '=', name)
        .where('owner', '=', owner)
        .execute()
        .catch(() => undefined);
    },
    Math.max(1000, Math.floor(ttlMs / 3)),
  );
  renew.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    await db.updateTable('locks').set({ owner: null, expires_at: 0 }).where('name', '=', name).where('owner', '=', owner).execute();
  }
}
