import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'fb-serve-'));
const env = { ...process.env, FORCEBRIDGE_DATA_DIR: dataDir, FORCEBRIDGE_MASTER_KEY: randomBytes(32).toString('base64'), FORCEBRIDGE_DATABASE_URL: '' };
after(() => rmSync(dataDir, { recursive: true, force: true }));

const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env, timeout: 60_000, ...(input !== undefined ? { input } : {}) });

describe('forcebridge serve', () => {
  let key = '';
  it('--print-admin-key prints a new admin key once on stdout and exits', () => {
    const r = run(['serve', '--print-admin-key']);
    assert.equal(r.status, 0, r.stderr);
    key = r.stdout.trim();
    assert.match(key, /^fb_[A-Za-z0-9_-]{43}$/);
    assert.match(r.stderr, /shown only now/);
  });

  it('--init-step-up reads the password from standard input, never argv', () => {
    const weak = run(['serve', '--init-step-up'], 'short\n');
    assert.notEqual(weak.status, 0);
    assert.match(weak.stderr, /at least 10 characters/);
    const ok = run(['serve', '--init-step-up'], 'a long step-up password\n');
    assert.equal(ok.status, 0, ok.stderr);
  });

  it('serves the API on a free port, logs requests without secrets, and shuts down gracefully on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
      const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { servers: { url: string }[] };
      assert.equal(doc.servers[0]!.url, base, 'the base URL carries the real port');
      const auth = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
      assert.equal((await fetch(`${base}/api/v1/connections`, { headers: auth })).status, 200);
      const step = await fetch(`${base}/api/v1/auth/step-up`, { method: 'POST', headers: auth, body: JSON.stringify({ password: 'a long step-up password' }) });
      assert.equal(step.status, 200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(stderr, /"msg":"request"/);
      assert.match(stderr, /shutting down/);
      assert.ok(!stderr.includes(key) && !stderr.includes('a long step-up password'), 'no secret in the log');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
