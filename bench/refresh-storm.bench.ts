/**
 * Refresh storm: 4 processes × 250 concurrent calls on one connection whose session the emulator
 * has just expired, on SQLite (and PostgreSQL when FORCEBRIDGE_TEST_PG_URL is set). Prints the
 * token requests made (target: exactly 1) and the storm's wall time ÷ the same storm with a valid
 * session (the cost of the renewal and the cross-process lock).
 *
 *   node --import tsx bench/refresh-storm.bench.ts
 */
import { startTestEmulator } from '../src/emulator/test-support/harness.js';
import { browserAuthorize } from '../src/emulator/test-support/browser-login.js';
import { backends } from '../src/store/test-support/stores.js';
import { demoAdmin, demoIntegration, openTestHub } from '../src/connections/test-support/hub.js';
import { refreshStorm } from '../src/connections/test-support/storm.js';

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 4);
const CALLS = Number(process.env.BENCH_CALLS ?? 250);

const em = await startTestEmulator({ config: { settings: { records: 20 } } });
try {
  for (const backend of backends) {
    if (backend.skip) {
      console.log(`${backend.name}: skipped — ${backend.skip}`);
      continue;
    }
    const t = await openTestHub(backend);
    try {
      const integ = await t.hub.integrations.create(t.hub.tenant.id, demoIntegration(em, 'authorization_code'), { clientSecret: em.banner.clientSecret });
      const start = await t.hub.service.startAuthorization(t.hub.admin, integ.name);
      const admin = demoAdmin(em);
      const cb = await browserAuthorize(start.url, admin.username, admin.password);
      const conn = await t.hub.service.completeAuthorization({ tenantId: t.hub.tenant.id, user: t.hub.admin }, cb.state!, cb.code!);
      const opts = {
        databaseUrl: t.databaseUrl,
        dataDir: t.dataDir,
        masterKey: t.masterKey,
        connection: conn.id,
        processes: PROCESSES,
        callsPerProcess: CALLS,
      };
      const storm = await refreshStorm(em, opts);
      const stormMs = Math.max(...storm.workers.map((w) => w.ms));
      const failed = storm.workers.reduce((n, w) => n + w.failed, 0);
      // Baseline: the same storm again, now on the live (renewed) session.
      const warmRun = await refreshStorm(em, { ...opts, expire: false });
      const warm = Math.max(...warmRun.workers.map((w) => w.ms));
      console.log(
        `${backend.name}: ${PROCESSES}×${CALLS} calls on an expired session → ${storm.tokenRequests} token request(s), ${failed} failed; ` +
          `slowest process ${stormMs} ms vs ${warm} ms with a live session → ratio ${(stormMs / warm).toFixed(2)}`,
      );
    } finally {
      await t.cleanup();
    }
  }
} finally {
  await em.close();
}
