/**
 * Runs a refresh storm: P processes × N concurrent calls on one connection whose session the
 * emulator just expired, and counts the token requests the emulator saw. Shared by the test and
 * the benchmark.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from '../../emulator/server.js';
import { control } from '../../emulator/test-support/harness.js';
import { tokenRequestsSince } from './hub.js';

const WORKER = fileURLToPath(new URL('./storm-worker.ts', import.meta.url));

export interface WorkerResult {
  ok: number;
  failed: number;
  firstError: string | null;
  refreshEvents: string[];
  ms: number;
}

export interface StormResult {
  workers: WorkerResult[];
  tokenRequests: number;
  wallMs: number;
}

function runWorker(env: Record<string, string>): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    // 'close', not 'exit': 'exit' can come before the last of stdout has been read.
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`storm worker exited ${code}: ${err.slice(0, 2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as WorkerResult);
      } catch {
        reject(new Error(`storm worker printed no result: ${out.slice(0, 500)} ${err.slice(0, 500)}`));
      }
    });
  });
}

export async function refreshStorm(
  em: RunningEmulator,
  o: { databaseUrl: string; dataDir: string; masterKey: string; connection: string; processes: number; callsPerProcess: number; expire?: boolean },
): Promise<StormResult> {
  // By default the org expires every session first, so every call starts with a refused token.
  if (o.expire !== false) await control(em, 'POST', 'sessions/expire');
  const since = em.org.requestLog.lastSeq;
  // Processes start at one shared instant, after all of them have booted (tsx start-up ~1 s).
  const startAt = Date.now() + 4000;
  const t0 = Date.now();
  const workers = await Promise.all(
    Array.from({ length: o.processes }, () =>
      runWorker({
        FB_DB_URL: o.databaseUrl,
        FB_DATA_DIR: o.dataDir,
        FB_MASTER_KEY: o.masterKey,
        FB_CONNECTION: o.connection,
        FB_CALLS: String(o.callsPerProcess),
        FB_START_AT: String(startAt),
      }),
    ),
  );
  return { workers, tokenRequests: await tokenRequestsSince(em, since), wallMs: Date.now() - t0 };
}
