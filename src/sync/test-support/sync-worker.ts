/**
 * A sync run in its own process, for crash tests: opens the hub from the environment (as the CLI
 * does), prints `ready` when the run starts, runs syncConnection and prints one JSON line with
 * the result. Exit code 0 only when the run succeeded. With FB_SYNC_WAIT_GO=1 it prints `ready`
 * once the hub is open and waits for a `go` line on stdin before starting the run (so a test can
 * start the next process while the current one runs).
 *
 *   FORCEBRIDGE_DATABASE_URL, FORCEBRIDGE_DATA_DIR, FORCEBRIDGE_MASTER_KEY  the hub
 *   FB_SYNC_CONNECTION   connection name or id
 *   FB_SYNC_OBJECTS      comma-separated objects (default: the catalog)
 *   FB_SYNC_BATCH_SIZE   REST page size
 *   FB_SYNC_FULL=1       a full run
 *   FB_SYNC_WAIT_GO=1    wait for `go` on stdin after `ready`
 */
import { createInterface } from 'node:readline';
import { hubOptionsFromEnv, openHub } from '../../connections/hub.js';
import { syncConnection } from '../engine.js';

const env = process.env;
const connection = env.FB_SYNC_CONNECTION;
if (!connection) {
  process.stderr.write('FB_SYNC_CONNECTION is required\n');
  process.exit(2);
}
const hub = await openHub(hubOptionsFromEnv(env));
let code = 1;
try {
  process.stdout.write('ready\n');
  if (env.FB_SYNC_WAIT_GO === '1') {
    const lines = createInterface({ input: process.stdin });
    await new Promise<void>((resolve) => {
      lines.on('line', (l) => l.trim() === 'go' && resolve());
      // The test went away without starting this run.
      lines.on('close', () => process.exit(3));
    });
    lines.removeAllListeners('close');
    lines.close();
  }
  const run = await syncConnection(hub, connection, {
    ...(env.FB_SYNC_OBJECTS ? { objects: env.FB_SYNC_OBJECTS.split(',') } : {}),
    ...(env.FB_SYNC_BATCH_SIZE ? { batchSize: Number(env.FB_SYNC_BATCH_SIZE) } : {}),
    ...(env.FB_SYNC_FULL === '1' ? { full: true } : {}),
  });
  process.stdout.write(
    `${JSON.stringify({
      status: run.status,
      objects: run.objects.map(({ object, inserted, updated, deleted, pages }) => ({ object, inserted, updated, deleted, pages })),
      failures: run.failures.map((f) => ({ object: f.object, error: f.error.message })),
    })}\n`,
  );
  code = run.status === 'succeeded' ? 0 : 1;
} catch (e) {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
} finally {
  await hub.close();
}
process.exit(code);
