/**
 * Runs a sync of one connection: the catalog's objects in order under the connection's sync lock
 * (one run per connection across processes), each object's result recorded, and a run record that
 * never says "succeeded" for a partial run. After each object's read come its scheduled phases —
 * hard deletes (getDeleted / id reconciliation) and formula refresh — which make no API call
 * unless due, so a no-change cycle stays at the read's calls. Every call passes the API budget:
 * past its share of the org's daily limit the run pauses (`paused`, objects `paused_quota`) and
 * the next run resumes from the committed cursors.
 */
import { randomUUID } from 'node:crypto';
import type { Hub } from '../connections/hub.js';
import type { ForcebridgeError } from '../errors.js';
import { ApiBudget, DEFAULT_API_BUDGET_SHARE, isQuotaPause, isRequestLimitExceeded } from './budget.js';
import { catalogFor } from './catalog.js';
import { ClientTap } from './client-tap.js';
import { findDeletes, type DeletesOutcome } from './deletes.js';
import { refreshFormulas, type FormulaOutcome } from './formulas.js';
import type { PhaseContext } from './phase.js';
import { flagThirdParty, orgDomains, parseUsersOptions, scopedEntry, usersReport, type UsersReport } from './users.js';
import { syncObject, type ObjectProgress, type ObjectResult, type ObjectSyncContext } from './object-sync.js';
import { writerFor } from './writers/index.js';

export interface RunOptions {
  objects?: string[];
  full?: boolean;
  onProgress?: (p: ObjectProgress) => void;
  onObjectDone?: (r: ObjectResult) => void;
  batchSize?: number;
  /** Initial loads above this many rows use Bulk API 2.0 (overrides catalog entries; default 10,000). */
  bulkThreshold?: number;
  /** Bulk reader tuning (page size, batch rows, polling). */
  bulk?: ObjectSyncContext['bulk'];
  /** Catalog entries (data) overriding or adding to the built-ins. */
  catalog?: unknown[];
  /** Share of the org's daily API limit at which the run pauses (default 0.8). */
  apiBudgetShare?: number;
  /** Run scheduled phases now whatever their schedule. A full run always reconciles ids. */
  force?: { deletes?: boolean; reconcile?: boolean; formulas?: boolean };
  /** Users & licenses: company filter (`*` or email domains) and the org's own domains. */
  users?: unknown;
}

/** An object's read plus what its scheduled phases did (their counts are included in the totals). */
export interface ObjectRunResult extends ObjectResult {
  deletes: DeletesOutcome;
  formulas: FormulaOutcome;
}

export interface RunPause {
  reason: 'quota';
  message: string;
  /** The object being synced when the budget ran out (undefined: paused before the first). */
  object: string | undefined;
  used: number | undefined;
  max: number | undefined;
  share: number;
}

export interface ObjectFailure {
  object: string;
  error: ForcebridgeError | Error;
}

export interface RunResult {
  runId: string;
  /** `paused`: the API budget ran out; the next run resumes. Never `succeeded` unless every object finished. */
  status: 'succeeded' | 'failed' | 'partial' | 'paused';
  objects: ObjectRunResult[];
  failures: ObjectFailure[];
  paused?: RunPause;
  /** Users & licenses report, when User was synced in this run or before. */
  users?: UsersReport;
  startedAt: number;
  finishedAt: number;
}

export async function syncConnection(hub: Hub, connection: string, o: RunOptions = {}): Promise<RunResult> {
  const conn = await hub.connections.get(hub.tenant.id, connection);
  const { client } = await hub.service.client(hub.tenant.id, conn.id);
  const writer = writerFor(hub.store);
  const entries = catalogFor(o.objects, o.catalog ?? []);
  const usersOptions = parseUsersOptions(o.users);
  const budget = new ApiBudget(
    o.apiBudgetShare ?? DEFAULT_API_BUDGET_SHARE,
    conn.apiUsed !== null && conn.apiMax ? { used: conn.apiUsed, max: conn.apiMax } : undefined,
  );
  const tap = new ClientTap(client, budget);
  const phaseCtx: PhaseContext = {
    store: hub.store,
    writer,
    client: tap.client,
    tap,
    connectionId: conn.id,
    now: Date.now,
    ...(o.batchSize ? { batchSize: o.batchSize } : {}),
  };
  const run = hub.store.withLock(
    `sync:${conn.id}`,
    async () => {
      const runId = `run_${randomUUID()}`;
      const startedAt = Date.now();
      // Holding the lock proves no other run of this connection is alive: any run still marked
      // running was killed, and says so instead of "running" forever.
      await hub.store.db
        .updateTable('sync_runs')
        .set({ status: 'interrupted', finished_at: startedAt })
        .where('connection_id', '=', conn.id)
        .where('status', '=', 'running')
        .execute();
      await hub.store.db
        .insertInto('sync_runs')
        .values({ id: runId, connection_id: conn.id, started_at: startedAt, finished_at: null, status: 'running', summary_json: '{}' })
        .execute();
      const objects: ObjectRunResult[] = [];
      const failures: ObjectFailure[] = [];
      let paused: RunPause | undefined;
      const pause = (object: string | undefined, e?: ForcebridgeError) => {
        paused = {
          reason: 'quota',
          message: e?.message ?? `sync paused: API usage is at or above ${Math.round(budget.share * 100)}% of the daily limit`,
          object,
          used: budget.usage?.used,
          max: budget.usage?.max,
          share: budget.share,
        };
      };
      // The stored usage may be hours old and the allocation is a rolling 24 hours: ask once.
      if (budget.over()) await tap.probe().catch((e: unknown) => (isQuotaPause(e) ? pause(undefined, e) : undefined));
      if (!paused && budget.over()) pause(undefined);
      let domains: string[] | undefined;
      for (const [i, entry] of entries.entries()) {
        if (paused) {
          await markPaused(
            hub,
            conn.id,
            entries.slice(i).map((e) => e.object),
          );
          break;
        }
        try {
          const scope = scopedEntry(entry, usersOptions);
          const filterKey = scope.where ?? '';
          const prior = await hub.store.db
            .selectFrom('sync_objects')
            .select(['cursor_at', 'filter_key'])
            .where('connection_id', '=', conn.id)
            .where('object', '=', entry.object)
            .executeTakeFirst();
          // A changed filter leaves the cursor describing another set of rows: re-read whole, reconcile.
          const rescoped = prior?.cursor_at != null && (prior.filter_key ?? '') !== filterKey;
          const full = Boolean(o.full) || rescoped;
          const mark = tap.mark();
          const read = await syncObject(
            {
              store: hub.store,
              writer,
              client: tap.client,
              connectionId: conn.id,
              now: Date.now,
              ...(o.onProgress ? { onProgress: o.onProgress } : {}),
              ...(o.batchSize ? { batchSize: o.batchSize } : {}),
              ...(o.bulkThreshold !== undefined ? { bulkThreshold: o.bulkThreshold } : {}),
              ...(o.bulk ? { bulk: o.bulk } : {}),
            },
            scope,
            { ...(full ? { full: true } : {}) },
          );
          const state = await hub.store.db
            .selectFrom('sync_objects')
            .select(['deletes_checked_at', 'reconciled_at', 'formulas_refreshed_at', 'replicateable'])
            .where('connection_id', '=', conn.id)
            .where('object', '=', entry.object)
            .executeTakeFirstOrThrow();
          const input = {
            entry: scope,
            table: read.table,
            state,
            readStart: mark.first ?? tap.serverNow() ?? Date.now(),
            wholeRead: entry.mode === 'incremental' && (full || !prior?.cursor_at),
            force: { ...o.force, ...(full ? { reconcile: true } : {}) },
          };
          const deletes = await findDeletes(phaseCtx, input);
          const formulas = await refreshFormulas(phaseCtx, input);
          if (entry.object.toLowerCase() === 'user') {
            domains ??= await orgDomains(hub.store, conn.id, usersOptions, conn);
            await flagThirdParty(hub.store, conn.id, domains);
          }
          const r: ObjectRunResult = { ...read, deleted: read.deleted + deletes.deleted, updated: read.updated + formulas.updated, deletes, formulas };
          objects.push(r);
          o.onObjectDone?.(r);
          await hub.store.db
            .updateTable('sync_objects')
            .set({ state: 'idle', last_error: null, filter_key: filterKey, ...(full ? { full_synced_at: Date.now() } : {}) })
            .where('connection_id', '=', conn.id)
            .where('object', '=', entry.object)
            .execute();
        } catch (e) {
          if (isQuotaPause(e) || isRequestLimitExceeded(e)) {
            pause(entry.object, e);
            await markPaused(
              hub,
              conn.id,
              entries.slice(i).map((x) => x.object),
            );
            break;
          }
          failures.push({ object: entry.object, error: e as Error });
          await hub.store.db
            .updateTable('sync_objects')
            .set({ state: 'error', last_error: (e as Error).message.slice(0, 2000) })
            .where('connection_id', '=', conn.id)
            .where('object', '=', entry.object)
            .execute();
        }
      }
      const finishedAt = Date.now();
      const status: RunResult['status'] = paused ? 'paused' : failures.length === 0 ? 'succeeded' : objects.length === 0 ? 'failed' : 'partial';
      const usersTouched = entries.some((e) => ['user', 'userlicense', 'permissionsetlicense'].includes(e.object.toLowerCase()));
      if (usersTouched) domains ??= await orgDomains(hub.store, conn.id, usersOptions, conn).catch(() => []);
      // A report over our own tables, not sync state: license tables narrowed by an explicit field
      // list (no counts) leave it out rather than fail the run.
      const users = usersTouched ? await usersReport(hub.store, conn.id, usersOptions, domains ?? []).catch(() => undefined) : undefined;
      const summary = {
        objects: objects.map(({ object, inserted, updated, deleted, pages, method, notes, deletes, formulas }) => ({
          object,
          inserted,
          updated,
          deleted,
          pages,
          method,
          notes,
          deletes,
          formulas,
        })),
        failures: failures.map((f) => ({ object: f.object, error: f.error.message })),
        ...(paused ? { paused } : {}),
        ...(users ? { users } : {}),
      };
      await hub.store.db
        .updateTable('sync_runs')
        .set({ finished_at: finishedAt, status, summary_json: JSON.stringify(summary) })
        .where('id', '=', runId)
        .execute();
      return { runId, status, objects, failures, startedAt, finishedAt, ...(paused ? { paused } : {}), ...(users ? { users } : {}) };
    },
    { ttlMs: 6 * 3600_000 },
  );
  // The writer's helper thread (SQLite checkpoints) ends with the run.
  return run.finally(() => writer.close?.());
}

async function markPaused(hub: Hub, connectionId: string, objects: string[]): Promise<void> {
  if (!objects.length) return;
  await hub.store.db
    .updateTable('sync_objects')
    .set({ state: 'paused_quota', last_error: null })
    .where('connection_id', '=', connectionId)
    .where('object', 'in', objects)
    .execute();
}
