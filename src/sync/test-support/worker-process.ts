/**
 * Starts src/sync/test-support/sync-worker.ts in a child process (node --import tsx) against a
 * test hub's store, and reports when its run starts and how the process ended.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SyncTestHub } from './hub.js';

const WORKER = fileURLToPath(new URL('./sync-worker.ts', import.meta.url));

export interface WorkerRun {
  child: ChildProcess;
  /** Resolves when the worker's hub is open and its sync run starts (with `waitForGo`: is about to, on `go()`). */
  ready: Promise<void>;
  /** Starts the run of a worker started with `waitForGo`. */
  go(): void;
  /** Resolves when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; result: WorkerResult | undefined; stderr: string }>;
}

export interface WorkerResult {
  status: string;
  objects: { object: string; inserted: number; updated: number; deleted: number; pages: number }[];
  failures: { object: string; error: string }[];
}

export function startSyncWorker(t: SyncTestHub, o: { objects?: string[]; batchSize?: number; full?: boolean; waitForGo?: boolean } = {}): WorkerRun {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: {
      ...process.env,
      FORCEBRIDGE_DATABASE_URL: t.databaseUrl,
      FORCEBRIDGE_DATA_DIR: t.dataDir,
      FORCEBRIDGE_MASTER_KEY: t.masterKey,
      FB_SYNC_CONNECTION: t.connectionId,
      ...(o.objects ? { FB_SYNC_OBJECTS: o.objects.join(',') } : {}),
      ...(o.batchSize ? { FB_SYNC_BATCH_SIZE: String(o.batchSize) } : {}),
      ...(o.full ? { FB_SYNC_FULL: '1' } : {}),
      ...(o.waitForGo ? { FB_SYNC_WAIT_GO: '1' } : {}),
    },
    stdio: [o.waitForGo ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  let onNotReady: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onNotReady = reject;
  });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (/^ready$/m.test(out)) onReady();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; result: WorkerResult | undefined; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      onNotReady(new Error(`sync worker ended before its run started (code ${code}, signal ${signal}): ${err.slice(-2000)}`));
      const line = out.split('\n').find((l) => l.startsWith('{'));
      resolve({ code, signal, result: line ? (JSON.parse(line) as WorkerResult) : undefined, stderr: err });
    });
  });
  // The exit handler also settles `ready`; keep an unobserved rejection from failing the test.
  ready.catch(() => undefined);
  child.stdin?.on('error', () => undefined);
  return { child, ready, exited, go: () => child.stdin?.write('go\n') };
}
