/**
 * A cross-process lock as a lease row: take it with one conditional UPDATE (or INSERT), poll
 * without blocking the event loop while someone else holds it, and let it lapse after `ttlMs` if
 * its holder died. Used where the database has no advisory locks (SQLite).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import type { HubDatabase } from './schema.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withLeaseLock<T>(db: Kysely<HubDatabase>, name: string, fn: () => Promise<T>, ttlMs = 30_000, waitMs = 60_000): Promise<T> {
  const owner = randomUUID();
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
    if (Date.now() > deadline)
      throw new ForcebridgeError('store.lock_timeout', 'unavailable', `timed out waiting for lock "${name}"`, {
        hint: 'another process holds it; it is released when that work ends or after its lease lapses',
      });
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    await db.updateTable('locks').set({ owner: null, expires_at: 0 }).where('name', '=', name).where('owner', '=', owner).execute();
  }
}
