/**
 * Emulator query-page throughput: starts the emulator with 1,000,000 Accounts and pages a whole
 * SOQL result over loopback HTTP (batchSize 2000, download + JSON.parse per page), printing
 * records/s, total time and RSS. A second run pages a WHERE-filtered query.
 *
 *   node --import tsx bench/emulator-query.bench.ts            # 1,000,000 Accounts
 *   BENCH_ACCOUNTS=200000 node --import tsx bench/emulator-query.bench.ts
 *
 * Target (issue 2): ≥ 50,000 records/s on a 2-core machine.
 */
import { INDUSTRIES } from '../src/emulator/schema/standard/account.js';
import type { RunningEmulator } from '../src/emulator/server.js';
import { API, startTestEmulator, tokenFor } from '../src/emulator/test-support/harness.js';

const TOTAL = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const TARGET = 50_000;

/** Tops the Account table up to TOTAL lean rows (the generator's extraAccounts may already have). */
function ensureAccounts(em: RunningEmulator): void {
  const org = em.org;
  const table = org.data.table('Account');
  const owner = [...org.users.values()].find((u) => u.profile.name === 'System Administrator')!.id;
  const base = Date.UTC(2024, 0, 1);
  for (let i = table.rows.size; i < TOTAL; i++) {
    // Several rows share each SystemModstamp (whole seconds), as on Salesforce.
    const at = base + Math.floor(i / 3) * 1000;
    org.data.insert('Account', { Name: `Bench Account ${i}`, Industry: INDUSTRIES[i % INDUSTRIES.length]!, AnnualRevenue: (i * 7919) % 1_000_000 }, owner, at);
  }
}

async function pageAll(em: RunningEmulator, token: string, soql: string): Promise<{ records: number; ms: number; firstPageMs: number; pages: number }> {
  const headers = { Authorization: `Bearer ${token}`, 'Sforce-Query-Options': 'batchSize=2000' };
  const t0 = performance.now();
  let url = `${em.urls.mydomain}${API}/query?q=${encodeURIComponent(soql)}`;
  let records = 0;
  let pages = 0;
  let firstPageMs = 0;
  while (true) {
    const res = await fetch(url, { headers });
    const body = JSON.parse(await res.text()) as { done: boolean; nextRecordsUrl?: string; records: unknown[]; totalSize: number };
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    if (pages === 0) firstPageMs = performance.now() - t0;
    pages++;
    records += body.records.length;
    if (body.done) break;
    url = `${em.urls.mydomain}${body.nextRecordsUrl}`;
  }
  return { records, ms: performance.now() - t0, firstPageMs, pages };
}

function report(label: string, r: { records: number; ms: number; firstPageMs: number; pages: number }): number {
  const rate = Math.round(r.records / (r.ms / 1000));
  const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
  console.log(
    `${label}: ${r.records.toLocaleString('en-US')} records in ${r.pages} pages, ${(r.ms / 1000).toFixed(2)} s ` +
      `(first page incl. execution ${Math.round(r.firstPageMs)} ms) → ${rate.toLocaleString('en-US')} records/s, RSS ${rss} MB`,
  );
  return rate;
}

const t0 = performance.now();
// The generator's extraAccounts builds the rows at start-up; the timing includes it.
const em = await startTestEmulator({ config: { settings: { extraAccounts: TOTAL, records: 0 } } });
try {
  ensureAccounts(em);
  const rows = em.org.data.table('Account').rows.size;
  console.log(`emulator up with ${rows.toLocaleString('en-US')} Accounts (start-up incl. generation ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const token = tokenFor(em, 'admin');
  const full = report(
    'full scan ORDER BY SystemModstamp, Id',
    await pageAll(em, token, 'SELECT Id, Name, Industry, AnnualRevenue, SystemModstamp FROM Account ORDER BY SystemModstamp, Id'),
  );
  report(
    'filtered WHERE Industry IN (...) AND AnnualRevenue > 250000',
    await pageAll(
      em,
      token,
      "SELECT Id, Name, Industry, AnnualRevenue, SystemModstamp FROM Account WHERE Industry IN ('Banking', 'Energy', 'Technology') AND AnnualRevenue > 250000 ORDER BY SystemModstamp, Id",
    ),
  );
  console.log(full >= TARGET ? `OK: ≥ ${TARGET.toLocaleString('en-US')} records/s` : `BELOW TARGET of ${TARGET.toLocaleString('en-US')} records/s`);
} finally {
  await em.close();
}
