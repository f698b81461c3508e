/**
 * Runs each connection's catalog objects on their schedule (`scheduleMinutes`): on every tick, the
 * objects whose last run started at least that long ago are synced in one run per connection.
 * Connections run side by side, but never two runs of one connection at once — in this process a
 * connection with a run in flight is skipped, and across processes the engine's per-connection
 * lock serializes them. When each object last ran comes from the run history (`sync_runs`), so a
 * restarted scheduler does not re-sync everything at once.
 *
 * `stop()` ends cleanly: no new runs start, and a run in flight stops after its current page
 * commits (pages commit with their cursor, so the next run resumes exactly there) and is recorded
 * as not succeeded.
 */
import type { Hub } from '../connections/hub.js';
import type { Connection } from '../connections/connections-repo.js';
import { ForcebridgeError } from '../errors.js';
import { catalogFor, type CatalogEntry } from './catalog.js';
import { syncConnection, type RunResult } from './engine.js';
import type { ObjectProgress } from './object-sync.js';
import type { DeliveryReport, Webhooks } from './webhooks.js';

export type SchedulerEvent =
  | { type: 'run_started'; connection: string; connectionId: string; objects: string[] }
  | { type: 'run_finished'; connection: string; connectionId: string; run: RunResult }
  | { type: 'run_error'; connection: string; error: Error }
  | { type: 'skipped'; connection: string; reason: string }
  | { type: 'webhooks'; report: DeliveryReport };

export interface SchedulerOptions {
  hub: Hub;
  /** Names or ids; default every active connection of the hub's tenant (listed again each tick). */
  connections?: string[];
  /** The catalog to schedule; default the built-in entries. */
  entries?: CatalogEntry[];
  /** How often due objects are looked for (default 30 s). */
  tickMs?: number;
  now?: () => number;
  /** Delivers run notifications and retries pending deliveries each tick. */
  webhooks?: Webhooks;
  onEvent?: (e: SchedulerEvent) => void;
  onProgress?: (connectionId: string, p: ObjectProgress) => void;
}

/** The code of the failure recorded for objects a stop interrupted. */
export const SYNC_STOPPED = 'sync.stopped';

export function stoppedError(): ForcebridgeError {
  return new ForcebridgeError(SYNC_STOPPED, 'unavailable', 'the sync was stopped (shutdown) after its last committed page', {
    hint: 'run it again; it resumes from the last committed page',
  });
}

/** Entries due at `now`, given when each object (lower-cased name) last ran. */
export function dueEntries(entries: CatalogEntry[], lastRun: Map<string, number>, now: number): CatalogEntry[] {
  return entries.filter((e) => {
    const last = lastRun.get(e.object.toLowerCase());
    return last === undefined || now - last >= e.scheduleMinutes * 60_000;
  });
}

/** When each object of a connection last ran (started), from the recorded runs. */
export async function lastRunTimes(hub: Hub, connectionId: string, limit = 200): Promise<Map<string, number>> {
  const runs = await hub.store.db
    .selectFrom('sync_runs')
    .select(['started_at', 'summary_json'])
    .where('connection_id', '=', connectionId)
    .where('finished_at', 'is not', null)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
  const out = new Map<string, number>();
  for (const r of runs) {
    let summary: { objects?: { object?: unknown }[]; failures?: { object?: unknown }[] };
    try {
      summary = JSON.parse(r.summary_json) as typeof summary;
    } catch {
      continue;
    }
    for (const o of [...(summary.objects ?? []), ...(summary.failures ?? [])]) {
      if (typeof o.object !== 'string') continue;
      const key = o.object.toLowerCase();
      if (!out.has(key)) out.set(key, Number(r.started_at));
    }
  }
  return out;
}

export class SyncScheduler {
  private readonly now: () => number;
  private readonly entries: CatalogEntry[];
  private readonly lastRun = new Map<string, Map<string, number>>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private delivering = false;
  private stopping = false;

  constructor(private readonly o: SchedulerOptions) {
    this.now = o.now ?? Date.now;
    this.entries = o.entries ?? catalogFor(undefined);
  }

  private emit(e: SchedulerEvent): void {
    this.o.onEvent?.(e);
  }

  private async targets(): Promise<Connection[]> {
    const { hub } = this.o;
    if (!this.o.connections?.length) return (await hub.connections.list(hub.tenant.id)).filter((c) => c.state === 'active');
    const out: Connection[] = [];
    for (const name of this.o.connections) {
      try {
        const c = await hub.connections.get(hub.tenant.id, name);
        if (c.state === 'active') out.push(c);
        else this.emit({ type: 'skipped', connection: c.name, reason: `the connection is ${c.state}${c.reason ? ` (${c.reason})` : ''}` });
      } catch (e) {
        this.emit({ type: 'run_error', connection: name, error: e as Error });
      }
    }
    return out;
  }

  /** Starts the due runs of every idle connection and waits for them (one tick). */
  async runDue(): Promise<void> {
    await Promise.all(await this.launchDue());
  }

  /** Starts the due runs of every idle connection; returns them without waiting. */
  private async launchDue(): Promise<Promise<void>[]> {
    const started: Promise<void>[] = [];
    if (this.stopping) return started;
    for (const conn of await this.targets()) {
      if (this.stopping) break;
      if (this.inFlight.has(conn.id)) continue;
      let last = this.lastRun.get(conn.id);
      if (!last) {
        const seeded = await lastRunTimes(this.o.hub, conn.id);
        last = this.lastRun.get(conn.id) ?? seeded;
        this.lastRun.set(conn.id, last);
      }
      // Checked again after the await, and set before the next one: two ticks never both start it.
      if (this.inFlight.has(conn.id) || this.stopping) continue;
      const due = dueEntries(this.entries, last, this.now());
      if (!due.length) continue;
      const p = this.runOne(conn, due, last).finally(() => this.inFlight.delete(conn.id));
      this.inFlight.set(conn.id, p);
      started.push(p);
    }
    // Retries of earlier deliveries come due independently of runs.
    await this.deliver();
    return started;
  }

  private async runOne(conn: Connection, due: CatalogEntry[], last: Map<string, number>): Promise<void> {
    const objects = due.map((e) => e.object);
    const at = this.now();
    this.emit({ type: 'run_started', connection: conn.name, connectionId: conn.id, objects });
    try {
      const run = await syncConnection(this.o.hub, conn.id, {
        objects,
        onProgress: (p) => {
          // Thrown after a page committed: the engine records the object as interrupted and moves on
          // (every later object stops at its first page), so the run ends promptly and is recorded.
          if (this.stopping) throw stoppedError();
          this.o.onProgress?.(conn.id, p);
        },
      });
      for (const o of objects) last.set(o.toLowerCase(), at);
      this.emit({ type: 'run_finished', connection: conn.name, connectionId: conn.id, run });
      if (this.o.webhooks) await this.o.webhooks.enqueueRun(this.o.hub.tenant.id, conn.id, run);
      await this.deliver();
    } catch (e) {
      // A run that could not start (lock held elsewhere past the wait, token refused): try again
      // on the object's next schedule rather than on every tick.
      for (const o of objects) last.set(o.toLowerCase(), at);
      this.emit({ type: 'run_error', connection: conn.name, error: e as Error });
    }
  }

  private async deliver(): Promise<void> {
    if (!this.o.webhooks || this.delivering) return;
    this.delivering = true;
    try {
      const report = await this.o.webhooks.deliverDue();
      if (report.delivered + report.retrying + report.failed > 0) this.emit({ type: 'webhooks', report });
    } catch (e) {
      this.emit({ type: 'run_error', connection: '(webhooks)', error: e as Error });
    } finally {
      this.delivering = false;
    }
  }

  /** Runs due objects now and then every `tickMs` until `stop()`. */
  start(): void {
    const tick = () => {
      if (this.stopping) return;
      // Runs are not awaited: a long run of one connection must not hold back the others' schedules.
      this.ticking = this.launchDue().then(
        () => undefined,
        (e: unknown) => this.emit({ type: 'run_error', connection: '(scheduler)', error: e as Error }),
      );
      void this.ticking.finally(() => {
        if (!this.stopping) this.timer = setTimeout(tick, this.o.tickMs ?? 30_000);
      });
    };
    tick();
  }

  /** Runs in flight right now (connection ids). */
  get running(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Stops scheduling and waits for runs in flight to stop after their current page. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight.values(), ...(this.ticking ? [this.ticking] : [])]);
  }
}
