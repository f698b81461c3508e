import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function cli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('forcebridge emulator --json', () => {
  it('prints one JSON line with the contract fields once listening, and serves', async () => {
    const child = cli(['emulator', '--port', '0', '--json']);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
      });
      const banner = JSON.parse(line);
      for (const k of ['loginUrl', 'sandboxLoginUrl', 'myDomainUrl', 'instanceUrl', 'clientId', 'clientSecret', 'redirectUri', 'users']) {
        assert.ok(banner[k], `banner has ${k}`);
      }
      assert.equal(banner.instanceUrl, banner.myDomainUrl);
      assert.ok(banner.users.length >= 3);
      for (const u of banner.users) assert.deepEqual(Object.keys(u).sort(), ['password', 'profile', 'securityToken', 'username']);
      const versions = await fetch(`${banner.instanceUrl}/services/data/`);
      assert.equal(versions.status, 200);
      const truth = await fetch(`${banner.loginUrl}/__emulator/truth?ids=false`);
      assert.equal(truth.status, 200, 'control API is on in --json (test) mode');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('forcebridge demo', () => {
  it('starts the org with demo data, prints URLs, credentials and a first command, and connects through the authorization-code flow', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fb-demo-'));
    try {
      const env = { ...process.env, FORCEBRIDGE_DATA_DIR: dataDir };
      const run = () => spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'demo', '--port', '0', '--exit'], { encoding: 'utf8', timeout: 60_000, env });
      const r = run();
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /login \(production\) host : http:\/\/127\.0\.0\.1:\d+/);
      assert.match(r.stdout, /My Domain \/ instance {4}: http:\/\/127\.0\.0\.1:\d+/);
      assert.match(r.stdout, /admin@forcebridge-demo\.example/);
      assert.match(r.stdout, /grant_type=password/);
      // The authorization-code flow, step by step, into the demo's own data dir.
      const steps = [
        /opening authorize URL http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/authorize \(PKCE S256/,
        /logged in as admin@forcebridge-demo\.example/,
        /allowed \(pressed "Allow"\)/,
        /code received on http:\/\/localhost:1717\/OauthRedirect/,
        /tokens stored encrypted: connection "emulator-demo" \(active\), org 00D\w{15}/,
        /query through the connection: SELECT Id, Name FROM Account ORDER BY Name LIMIT 5 → 5 records/,
      ];
      let at = 0;
      for (const re of steps) {
        const m = re.exec(r.stdout.slice(at));
        assert.ok(m, `step ${re} in order`);
        at += m.index + m[0].length;
      }
      assert.ok(r.stdout.includes(`FORCEBRIDGE_DATA_DIR=${join(dataDir, 'demo')} forcebridge api emulator-demo GET /services/data/v62.0/limits`));
      // Then the org is synced into the demo store, with the summary table and the run's status.
      assert.match(r.stdout, /^OBJECT\s+INSERTED\s+UPDATED\s+DELETED\s+PAGES\s+TIME$/m);
      assert.match(r.stdout, /^Account\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\.\ds$/m);
      assert.match(r.stdout, /^Run run_[\w-]+: succeeded in \d+\.\ds — 10\/10 objects synced$/m);
      assert.doesNotMatch(r.stdout, /00D\w{12,15}![\w.]{20,}/, 'no access token printed');
      // A second run on new ports reuses the demo dir and replaces the integration.
      const again = run();
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, /tokens stored encrypted: connection "emulator-demo" \(active\)/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('ends serving the HTTP API and the MCP endpoint, and prints how to attach an MCP client', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fb-demo-serve-'));
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'demo', '--port', '0', '--api-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCEBRIDGE_DATA_DIR: dataDir },
    });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('until Ctrl+C')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${out.slice(-500)}`)));
      });
      const mcpUrl = /MCP endpoint \(Streamable HTTP\): (http:\/\/127\.0\.0\.1:\d+\/mcp\/emulator-demo)/.exec(out)?.[1];
      const key = /demo admin API key: (fb_[A-Za-z0-9_-]+)/.exec(out)?.[1];
      assert.ok(mcpUrl && key, 'prints the MCP URL and the bearer key');
      assert.ok(out.includes(`"url":"${mcpUrl}"`), 'prints a client config for that URL');
      assert.match(out, /forcebridge mcp --connection emulator-demo/);
      // The endpoint answers an MCP initialize with that bearer (and refuses none).
      const init = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      };
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
      const r = await fetch(mcpUrl, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${key}` }, body: JSON.stringify(init) });
      assert.equal(r.status, 200);
      assert.match(await r.text(), /"serverInfo":\{"name":"forcebridge"/);
      assert.equal((await fetch(mcpUrl, { method: 'POST', headers, body: JSON.stringify(init) })).status, 401);
      // And the HTTP API's agent query works with the same key.
      const api = mcpUrl.replace('/mcp/emulator-demo', '/api/v1/agent/emulator-demo/query');
      const q = await fetch(api, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: '{"soql":"SELECT Id FROM Account LIMIT 2"}',
      });
      assert.equal(q.status, 200);
      assert.equal(((await q.json()) as { records: unknown[] }).records.length, 2);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rejects a bad port with a message naming the option', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'emulator', '--port', 'abc'], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--port must be an integer/);
  });
});
