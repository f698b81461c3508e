/**
 * `forcebridge sync`, `sync --watch` and `changes` end to end: the real CLI process (not a
 * terminal, so plain lines) with a temporary data dir, against an in-process emulator.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cliHub } from '../test-support/cli-hub.js';
import { hubOptionsFromEnv, openHub } from '../../connections/hub.js';
import type { RunningEmulator } from '../../emulator/server.js';
import { startTestEmulator } from '../../emulator/test-support/harness.js';
import type { CliIo } from '../io.js';
import { serveMain } from './serve.js';
import { showChanges, SyncProgress, syncCommand, syncOnce } from './sync.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let em: RunningEmulator;
let dataDir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 60 } } });
  // watch-org and serve-org are never synced, so everything is due when the watcher starts.
  ({ dataDir, env } = await cliHub(em, 'fb-sync-cli-', ['cli-org', 'watch-org', 'serve-org']));
});
after(async () => {
  await em.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Output captured in process, with the test's environment. */
function testIo(): CliIo & { text(): string } {
  let out = '';
  return { out: (t) => void (out += t), err: () => undefined, stdin: process.stdin, tty: false, env, text: () => out };
}

function start(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function cli(args: string[]): Promise<Run> {
  const child = start(args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('forcebridge sync', () => {
  it('syncs every catalog object of a connection, prints plain progress lines and the summary, exits 0', async () => {
    const r = await cli(['sync', 'cli-org']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(!r.stdout.includes('\x1b['), 'no terminal escapes when not a terminal');
    assert.match(r.stdout, /^Account: \d+ records read in \d+\.\ds \(\+\d+ ~0 -\d+\)$/m);
    assert.match(r.stdout, /^OBJECT\s+INSERTED\s+UPDATED\s+DELETED\s+PAGES\s+TIME$/m);
    for (const o of ['Account', 'Contact', 'Opportunity', 'Case', 'EmailMessage', 'Task', 'Event', 'User', 'UserLicense', 'PermissionSetLicense'])
      assert.match(r.stdout, new RegExp(`^${o}\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\.\\ds$`, 'm'), o);
    assert.match(r.stdout, /^Run run_[\w-]+: succeeded in \d+\.\ds — 10\/10 objects synced$/m);
  });

  it('--objects and --full: re-reads just those objects whole (every row an update), --json for scripts', async () => {
    const r = await cli(['sync', 'cli-org', '--objects', 'Account,contact', '--full', '--json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const run = JSON.parse(r.stdout);
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(
      run.objects.map((o: { object: string }) => o.object),
      ['Account', 'Contact'],
    );
    for (const o of run.objects) {
      assert.equal(o.inserted, 0, `${o.object}: nothing new`);
      assert.ok(o.updated > 0, `${o.object}: every live row read again`);
    }
    assert.deepEqual(run.failures, []);
  });

  it('exits 1 when the run is not succeeded, with each failure’s message and fix', async () => {
    const r = await cli(['sync', 'cli-org', '--objects', 'Account,Nope__c']);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^Account\s+0\s+0\s+0\s+\d+/m);
    assert.match(r.stdout, /^Run run_[\w-]+: partial in .* 1\/2 objects synced, 1 failed$/m);
    assert.match(r.stdout, /^ {2}Nope__c: .+$/m);
    assert.match(r.stdout, /^ {4}fix: .+$/m);
    // In process (the same code path without another process start): --json and a failed run.
    const io = testIo();
    assert.equal(await syncOnce(io, 'cli-org', { objects: ['Nope__c'], json: true }), 1);
    const run = JSON.parse(io.text());
    assert.equal(run.status, 'failed');
    assert.equal(run.failures[0].object, 'Nope__c');
    assert.ok(run.failures[0].fix);
  });

  it('refuses a missing connection name or an unknown connection', async () => {
    await assert.rejects(syncCommand(testIo()).parseAsync([], { from: 'user' }), /name the connection to sync/);
    await assert.rejects(syncOnce(testIo(), 'no-such', {}), /no connection "no-such"/);
  });
});

describe('forcebridge changes', () => {
  it('pages the change feed with --cursor', async () => {
    const io = testIo();
    await showChanges(io, 'cli-org', 'Account', { limit: 3, json: true });
    const p1 = JSON.parse(io.text());
    assert.equal(p1.changes.length, 3);
    assert.equal(p1.done, false);
    const second = await cli(['changes', 'cli-org', 'Account', '--limit', '3', '--cursor', p1.nextCursor]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /^OP\s+ID\s+AT\s+NAME$/m);
    assert.doesNotMatch(second.stdout, new RegExp(p1.changes.map((c: { id: string }) => c.id).join('|')));
    assert.match(second.stdout, /next cursor: \d+ \(more: pass --cursor \d+\)/);
  });
});

describe('forcebridge sync --watch', () => {
  it('runs the schedule and stops cleanly on SIGTERM', async () => {
    const child = start(['sync', '--watch', 'watch-org', '--tick', '1']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    await new Promise<void>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout });
      rl.on('line', (line) => {
        if (/watch-org: (succeeded|partial|failed) in/.test(line)) resolve();
      });
      void exited.then(() => reject(new Error(`exited early: ${stdout}${stderr}`)));
      setTimeout(() => reject(new Error(`no run finished within 60 s: ${stdout}${stderr}`)), 60_000).unref();
    });
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stdout + stderr);
    assert.match(stdout, /^Syncing watch-org on the catalog schedule; Ctrl\+C stops\.$/m);
    assert.match(stdout, /watch-org: syncing Account, Contact/);
    assert.match(stdout, /watch-org: succeeded in/);
    assert.match(stdout, /^Stopped\.$/m);
  });
});

describe('forcebridge serve --sync', () => {
  it('runs the sync schedule beside the API and stops it with the server', async () => {
    const signals = new EventEmitter();
    const io = testIo();
    const serving = serveMain(io, { port: 0, host: '127.0.0.1', sync: true }, signals);
    const hub = await openHub(hubOptionsFromEnv(env));
    try {
      const conn = await hub.connections.get(hub.tenant.id, 'serve-org');
      const deadline = Date.now() + 60_000;
      for (;;) {
        const runs = await hub.store.db
          .selectFrom('sync_runs')
          .select('status')
          .where('connection_id', '=', conn.id)
          .where('finished_at', 'is not', null)
          .execute();
        if (runs.length) {
          assert.equal(runs[0]!.status, 'succeeded');
          break;
        }
        assert.ok(Date.now() < deadline, 'a scheduled run finished within 60 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await hub.close();
    }
    assert.match(io.text(), /Sync schedules {3}: running/);
    signals.emit('SIGTERM');
    await serving;
  });
});

describe('SyncProgress', () => {
  it('draws one bar per object on a terminal with records, rate and ETA, redrawn in place', () => {
    let out = '';
    let now = 1_000_000;
    const io: CliIo = { out: (t) => void (out += t), err: () => undefined, stdin: process.stdin, tty: true, env: {} };
    const view = new SyncProgress(io, ['Account', 'Contact'], () => now);
    assert.match(out, /Account\s+waiting\n.*Contact\s+waiting/s);
    now += 2_000;
    view.progress({ object: 'Account', done: 500, total: 1000 });
    assert.ok(out.includes('\x1b[2A'), 'moves up over the previous frame');
    assert.match(out, /Account\s+\[#{12}-{12}\] {2}50% {2}500\/1,000 records {2}250\/s {2}ETA 2\.0s/);
    now += 1_000;
    view.progress({ object: 'Account', done: 1000, total: 1000 });
    now += 1_000;
    view.objectDone({ object: 'Account', table: 't', inserted: 1000, updated: 0, deleted: 0, pages: 1, columnsAdded: [], columnsRemoved: [] } as never);
    assert.match(out, /Account\s+\[#{24}\] 100% {2}1,000\/1,000 records {2}250\/s {2}4\.0s/);
    assert.equal(view.elapsed('Account'), 4_000);
  });
});
