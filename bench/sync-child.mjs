// The measured forcebridge sync of bench/sync.bench.ts, in its own process so its peak RSS is its
// own. Plain JavaScript: it runs the compiled modules under plain node (as the CLI ships), or the
// TypeScript sources when started with `--import tsx`.
//
//   node bench/sync-child.mjs <modules dir: compiled dist or ../src> '<json args>'
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [base, json] = process.argv.slice(2);
const a = JSON.parse(json);
const mod = (p) => import(pathToFileURL(resolve(base, p)).href);
const { openHub } = await mod('connections/hub.js');
const { syncConnection } = await mod('sync/engine.js');

const hub = await openHub({ databaseUrl: a.databaseUrl, dataDir: a.dataDir, masterKey: a.masterKey });
const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
let sampledAt = 0;
const sample = () => {
  // At most every 50 ms: memoryUsage() reads /proc, and a load reports progress per batch.
  const now = performance.now();
  if (now - sampledAt < 50) return;
  sampledAt = now;
  const m = process.memoryUsage();
  for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], Math.round(m[k] / 1048576));
};
try {
  const t0 = performance.now();
  // A fresh store: the initial load of the object (the planner decides REST or Bulk).
  const run = await syncConnection(hub, a.connectionId, { objects: ['Account'], onProgress: sample });
  const ms = performance.now() - t0;
  if (run.status !== 'succeeded') throw new Error(run.failures.map((f) => f.error.message).join('; '));
  const r = run.objects[0];
  const out = {
    ms,
    records: r.inserted + r.updated + r.deleted,
    pages: r.pages,
    method: r.method,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    heapMb: peak,
    ...(r.notes.length ? { note: r.notes.join('; ') } : {}),
  };
  if (process.env.BENCH_THREADS) {
    // CPU seconds of the threads still alive (the main thread, V8's and libuv's helpers), from /proc.
    const { readdirSync, readFileSync } = await import('node:fs');
    const per = {};
    for (const t of readdirSync('/proc/self/task')) {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const comm = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(f[11]) + Number(f[12])) / 100;
      if (cpu >= 0.2) per[Number(t) === process.pid ? 'main' : `${comm}:${t}`] = cpu;
    }
    console.error('threads CPU s', JSON.stringify(per));
  }
  process.stdout.write(`\nRESULT ${JSON.stringify(out)}\n`);
} finally {
  await hub.close();
}
process.exit(0);
