/**
 * `forcebridge sync <connection> [--objects A,B] [--full] [--json]`: one run of the sync engine
 * with a progress bar per object (records, rate, ETA) on a terminal — plain lines otherwise — then
 * a summary table and the run's status. Exits 1 unless the run succeeded, listing each failure
 * with its fix. Webhooks for the run are queued and sent once; retries are left to a long-running
 * process (`sync --watch`, `serve --sync`).
 *
 * `forcebridge sync --watch [connection…]`: the scheduler — each object on its catalog schedule —
 * until SIGINT/SIGTERM.
 *
 * `forcebridge changes <connection> <object> [--cursor c]`: one page of the change feed.
 */
import { Command } from 'commander';
import type { Hub } from '../../connections/hub.js';
import { ForcebridgeError, invalidInput } from '../../errors.js';
import { redactText } from '../../log.js';
import { catalogFor } from '../../sync/catalog.js';
import { syncConnection, type RunResult } from '../../sync/engine.js';
import { readChanges } from '../../sync/feed.js';
import type { ObjectProgress, ObjectResult } from '../../sync/object-sync.js';
import { stoppedError, SyncScheduler, type SchedulerEvent } from '../../sync/scheduler.js';
import { Webhooks, type DeliveryReport } from '../../sync/webhooks.js';
import { printJson, processIo, secondsToMs, table, withHub, type CliIo } from '../io.js';

export interface SyncCliOptions {
  objects?: string[];
  full?: boolean;
  json?: boolean;
  watch?: boolean;
  tickMs?: number;
}

const num = (n: number) => n.toLocaleString('en-US');

/** `1.2s`, `3m04s`, `1h02m`. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

interface ObjectLine {
  object: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  done: number;
  total: number | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** Last plain progress line (non-TTY), for throttling. */
  printedAt: number;
}

const BAR_WIDTH = 24;
const REPAINT_MS = 100;
const PLAIN_EVERY_MS = 5_000;

/**
 * Progress of one run: on a terminal, one line per object redrawn in place (bar, records, rate,
 * ETA); elsewhere, a plain line when an object finishes (and every few seconds while a long one runs).
 * The engine runs objects one after another, so an object starts when the previous one stopped.
 */
export class SyncProgress {
  private readonly lines: ObjectLine[];
  private drawn = 0;
  private paintedAt = 0;
  private lastActivity: number;

  constructor(
    private readonly io: CliIo,
    objects: string[],
    private readonly now: () => number = Date.now,
  ) {
    this.lastActivity = now();
    this.lines = objects.map((object) => ({ object, state: 'waiting', done: 0, total: undefined, startedAt: undefined, finishedAt: undefined, printedAt: 0 }));
    if (io.tty) this.paint(true);
  }

  private line(object: string): ObjectLine {
    let l = this.lines.find((x) => x.object.toLowerCase() === object.toLowerCase());
    if (!l) {
      l = { object, state: 'waiting', done: 0, total: undefined, startedAt: undefined, finishedAt: undefined, printedAt: 0 };
      this.lines.push(l);
    }
    return l;
  }

  private start(l: ObjectLine): void {
    if (l.startedAt === undefined) {
      l.startedAt = this.lastActivity;
      l.state = 'running';
    }
  }

  progress(p: ObjectProgress): void {
    const l = this.line(p.object);
    this.start(l);
    l.done = p.done;
    l.total = p.total;
    const now = this.now();
    this.lastActivity = now;
    if (this.io.tty) this.paint(false);
    else if (now - l.printedAt >= PLAIN_EVERY_MS && l.startedAt !== undefined && now - l.startedAt >= PLAIN_EVERY_MS) {
      l.printedAt = now;
      this.io.out(`${l.object}: ${this.stats(l, now)}\n`);
    }
  }

  objectDone(r: ObjectResult): void {
    const l = this.line(r.object);
    this.start(l);
    l.state = 'done';
    l.finishedAt = this.now();
    l.total = l.done;
    this.lastActivity = l.finishedAt;
    if (this.io.tty) this.paint(true);
    else {
      const ms = l.finishedAt - (l.startedAt ?? l.finishedAt);
      this.io.out(`${r.object}: ${num(l.done)} records read in ${duration(ms)} (+${num(r.inserted)} ~${num(r.updated)} -${num(r.deleted)})\n`);
    }
  }

  /** Marks an object the run reported as failed (the engine has no per-object failure callback). */
  failed(object: string): void {
    const l = this.line(object);
    if (l.state !== 'done') l.state = 'failed';
  }

  /** Time spent on an object, for the summary. */
  elapsed(object: string): number | undefined {
    const l = this.lines.find((x) => x.object.toLowerCase() === object.toLowerCase());
    return l?.startedAt !== undefined && l.finishedAt !== undefined ? l.finishedAt - l.startedAt : undefined;
  }

  /** Final repaint (objects that never reported stay as they are). */
  end(): void {
    if (this.io.tty) this.paint(true);
  }

  private stats(l: ObjectLine, now: number): string {
    const ms = Math.max(1, (l.finishedAt ?? now) - (l.startedAt ?? now));
    const rate = (l.done / ms) * 1000;
    const parts = [`${num(l.done)}${l.total !== undefined ? `/${num(l.total)}` : ''} records`, `${num(Math.round(rate))}/s`];
    if (l.state === 'running' && l.total !== undefined && rate > 0 && l.total > l.done) parts.push(`ETA ${duration(((l.total - l.done) / rate) * 1000)}`);
    if (l.state === 'done') parts.push(duration(ms));
    return parts.join('  ');
  }

  private bar(l: ObjectLine): string {
    const share = l.state === 'done' ? 1 : l.total ? Math.min(1, l.done / l.total) : 0;
    const full = Math.round(share * BAR_WIDTH);
    return `[${'#'.repeat(full)}${'-'.repeat(BAR_WIDTH - full)}] ${String(Math.round(share * 100)).padStart(3)}%`;
  }

  private paint(force: boolean): void {
    const now = this.now();
    if (!force && now - this.paintedAt < REPAINT_MS) return;
    this.paintedAt = now;
    const width = Math.max(...this.lines.map((l) => l.object.length), 6);
    const text = this.lines.map((l) => {
      const name = l.object.padEnd(width);
      if (l.state === 'waiting') return `${name}  waiting`;
      if (l.state === 'failed') return `${name}  failed${l.done ? ` after ${num(l.done)} records` : ''}`;
      return `${name}  ${this.bar(l)}  ${this.stats(l, now)}`;
    });
    // Move up over what was drawn last time and redraw each line (clearing its remainder).
    const up = this.drawn ? `\x1b[${this.drawn}A` : '';
    this.io.out(up + text.map((t) => `\r\x1b[2K${t}`).join('\n') + '\n');
    this.drawn = text.length;
  }
}

/** The fix for a failure: its own hint, or one by kind. */
export function fixFor(e: Error): string {
  if (e instanceof ForcebridgeError) {
    if (e.hint) return e.hint;
    const sf = e.salesforce?.errorCode;
    if (e.kind === 'not_found' || sf === 'NOT_FOUND' || sf === 'INVALID_TYPE')
      return 'check the object API name (custom objects end in __c) and that the connected user can read it';
    if (e.kind === 'forbidden' || sf === 'INSUFFICIENT_ACCESS')
      return 'give the connected user read access to the object in Salesforce (profile or permission set)';
    if (e.kind === 'unavailable') return 'run the sync again; it resumes from the last committed page';
  }
  return 'run the sync again; if it keeps failing, run `forcebridge doctor <connection>`';
}

/** The summary table, status line and failures with their fixes. */
export function summaryText(run: RunResult, elapsed: (object: string) => number | undefined = () => undefined, requested?: number): string {
  const rows = run.objects.map((o) => {
    const ms = elapsed(o.object);
    return [o.object, num(o.inserted), num(o.updated), num(o.deleted), num(o.pages), ms === undefined ? '-' : duration(ms)];
  });
  const out: string[] = [];
  if (rows.length) out.push(table(['OBJECT', 'INSERTED', 'UPDATED', 'DELETED', 'PAGES', 'TIME'], rows));
  const drift = run.objects.filter((o) => o.columnsAdded.length || o.columnsRemoved.length);
  for (const o of drift) {
    if (o.columnsAdded.length) out.push(`${o.object}: new columns ${o.columnsAdded.join(', ')}\n`);
    if (o.columnsRemoved.length) out.push(`${o.object}: fields gone from Salesforce (columns kept, marked removed) ${o.columnsRemoved.join(', ')}\n`);
  }
  // A paused run leaves objects it never reached: count what was asked for.
  const total = Math.max(requested ?? 0, run.objects.length + run.failures.length);
  out.push(
    `Run ${run.runId}: ${run.status} in ${duration(run.finishedAt - run.startedAt)} — ${run.objects.length}/${total} objects synced` +
      (run.failures.length ? `, ${run.failures.length} failed` : '') +
      '\n',
  );
  for (const f of run.failures) {
    out.push(`  ${f.object}: ${redactText(f.error.message)}\n`);
    out.push(`    fix: ${redactText(fixFor(f.error))}\n`);
  }
  if (run.paused) {
    out.push(`  ${run.paused.object ? `${run.paused.object}: ` : ''}${redactText(run.paused.message)}\n`);
    out.push(
      `    fix: the next run resumes from the saved cursor once usage is below ${Math.round(run.paused.share * 100)}% of the daily limit; raise apiBudgetShare to let sync use more\n`,
    );
  }
  return out.join('');
}

/** What `--json` prints for a run. */
export function runJson(run: RunResult, webhooks?: DeliveryReport) {
  return {
    runId: run.runId,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    objects: run.objects.map(({ object, table: t, inserted, updated, deleted, pages, columnsAdded, columnsRemoved }) => ({
      object,
      table: t,
      inserted,
      updated,
      deleted,
      pages,
      columnsAdded,
      columnsRemoved,
    })),
    failures: run.failures.map((f) => ({
      object: f.object,
      code: f.error instanceof ForcebridgeError ? f.error.code : 'internal',
      message: redactText(f.error.message),
      fix: redactText(fixFor(f.error)),
    })),
    ...(run.paused ? { paused: run.paused } : {}),
    ...(run.users ? { users: run.users } : {}),
    ...(webhooks ? { webhooks } : {}),
  };
}

/** Signals that stop a sync: the first stops after the current page, a second exits at once. */
export interface StopSignals {
  once(event: 'SIGINT' | 'SIGTERM', fn: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', fn: () => void): unknown;
}

function onStop(signals: StopSignals | undefined, first: () => void): () => void {
  if (!signals) return () => undefined;
  const handler = () => {
    first();
    // A second signal: leave now (every committed page is safe; the run record stays "running").
    const hard = () => process.exit(130);
    signals.once('SIGINT', hard);
    signals.once('SIGTERM', hard);
  };
  signals.once('SIGINT', handler);
  signals.once('SIGTERM', handler);
  return () => {
    signals.off('SIGINT', handler);
    signals.off('SIGTERM', handler);
  };
}

/**
 * One run with progress and summary on `io`; returns the run. Used by `sync` and by `demo`.
 * Queues the run's webhooks and sends them once.
 */
export async function runSyncWithOutput(
  io: CliIo,
  hub: Hub,
  connection: string,
  o: SyncCliOptions,
  signals?: StopSignals,
): Promise<{ run: RunResult; webhooks: DeliveryReport }> {
  const objects = catalogFor(o.objects).map((e) => e.object);
  const view = o.json ? undefined : new SyncProgress(io, objects);
  let stopping = false;
  const release = onStop(signals, () => {
    stopping = true;
    io.err('forcebridge: stopping after the current page (Ctrl+C again to quit at once)\n');
  });
  let run: RunResult;
  try {
    run = await syncConnection(hub, connection, {
      ...(o.objects ? { objects: o.objects } : {}),
      ...(o.full ? { full: true } : {}),
      onProgress: (p) => {
        if (stopping) throw stoppedError();
        view?.progress(p);
      },
      onObjectDone: (r) => view?.objectDone(r),
    });
  } finally {
    release();
  }
  for (const f of run.failures) view?.failed(f.object);
  view?.end();
  const webhooks = new Webhooks({ store: hub.store, vault: hub.vault });
  const conn = await hub.connections.get(hub.tenant.id, connection);
  await webhooks.enqueueRun(hub.tenant.id, conn.id, run);
  const report = await webhooks.deliverDue();
  if (view) {
    io.out('\n' + summaryText(run, (ob) => view.elapsed(ob), objects.length));
    if (report.delivered + report.retrying + report.failed)
      io.out(
        `Webhooks: ${report.delivered} delivered` +
          (report.retrying ? `, ${report.retrying} to retry (retried by \`forcebridge sync --watch\` or \`forcebridge serve --sync\`)` : '') +
          (report.failed ? `, ${report.failed} failed` : '') +
          '\n',
      );
  }
  return { run, webhooks: report };
}

/** Runs `forcebridge sync` once; returns the exit code (0 only when the run succeeded). */
export async function syncOnce(io: CliIo, connection: string, o: SyncCliOptions, signals?: StopSignals): Promise<number> {
  return withHub(io, async (hub) => {
    const { run, webhooks } = await runSyncWithOutput(io, hub, connection, o, signals);
    if (o.json) printJson(io, runJson(run, webhooks));
    return run.status === 'succeeded' ? 0 : 1;
  });
}

function eventLine(e: SchedulerEvent): string {
  const at = new Date().toISOString().slice(11, 19);
  switch (e.type) {
    case 'run_started':
      return `${at} ${e.connection}: syncing ${e.objects.join(', ')}`;
    case 'run_finished': {
      const changes = e.run.objects
        .filter((o) => o.inserted + o.updated + o.deleted)
        .map((o) => `${o.object} +${o.inserted} ~${o.updated} -${o.deleted}`)
        .join(', ');
      const failed = e.run.failures.map((f) => `${f.object}: ${redactText(f.error.message)} (fix: ${redactText(fixFor(f.error))})`);
      return [
        `${at} ${e.connection}: ${e.run.status} in ${duration(e.run.finishedAt - e.run.startedAt)} — ${changes || 'no changes'}`,
        ...failed.map((f) => `  ${f}`),
      ].join('\n');
    }
    case 'run_error':
      return `${at} ${e.connection}: could not run: ${redactText(e.error.message)}`;
    case 'skipped':
      return `${at} ${e.connection}: skipped: ${e.reason}`;
    case 'webhooks':
      return `${at} webhooks: ${e.report.delivered} delivered, ${e.report.retrying} to retry, ${e.report.failed} failed`;
  }
}

function eventJson(e: SchedulerEvent): unknown {
  switch (e.type) {
    case 'run_finished':
      return { type: e.type, connection: e.connection, connectionId: e.connectionId, ...runJson(e.run) };
    case 'run_error':
      return {
        type: e.type,
        connection: e.connection,
        error: e.error instanceof ForcebridgeError ? e.error.toJSON() : { message: redactText(e.error.message) },
      };
    default:
      return e;
  }
}

/** `forcebridge sync --watch`: the scheduler until SIGINT/SIGTERM. */
export async function syncWatch(io: CliIo, connections: string[], o: SyncCliOptions, signals: StopSignals): Promise<void> {
  if (o.objects || o.full)
    throw invalidInput('cli.sync_watch', '--watch', '--objects and --full apply to one run, not to --watch', 'leave them out with --watch');
  await withHub(io, async (hub) => {
    const scheduler = new SyncScheduler({
      hub,
      ...(connections.length ? { connections } : {}),
      ...(o.tickMs ? { tickMs: o.tickMs } : {}),
      webhooks: new Webhooks({ store: hub.store, vault: hub.vault }),
      onEvent: (e) => io.out((o.json ? JSON.stringify(eventJson(e)) : eventLine(e)) + '\n'),
    });
    const which = connections.length ? connections.join(', ') : 'every active connection';
    if (!o.json) io.out(`Syncing ${which} on the catalog schedule; Ctrl+C stops.\n`);
    await new Promise<void>((resolve) => {
      onStop(signals, () => {
        if (!o.json) io.out('Stopping: waiting for runs in flight to commit their current page…\n');
        void scheduler.stop().then(resolve);
      });
      scheduler.start();
    });
    if (!o.json) io.out('Stopped.\n');
  });
}

function parseObjects(v: string): string[] {
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.length) throw invalidInput('cli.sync_objects', '--objects', '--objects needs at least one object name', 'e.g. --objects Account,Contact');
  return list;
}

export function syncCommand(io: CliIo = processIo()): Command {
  return new Command('sync')
    .description('Sync a connection’s objects into typed tables (progress, summary); --watch runs them on their schedule')
    .argument('[connections...]', 'connection name or id (one without --watch; any number, or none for all, with --watch)')
    .option('--objects <list>', 'comma-separated object API names (default: the catalog)', parseObjects)
    .option('--full', 're-read everything instead of continuing from the cursor')
    .option('--json', 'print the run (or, with --watch, each event) as JSON')
    .option('--watch', 'keep running: sync each object on its catalog schedule until Ctrl+C')
    .option('--tick <seconds>', 'with --watch: how often to look for due objects', (v) => secondsToMs(v, '--tick'))
    .action(async (connections: string[], o: SyncCliOptions & { tick?: number }) => {
      const opts: SyncCliOptions = { ...o, ...(o.tick ? { tickMs: o.tick } : {}) };
      if (o.watch) return syncWatch(io, connections, opts, process);
      if (connections.length !== 1)
        throw invalidInput(
          'cli.sync_connection',
          'connection',
          connections.length ? 'sync runs one connection at a time' : 'name the connection to sync',
          'e.g. forcebridge sync my-org (or forcebridge sync --watch for every connection)',
        );
      process.exitCode = await syncOnce(io, connections[0]!, opts, process);
    });
}

/** `forcebridge changes <connection> <object>`: one page of the change feed. */
export async function showChanges(io: CliIo, connection: string, object: string, o: { cursor?: string; limit?: number; json?: boolean }): Promise<void> {
  await withHub(io, async (hub) => {
    const conn = await hub.connections.get(hub.tenant.id, connection);
    const page = await readChanges(hub.store, conn.id, object, {
      ...(o.cursor !== undefined ? { cursor: o.cursor } : {}),
      ...(o.limit ? { limit: o.limit } : {}),
    });
    if (o.json) return printJson(io, page);
    if (page.changes.length)
      io.out(
        table(
          ['OP', 'ID', 'AT', 'NAME'],
          page.changes.map((c) => [c.op, c.id, new Date(c.at).toISOString(), typeof c.record?.Name === 'string' ? c.record.Name : '']),
        ),
      );
    else io.out('No changes after this cursor.\n');
    io.out(`next cursor: ${page.nextCursor}${page.done ? ' (up to date)' : ' (more: pass --cursor ' + page.nextCursor + ')'}\n`);
  });
}

export function changesCommand(io: CliIo = processIo()): Command {
  return new Command('changes')
    .description('Page the change feed of a synced object (inserts, updates, deletes in order)')
    .argument('<connection>', 'connection name or id')
    .argument('<object>', 'object API name, e.g. Account')
    .option('--cursor <cursor>', 'the next cursor a previous page printed (default: from the start)')
    .option('--limit <n>', 'changes per page (1–1000)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalidInput('cli.changes_limit', '--limit', '--limit must be a whole number from 1 to 1000');
      return n;
    })
    .option('--json', 'print the page as JSON')
    .action((connection: string, object: string, o: { cursor?: string; limit?: number; json?: boolean }) => showChanges(io, connection, object, o));
}
