/**
 * Agent tool overhead: `query` and `get_record` through forcebridge's HTTP API (a real loopback
 * listener, API-key auth, input/output validation, the SOQL guard, the audit row, the sealed
 * cursor) against the same call made straight to the emulator with a bearer token. Both run in
 * this process against one in-process emulator, interleaved call by call so drift hits both
 * alike; prints p50/p99 of each and of the overhead (forcebridge − direct), target p50 ≤ 3 ms.
 *
 *   node --import tsx bench/agent.bench.ts
 *   BENCH_CALLS=2000 node --import tsx bench/agent.bench.ts
 */
import { request } from 'undici';
import { createLogger } from '../src/log.js';
import { ApiKeys } from '../src/server/api-keys.js';
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/listen.js';
import { startTestEmulator, tokenFor } from '../src/emulator/test-support/harness.js';
import { openSyncTestHub } from '../src/sync/test-support/hub.js';
import { backends } from '../src/store/test-support/stores.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const WARMUP = 100;
const API_VERSION = '62.0';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const ms = (n: number) => `${n.toFixed(2)} ms`.padStart(9);

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function ok(res: Awaited<ReturnType<typeof request>>, what: string): Promise<unknown> {
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${what}: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

const em = await startTestEmulator();
const sqlite = backends.find((b) => b.name === 'sqlite')!;
const t = await openSyncTestHub(sqlite, em);
const app = createApp({ hub: t.hub, logger: createLogger({ level: 'silent' }), baseUrl: 'http://127.0.0.1:8787' });
const server = await listen(app.fetch, { port: 0, host: '127.0.0.1' });
try {
  const key = (await new ApiKeys(t.hub.store.db).create(t.hub.admin, 'bench')).key;
  const token = tokenFor(em);
  const direct = em.urls.mydomain;
  const hubUrl = `http://127.0.0.1:${server.port}`;
  const soql = 'SELECT Id, Name, Industry, AnnualRevenue, CreatedDate FROM Account ORDER BY Name LIMIT 20';
  const first = (await ok(
    await request(`${direct}/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`, { headers: { Authorization: `Bearer ${token}` } }),
    'direct query',
  )) as { records: { Id: string }[] };
  const id = first.records[0]!.Id;

  const cases = {
    query: {
      direct: async () => {
        await ok(
          await request(`${direct}/services/data/v${API_VERSION}/query?q=${encodeURIComponent(soql)}`, { headers: { Authorization: `Bearer ${token}` } }),
          'direct query',
        );
      },
      hub: async () => {
        await ok(
          await request(`${hubUrl}/api/v1/agent/${encodeURIComponent(t.connection)}/query`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ soql }),
          }),
          'forcebridge query',
        );
      },
    },
    get_record: {
      direct: async () => {
        await ok(
          await request(`${direct}/services/data/v${API_VERSION}/sobjects/Account/${id}`, { headers: { Authorization: `Bearer ${token}` } }),
          'direct get',
        );
      },
      hub: async () => {
        await ok(
          await request(`${hubUrl}/api/v1/agent/${encodeURIComponent(t.connection)}/get_record`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ object: 'Account', id }),
          }),
          'forcebridge get_record',
        );
      },
    },
  };

  console.log(`${CALLS} calls each (after ${WARMUP} warm-up calls), interleaved; emulator and hub in this process, loopback HTTP\n`);
  const lines: string[] = [];
  for (const [name, c] of Object.entries(cases)) {
    for (let i = 0; i < WARMUP; i++) {
      await c.direct();
      await c.hub();
    }
    const d: number[] = [];
    const h: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      d.push(await timed(c.direct));
      h.push(await timed(c.hub));
    }
    const over50 = pct(h, 50) - pct(d, 50);
    const over99 = pct(h, 99) - pct(d, 99);
    console.log(`${name.padEnd(11)} direct  p50 ${ms(pct(d, 50))}  p99 ${ms(pct(d, 99))}`);
    console.log(`${''.padEnd(11)} via API p50 ${ms(pct(h, 50))}  p99 ${ms(pct(h, 99))}`);
    lines.push(`${name.padEnd(11)} overhead p50 ${ms(over50)} (target ≤ 3 ms)  p99 ${ms(over99)}`);
  }
  console.log(`\n${lines.join('\n')}`);
} finally {
  await server.close();
  await t.cleanup();
  await em.close();
}
