/**
 * Runs a sync of one connection: the catalog's objects in order under the connection's sync lock
 * (one run per connection across processes), each object's result recorded, and a run record that
 * never says "succeeded" for a partial run.
 */
import { randomUUID } from 'node:crypto';
import type { Hub } from '../connections/hub.js';
import type { ForcebridgeError } from '../errors.js';
import { catalogFor } from './catalog.js';
import { syncObject, type ObjectProgress, type ObjectResult } from './object-sync.js';
import { writerFor } from './writers/index.js';

export interface RunOptions {
  objects?: string[];
  full?: boolean;
  onProgress?: (p: ObjectProgress) => void;
  onObjectDone?: (r: ObjectResult) => void;
  batchSize?: number;
}

export interface ObjectFailure {
  object: string;
  error: ForcebridgeError | Error;
}

export interface RunResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'partial';
  objects: ObjectResult[];
  failures: ObjectFailure[];
  startedAt: number;
  finishedAt: number;
}

export async function syncConnection(hub: Hub, connection: string, o: RunOptions = {}): Promise<RunResult> {
  const conn = await hub.connections.get(hub.tenant.id, connection);
  const { client } = await hub.service.client(hub.tenant.id, conn.id);
  const writer = writerFor(hub.store);
  const entries = catalogFor(o.objects);
  return hub.store.withLock(
    `sync:${conn.id}`,
    async () => {
      const runId = `run_${randomUUID()}`;
      const startedAt = Date.now();
      await hub.store.db
        .insertInto('sync_runs')
        .values({ id: runId, connection_id: conn.id, started_at: startedAt, finished_at: null, status: 'running', summary_json: '{}' })
        .execute();
      const objects: ObjectResult[] = [];
      const failures: ObjectFailure[] = [];
      for (const entry of entries) {
        try {
          const r = await syncObject(
            {
              store: hub.store,
              writer,
              client,
              connectionId: conn.id,
              now: Date.now,
              ...(o.onProgress ? { onProgress: o.onProgress } : {}),
              ...(o.batchSize ? { batchSize: o.batchSize } : {}),
            },
            entry,
            { ...(o.full ? { full: true } : {}) },
          );
          objects.push(r);
          o.onObjectDone?.(r);
          await hub.store.db
            .updateTable('sync_objects')
            .set({ state: 'idle', last_error: null, ...(o.full ? { full_synced_at: Date.now() } : {}) })
            .where('connection_id', '=', conn.id)
            .where('object', '=', entry.object)
            .execute();
        } catch (e) {
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
      const status: RunResult['status'] = failures.length === 0 ? 'succeeded' : objects.length === 0 ? 'failed' : 'partial';
      const summary = {
        objects: objects.map(({ object, inserted, updated, deleted, pages }) => ({ object, inserted, updated, deleted, pages })),
        failures: failures.map((f) => ({ object: f.object, error: f.error.message })),
      };
      await hub.store.db
        .updateTable('sync_runs')
        .set({ finished_at: finishedAt, status, summary_json: JSON.stringify(summary) })
        .where('id', '=', runId)
        .execute();
      return { runId, status, objects, failures, startedAt, finishedAt };
    },
    { ttlMs: 6 * 3600_000 },
  );
}
