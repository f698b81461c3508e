/**
 * What the scheduled per-object phases (hard deletes, id reconciliation, formula refresh) share:
 * the run's handles, the object's state after its read, and schedule arithmetic. Phase times in
 * sync_objects (deletes_checked_at, reconciled_at, formulas_refreshed_at) are the org's clock
 * (from answers' Date headers), the clock getDeleted windows are measured in.
 */
import type { Updateable } from 'kysely';
import type { SalesforceClient } from '../salesforce/client.js';
import type { SyncObjectsTable } from '../store/schema.js';
import type { Store } from '../store/types.js';
import type { CatalogEntry } from './catalog.js';
import type { ClientTap } from './client-tap.js';
import type { SyncWriter } from './writers/types.js';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export interface PhaseContext {
  store: Store;
  writer: SyncWriter;
  /** The run's guarded client (tap.client). */
  client: SalesforceClient;
  tap: ClientTap;
  connectionId: string;
  /** Local clock: when a change was seen (`_fb_deleted_at`, feed times). */
  now: () => number;
  batchSize?: number;
}

export interface PhaseInput {
  /** The entry as read (its `where` includes scope filters such as the company filter). */
  entry: CatalogEntry;
  table: string;
  state: Pick<SyncObjectsTable, 'deletes_checked_at' | 'reconciled_at' | 'formulas_refreshed_at' | 'replicateable'>;
  /** Org time at the start of this run's read of the object (its describe). */
  readStart: number;
  /** The read covered every row (first load or a full re-read), not just changes. */
  wholeRead: boolean;
  force: { deletes?: boolean; reconcile?: boolean; formulas?: boolean };
}

/** The org's clock now (falls back to the local clock before any answer was seen). */
export function orgNow(ctx: PhaseContext): number {
  return ctx.tap.serverNow() ?? ctx.now();
}

export const truncMinute = (ms: number): number => ms - (((ms % MINUTE) + MINUTE) % MINUTE);

/** True when `minutes` have passed since `last` (never run counts as due). */
export function due(last: number | null, minutes: number, now: number): boolean {
  return last === null || now - last >= minutes * MINUTE;
}

export async function saveObjectState(ctx: PhaseContext, object: string, values: Updateable<SyncObjectsTable>): Promise<void> {
  await ctx.store.db.updateTable('sync_objects').set(values).where('connection_id', '=', ctx.connectionId).where('object', '=', object).execute();
}
