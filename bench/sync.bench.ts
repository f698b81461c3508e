/**
 * Sync benchmark on 1,000,000 Accounts (the emulator's extraAccounts; a few seconds to generate).
 * The emulator runs in this process; every measured client runs in its own child process (its
 * peak RSS is the child's maxRSS), started with the V8 flags the CLI runs with:
 *   (a) raw download of the sync's REST pages (download + JSON.parse, discard) and, when the
 *       planner picks Bulk, of the same Bulk CSV pages: through the sync's own Bulk reader (same
 *       page size, read-ahead and CSV parser; rows discarded) — the baseline of the ratio — and,
 *       for reference, download only and download + csv-parse;
 *   (b) forcebridge full sync of Account into SQLite, (c) into PostgreSQL when
 *       FORCEBRIDGE_TEST_PG_URL is set;
 *   (d) a straightforward jsforce script: conn.query autoFetch (maxFetch raised), batched inserts
 *       into SQLite through the store's driver (better-sqlite3, or node:sqlite on Node 24 and later).
 * Prints sync ÷ raw download (target ≤ 1.25), forcebridge ÷ jsforce (target ≤ 0.5) and peak RSS
 * of the sync (target ≤ 300 MB) per store. The baseline and the syncs run in BENCH_ROUNDS rounds
 * (default 3), each sync right after its round's baseline; the ratio is the median of the rounds'.
 *
 *   node --import tsx bench/sync.bench.ts
 *   BENCH_ACCOUNTS=100000 BENCH_SKIP=jsforce BENCH_ROUNDS=1 node --import tsx bench/sync.bench.ts
 *
 * BENCH_THREADS=1 has the sync child print its CPU seconds per thread (where the load's work ran);
 * BENCH_PROF=<mode> writes a CPU profile of that child to BENCH_PROF_DIR; BENCH_NODE_FLAGS adds node
 * flags to the children (e.g. --trace-gc) and BENCH_CHILD_OUT=<file> keeps the last child's stdout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingV8Flags, startedAs } from '../src/cli/v8-flags.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SELF), '..');
const SYNC_CHILD = join(ROOT, 'bench', 'sync-child.mjs');
const TOTAL = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
/** Baseline + sync rounds (the summary's ratio is their median). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

interface ChildResult {
  ms: number;
  records: number;
  pages?: number;
  method?: string;
  maxRssMb: number;
  /** Peak V8 heap figures of the sync child, MB. */
  heapMb?: Record<string, number>;
  /** CPU time of the child (user + system), ms. */
  cpuMs?: number;
  note?: string;
}

/** CPU seconds spent while a child ran: by the child, the emulator (this process), PostgreSQL's processes. */
interface CpuSplit {
  child: number;
  emulator: number;
  postgres: number;
}

/**
 * User + system CPU ms of PostgreSQL's server processes (0 where /proc is unreadable): the live
 * ones, plus what the postmaster has reaped (a backend's time moves there when its connection
 * closes).
 */
function postgresCpuMs(): number {
  const r = spawnSync('sh', ['-c', 'for p in $(pgrep -x postgres); do cat /proc/$p/stat 2>/dev/null; echo; done'], { encoding: 'utf8' });
  let ticks = 0;
  for (const l of (r.stdout ?? '').split('\n')) {
    const f = l.slice(l.lastIndexOf(')') + 2).split(' ');
    if (f.length > 15) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

type ChildArgs =
  | { mode: 'rest-raw'; instanceUrl: string; token: string; soql: string }
  | { mode: 'bulk-raw'; instanceUrl: string; token: string; soql: string; parse: boolean }
  | { mode: 'bulk-reader'; instanceUrl: string; token: string; soql: string }
  | { mode: 'jsforce'; instanceUrl: string; token: string; soql: string; file: string; fields: string[] };

const API_VERSION = '62.0';

// ------------------------------------------------------------------------------------------------
// children

async function child(a: ChildArgs): Promise<ChildResult> {
  const t0 = performance.now();
  const done = (r: Omit<ChildResult, 'ms' | 'maxRssMb'>): ChildResult => ({
    ...r,
    ms: performance.now() - t0,
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  });
  if (a.mode === 'rest-raw') {
    const { request } = await import('undici');
    const headers = { Authorization: `Bearer ${a.token}`, 'Sforce-Query-Options': 'batchSize=2000', Accept: 'application/json' };
    let url = `${a.instanceUrl}/services/data/v${API_VERSION}/queryAll?q=${encodeURIComponent(a.soql)}`;
    let records = 0;
    let pages = 0;
    for (;;) {
      const res = await request(url, { headers });
      const body = JSON.parse(await res.body.text()) as { done: boolean; nextRecordsUrl?: string; records: unknown[] };
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      records += body.records.length;
      pages++;
      if (body.done) break;
      url = `${a.instanceUrl}${body.nextRecordsUrl}`;
    }
    return done({ records, pages });
  }
  if (a.mode === 'bulk-raw') {
    const { DEFAULT_BULK_PAGE_ROWS: BULK_PAGE } = await import('../src/sync/bulk-reader.js');
    const { request } = await import('undici');
    const { parse } = await import('csv-parse');
    const { Readable } = await import('node:stream');
    const base = `${a.instanceUrl}/services/data/v${API_VERSION}/jobs/query`;
    const auth = { Authorization: `Bearer ${a.token}` };
    const created = await request(base, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ operation: 'queryAll', query: a.soql }),
    });
    const job = (await created.body.json()) as { id: string };
    for (let delay = 200; ; delay = Math.min(delay * 1.5, 10_000)) {
      const info = (await (await request(`${base}/${job.id}`, { headers: auth })).body.json()) as { state: string };
      if (info.state === 'JobComplete') break;
      if (info.state === 'Failed' || info.state === 'Aborted') throw new Error(`job ${info.state}`);
      await new Promise((r) => setTimeout(r, delay));
    }
    let locator: string | undefined;
    let records = 0;
    let pages = 0;
    do {
      const res = await request(`${base}/${job.id}/results?maxRecords=${BULK_PAGE}${locator ? `&locator=${locator}` : ''}`, {
        headers: { ...auth, Accept: 'text/csv' },
      });
      const text = await res.body.text();
      pages++;
      if (a.parse) {
        for await (const _ of Readable.from([text]).pipe(parse({ skip_empty_lines: true }))) records++;
        records--; // header
      } else records += Number(res.headers['sforce-numberofrecords'] ?? 0);
      const l = res.headers['sforce-locator'];
      locator = typeof l === 'string' && l !== 'null' ? l : undefined;
    } while (locator);
    await request(`${base}/${job.id}`, { method: 'DELETE', headers: auth });
    return done({ records, pages });
  }
  if (a.mode === 'bulk-reader') {
    // The sync's own Bulk reader — the same page size, read-ahead and CSV parser — with the rows
    // discarded: what downloading and parsing the pages the sync reads costs, without storing them.
    const { SalesforceClient } = await import('../src/salesforce/client.js');
    const { createTransport } = await import('../src/salesforce/transport.js');
    const { bulkQuery } = await import('../src/sync/bulk-reader.js');
    const session = { accessToken: a.token, instanceUrl: a.instanceUrl, version: 1 };
    const client = new SalesforceClient({
      transport: createTransport(),
      apiVersion: API_VERSION,
      session: { current: async () => session, renew: async () => session },
    });
    let records = 0;
    let batches = 0;
    for await (const b of bulkQuery(client, a.soql, { all: true })) {
      records += b.rows.length;
      batches++;
    }
    return done({ records, pages: batches });
  }
  // jsforce: the way a straightforward script does it.
  const jsforce = (await import('jsforce')).default;
  const { openSqliteDatabase } = await import('../src/store/sqlite/driver.js');
  const db = openSqliteDatabase(a.file);
  db.pragma('journal_mode = WAL');
  const cols = a.fields.map((f) => `"${f.toLowerCase()}"`);
  db.exec(`create table account (${cols.map((c) => (c === '"id"' ? `${c} text primary key` : c)).join(', ')})`);
  const ins = db.prepare(`insert or replace into account (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
  const flush = db.transaction((rows: Record<string, unknown>[]) => {
    for (const r of rows) {
      ins.run(
        ...a.fields.map((f) => {
          const v = r[f];
          return v === null || v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'object' ? JSON.stringify(v) : v;
        }),
      );
    }
  });
  const conn = new jsforce.Connection({ instanceUrl: a.instanceUrl, accessToken: a.token, version: API_VERSION });
  let batch: Record<string, unknown>[] = [];
  let records = 0;
  await new Promise<void>((resolve, reject) => {
    conn
      .query(a.soql)
      .on('record', (rec: Record<string, unknown>) => {
        batch.push(rec);
        records++;
        if (batch.length >= 2000) {
          flush(batch);
          batch = [];
        }
      })
      .on('end', () => resolve())
      .on('error', reject)
      .run({ autoFetch: true, maxFetch: 10_000_000, scanAll: true });
  });
  flush(batch);
  db.close();
  return done({ records });
}

if (process.argv[2] === '--child') {
  try {
    const r = await child(JSON.parse(process.argv[3]!) as ChildArgs);
    process.stdout.write(`\nRESULT ${JSON.stringify(r)}\n`);
    process.exit(0);
  } catch (e) {
    console.error(e);
    process.exit(1);
  }
}

// ------------------------------------------------------------------------------------------------
// parent

/** Runs a measured child: a bench mode of this file (through tsx), or the sync child. */
function runChild(a: ChildArgs | { mode: 'sync'; modules: string; compiled: boolean; args: Record<string, string> }): Promise<ChildResult & { cpu: CpuSplit }> {
  const prof = process.env.BENCH_PROF && a.mode === process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF_DIR ?? '.'}`] : [];
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const argv =
    a.mode === 'sync'
      ? [...(a.compiled ? [] : ['--import', 'tsx']), SYNC_CHILD, a.modules, JSON.stringify(a.args)]
      : ['--import', 'tsx', SELF, '--child', JSON.stringify(a)];
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuMs();
  return new Promise<ChildResult & { cpu: CpuSplit }>((resolve, reject) => {
    // Every child starts with the V8 flags the CLI restarts itself with (src/cli/v8-flags.ts): the
    // ratios compare the code, not heap settings (the baseline reader gains from them too).
    const cli = missingV8Flags({ ...startedAs(), execArgv: [...flags, ...prof] });
    const p = spawn(process.execPath, [...cli, ...flags, ...prof, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (process.env.BENCH_CHILD_OUT) writeFileSync(process.env.BENCH_CHILD_OUT, out);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`${a.mode} child exited ${code}: ${out.slice(-500)}`));
      else {
        const r = JSON.parse(line.slice(7)) as ChildResult;
        const em = process.cpuUsage(cpu0);
        resolve({ ...r, cpu: { child: (r.cpuMs ?? 0) / 1000, emulator: (em.user + em.system) / 1e6, postgres: (postgresCpuMs() - pg0) / 1000 } });
      }
    });
  });
}

/**
 * Compiles the sources (tsconfig.build.json) under node_modules/.cache so the sync child runs as
 * the CLI ships: compiled JavaScript under plain node (tsx alone adds ~70 MB of RSS). Falls back
 * to the TypeScript sources through tsx when compiling fails.
 */
function compiledModules(): { modules: string; compiled: boolean } {
  const out = join(ROOT, 'node_modules', '.cache', 'forcebridge-bench', 'dist');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0) return { modules: out, compiled: true };
  console.log(`compiling the sources failed; the sync child runs them through tsx (RSS includes tsx):\n${(r.stdout + r.stderr).slice(0, 1000)}`);
  return { modules: join(ROOT, 'src'), compiled: false };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (r: ChildResult) => `${Math.round(r.records / (r.ms / 1000)).toLocaleString('en-US')} rec/s`;
const cpuText = (c: CpuSplit | undefined) =>
  c ? `  CPU s: client ${c.child.toFixed(1)}, emulator ${c.emulator.toFixed(1)}${c.postgres >= 0.5 ? `, postgres ${c.postgres.toFixed(1)}` : ''}` : '';
const line = (label: string, r: ChildResult & { cpu?: CpuSplit }) =>
  console.log(
    `${label.padEnd(54)} ${s(r.ms).padStart(8)}  ${r.records.toLocaleString('en-US').padStart(10)} records  ${rate(r).padStart(14)}  peak RSS ${String(r.maxRssMb).padStart(4)} MB${cpuText(r.cpu)}${r.method ? `  (${r.method}${r.pages ? `, ${r.pages} pages` : ''})` : ''}${r.note ? `  ${r.note}` : ''}`,
  );

if (process.argv[2] !== '--child') {
  const { startTestEmulator, tokenFor } = await import('../src/emulator/test-support/harness.js');
  const { backends } = await import('../src/store/test-support/stores.js');
  const { demoIntegration, demoSecrets, openTestHub } = await import('../src/connections/test-support/hub.js');
  const { selectList, syncFields } = await import('../src/sync/fields.js');
  const { keysetSoql } = await import('../src/sync/keyset.js');
  const { bulkSoql, DEFAULT_BULK_THRESHOLD } = await import('../src/sync/planner.js');

  let t0 = performance.now();
  const mods = compiledModules();
  console.log(`sources compiled for the sync child in ${s(performance.now() - t0)}${mods.compiled ? '' : ' (failed: tsx)'}`);
  t0 = performance.now();
  const em = await startTestEmulator({ config: { settings: { extraAccounts: TOTAL, records: 0 } } });
  try {
    const rows = em.org.data.table('Account').rows.size;
    console.log(
      `emulator up with ${rows.toLocaleString('en-US')} Accounts in ${s(performance.now() - t0)}; ${process.env.FORCEBRIDGE_TEST_PG_URL ? '' : 'PostgreSQL skipped (FORCEBRIDGE_TEST_PG_URL not set); '}2 cores shared by the emulator and the measured child`,
    );
    const cliFlags = missingV8Flags(startedAs());
    if (cliFlags.length)
      console.log(`every child (baseline, syncs, jsforce) starts with ${cliFlags.join(' ')}, as the CLI restarts itself on Node ${process.versions.node}`);
    const token = tokenFor(em);
    const instanceUrl = em.urls.mydomain;
    const describe = (await (
      await fetch(`${instanceUrl}/services/data/v${API_VERSION}/sobjects/Account/describe`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as {
      fields: { name: string; type: string }[];
    };
    const fields = selectList(syncFields(describe.fields));
    const now = em.org.clock.now();
    const before = new Date(now - (now % 1000)).toISOString();
    const restSoql = keysetSoql({ object: 'Account', fields, cursorField: 'SystemModstamp', cursor: undefined, before });
    const bulkText = bulkSoql({ object: 'Account', fields, cursorField: 'SystemModstamp', before });
    const planner = rows > DEFAULT_BULK_THRESHOLD ? 'bulk' : 'rest';
    console.log(`${fields.length} fields selected; the planner picks ${planner} for an initial load of ${rows.toLocaleString('en-US')} rows\n`);

    // BENCH_SKIP=raw (iterating on the sync only) reports ratios as NaN.
    // BENCH_SKIP=rest skips the REST download (40 s on 1M rows) when the planner picks Bulk; =ref the reference-only Bulk reads.
    const rawRest =
      SKIP.has('raw') || SKIP.has('rest')
        ? { ms: Number.NaN, records: 0, maxRssMb: 0 }
        : await runChild({ mode: 'rest-raw', instanceUrl, token, soql: restSoql });
    if (!SKIP.has('raw') && !SKIP.has('rest')) line('(a) raw REST download + JSON.parse', rawRest);
    if (planner === 'bulk' && !SKIP.has('raw') && !SKIP.has('ref')) {
      line('(a) raw Bulk CSV download only', await runChild({ mode: 'bulk-raw', instanceUrl, token, soql: bulkText, parse: false }));
      line('(a) raw Bulk CSV download + csv-parse', await runChild({ mode: 'bulk-raw', instanceUrl, token, soql: bulkText, parse: true }));
    }

    let jsf: ChildResult | undefined;
    if (!SKIP.has('jsforce')) {
      const dir = mkdtempSync(join(tmpdir(), 'fb-bench-jsforce-'));
      try {
        jsf = await runChild({ mode: 'jsforce', instanceUrl, token, soql: `SELECT ${fields.join(', ')} FROM Account`, file: join(dir, 'jsforce.db'), fields });
        line('(d) jsforce autoFetch → SQLite', jsf);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    // Rounds: the baseline, then each store's sync right after it, so every ratio compares runs
    // seconds apart (this machine's speed drifts by a quarter within minutes); the summary gives
    // each round's ratio and their median.
    const stores = backends.filter((b) => !b.skip && !SKIP.has(b.name));
    const results = new Map<string, { ratios: number[]; runs: ChildResult[]; method?: string }>(stores.map((b) => [b.name, { ratios: [], runs: [] }]));
    for (let round = 1; round <= ROUNDS; round++) {
      const tag = ROUNDS > 1 ? `, round ${round}` : '';
      const base =
        planner === 'bulk' && !SKIP.has('raw') ? await runChild({ mode: 'bulk-reader', instanceUrl, token, soql: bulkText }) : (rawRest as ChildResult);
      if (planner === 'bulk' && !SKIP.has('raw')) line(`(a) raw Bulk download + parse (sync reader)${tag}`, base);
      for (const backend of stores) {
        const t = await openTestHub(backend);
        try {
          const integ = await t.hub.integrations.create(
            t.hub.tenant.id,
            demoIntegration(em, 'client_credentials'),
            await demoSecrets(em, 'client_credentials'),
          );
          const connectionId = (await t.hub.service.connectNonInteractive(t.hub.tenant.id, integ.name)).id;
          const r = await runChild({ mode: 'sync', ...mods, args: { databaseUrl: t.databaseUrl, dataDir: t.dataDir, masterKey: t.masterKey, connectionId } });
          line(`(${backend.name === 'sqlite' ? 'b' : 'c'}) forcebridge full sync → ${backend.name}${tag}`, r);
          if (process.env.BENCH_MEM) console.log(`    heap peaks (MB) ${JSON.stringify(r.heapMb)}`);
          const res = results.get(backend.name)!;
          res.runs.push(r);
          res.ratios.push(r.ms / base.ms);
          if (r.method) res.method = r.method;
        } finally {
          await t.cleanup();
        }
      }
    }
    const median = (xs: number[]) => {
      const v = [...xs].sort((a, b) => a - b);
      return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
    };
    const summary: string[] = [];
    for (const [name, res] of results) {
      const ms = median(res.runs.map((r) => r.ms));
      const pages = res.method === 'bulk' && planner === 'bulk' ? 'Bulk download + parse' : 'REST download';
      summary.push(
        `${name.padEnd(8)} sync ÷ raw ${pages} ${median(res.ratios).toFixed(2)}` +
          (res.ratios.length > 1 ? ` (median; rounds ${res.ratios.map((x) => x.toFixed(2)).join(', ')})` : '') +
          ` (target ≤ 1.25 vs the pages it read)` +
          (Number.isFinite(rawRest.ms) && pages !== 'REST download' ? `; ÷ raw REST download ${(ms / rawRest.ms).toFixed(2)}` : '') +
          (jsf ? `; forcebridge ÷ jsforce ${(ms / jsf.ms).toFixed(2)} (target ≤ 0.5)` : '') +
          `; peak RSS ${Math.max(...res.runs.map((r) => r.maxRssMb))} MB (target ≤ 300)`,
      );
    }
    console.log(`\n${summary.join('\n')}`);
  } finally {
    await em.close();
  }
}
