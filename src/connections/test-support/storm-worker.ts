/**
 * One process of the refresh-storm test and benchmark: opens the hub on the shared database, waits
 * for the common start time, then fires N concurrent API calls through one connection whose
 * session has just expired. Prints one JSON line: {ok, failed, refreshEvents, ms}.
 *
 * Env: FB_DB_URL, FB_DATA_DIR, FB_MASTER_KEY, FB_CONNECTION, FB_CALLS, FB_START_AT (epoch ms).
 */
import { openHub } from '../hub.js';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`storm worker: ${k} is not set`);
  return v;
};

const events: string[] = [];
const hub = await openHub({
  databaseUrl: env('FB_DB_URL'),
  dataDir: env('FB_DATA_DIR'),
  masterKey: env('FB_MASTER_KEY'),
  onRefreshEvent: (e) => events.push(`${e.event}:${e.reason ?? ''}`),
});
try {
  const { client } = await hub.service.client(hub.tenant.id, env('FB_CONNECTION'));
  const calls = Number(env('FB_CALLS'));
  const startAt = Number(env('FB_START_AT'));
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  const t0 = Date.now();
  const results = await Promise.allSettled(Array.from({ length: calls }, () => client.request({ method: 'GET', path: '/limits' })));
  const failed = results.filter((r) => r.status === 'rejected');
  process.stdout.write(
    JSON.stringify({
      ok: results.length - failed.length,
      failed: failed.length,
      firstError: failed[0] ? String((failed[0] as PromiseRejectedResult).reason?.message ?? failed[0]) : null,
      refreshEvents: events,
      ms: Date.now() - t0,
    }) + '\n',
  );
} finally {
  await hub.close();
}
