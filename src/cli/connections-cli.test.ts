/**
 * The connection commands end to end: the real CLI process (`node --import tsx src/cli/main.ts`)
 * with a temporary data dir, against an in-process emulator. Every run's stdout/stderr is kept and
 * scanned at the end, with the SQLite files, for any secret or token of the run.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from '../emulator/server.js';
import { browserApproveDevice, browserAuthorize } from '../emulator/test-support/browser-login.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import { refreshTokenByHand } from '../emulator/test-support/tokens.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const transcript: string[] = [];

function baseEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCEBRIDGE_DATA_DIR: dataDir, ...extra };
  if (!extra.FORCEBRIDGE_MASTER_KEY) delete env.FORCEBRIDGE_MASTER_KEY;
  delete env.FORCEBRIDGE_DATABASE_URL;
  return env;
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
}

function finish(child: ChildProcessWithoutNullStreams, input?: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input ?? '');
  return new Promise((resolve) =>
    child.on('close', (status) => {
      transcript.push(stdout, stderr);
      resolve({ status, stdout, stderr });
    }),
  );
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Waits for a stdout line matching `re`, collecting everything for the transcript. */
function waitForLine(child: ChildProcessWithoutNullStreams, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    const onLine = (line: string) => {
      transcript.push(line);
      const m = re.exec(line);
      if (m) {
        rl.off('line', onLine);
        rl.close();
        resolve(m);
      }
    };
    rl.on('line', onLine);
    child.once('close', (code) => reject(new Error(`CLI exited with ${code} before printing ${re}`)));
  });
}

let em: RunningEmulator;
let dir: string;
let env: NodeJS.ProcessEnv;
let callbackPort: number;
const cli = (args: string[], input?: string, e: NodeJS.ProcessEnv = env) => finish(start(args, e), input);
const admin = () => em.banner.users.find((u) => u.username.startsWith('admin@'))!;

before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 50, deviceInterval: 1 } } });
  callbackPort = await freePort();
  (em.org.apps.get(em.banner.clientId)!.callbackUrls as string[]).push(`http://127.0.0.1:${callbackPort}/OauthRedirect`);
  dir = mkdtempSync(join(tmpdir(), 'fb-cli-'));
  env = baseEnv(dir);
});
after(async () => {
  await em.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('forcebridge integrations', () => {
  it('add: secrets from stdin JSON, never echoed; show names which are set', async () => {
    const a = admin();
    const secrets = JSON.stringify({ clientSecret: em.banner.clientSecret, password: a.password, securityToken: a.securityToken });
    const r = await cli(
      [
        'integrations',
        'add',
        '--name',
        'Emu password',
        '--client-id',
        em.banner.clientId,
        '--login-host',
        em.urls.login,
        '--flow',
        'password',
        '--username',
        a.username,
        '--secrets-stdin',
      ],
      secrets,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Added integration "Emu password"/);
    assert.match(r.stdout, /clientSecret\s+: set \(required\)/);
    assert.match(r.stdout, /securityToken\s+: set \(optional\)/);
    const show = await cli(['integrations', 'show', 'Emu password', '--json']);
    assert.equal(show.status, 0, show.stderr);
    const v = JSON.parse(show.stdout);
    assert.deepEqual(v.secrets, { clientSecret: 'set', password: 'set', securityToken: 'set', privateKeyPem: 'not set', refreshToken: 'not set' });
    assert.equal(v.loginHost, em.urls.login);
    assert.deepEqual(v.scopes, ['api', 'refresh_token']);
  });

  it('add: the other flows, including a group override and the JWT key as JSON', async () => {
    const pem = await control<string>(em, 'GET', `apps/${encodeURIComponent(em.banner.clientId)}/jwt-key`);
    const cases: [string[], object][] = [
      [
        ['--name', 'Emu client_credentials', '--flow', 'client_credentials', '--login-host', em.urls.mydomain, '--group', 'Sales'],
        { clientSecret: em.banner.clientSecret },
      ],
      [['--name', 'Emu jwt_bearer', '--flow', 'jwt_bearer', '--login-host', em.urls.login, '--username', admin().username], { privateKeyPem: pem }],
      [['--name', 'Emu device', '--flow', 'device', '--login-host', em.urls.login, '--auth-timeout', '15'], {}],
      [
        [
          '--name',
          'Emu code',
          '--flow',
          'authorization_code',
          '--login-host',
          em.urls.login,
          '--callback-url',
          `http://127.0.0.1:${callbackPort}/OauthRedirect`,
        ],
        {},
      ],
    ];
    for (const [args, secrets] of cases) {
      const r = await cli(['integrations', 'add', '--client-id', em.banner.clientId, ...args, '--secrets-stdin', '--json'], JSON.stringify(secrets));
      assert.equal(r.status, 0, r.stderr);
    }
    const list = JSON.parse((await cli(['integrations', 'list', '--json'])).stdout) as { name: string; group: string | null; authTimeoutMs: number }[];
    assert.deepEqual(list.map((i) => i.name).sort(), ['Emu client_credentials', 'Emu code', 'Emu device', 'Emu jwt_bearer', 'Emu password']);
    assert.equal(list.find((i) => i.name === 'Emu client_credentials')!.group, 'Sales');
    assert.equal(list.find((i) => i.name === 'Emu device')!.authTimeoutMs, 15_000);
    const text = await cli(['integrations', 'list']);
    assert.match(text.stdout, /^NAME\s+ENVIRONMENT\s+FLOW/m);
    assert.match(text.stdout, /Emu jwt_bearer\s+Production\s+jwt_bearer/);
  });

  it('refuses secret-looking flags with the way to pass secrets instead', async () => {
    for (const flag of ['--client-secret', '--password=hunter2', '--security-token', '--private-key']) {
      const r = await cli(['integrations', 'add', '--name', 'X', flag, 'hunter2']);
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`forcebridge: ${flag.split('=')[0]} would put a secret on the command line`));
      assert.match(r.stderr, /fix: pipe them as JSON: .*--secrets-stdin/);
      assert.doesNotMatch(r.stderr, /hunter2/);
    }
  });

  it('add: errors name the field, the flag and the fix; exit code 1', async () => {
    const missing = await cli([
      'integrations',
      'add',
      '--name',
      'CC',
      '--client-id',
      'x',
      '--flow',
      'client_credentials',
      '--login-host',
      em.urls.mydomain,
      '--yes',
    ]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /forcebridge: the client_credentials flow needs clientSecret/);
    assert.match(missing.stderr, /fix: secrets are read from a prompt or standard input/);
    const host = await cli(['integrations', 'add', '--name', 'L', '--client-id', 'x', '--login-host', 'https://acme.lightning.force.com', '--yes']);
    assert.equal(host.status, 1);
    assert.match(host.stderr, /loginHost: .*Lightning UI host.*https:\/\/acme\.my\.salesforce\.com/);
    assert.match(host.stderr, /field: loginHost \(--login-host\)/);
    const badJson = await cli(['integrations', 'add', '--name', 'J', '--client-id', 'x', '--secrets-stdin'], '{"clientSecret": "s", "pasword": "oops"}');
    assert.equal(badJson.status, 1);
    assert.match(badJson.stderr, /unknown secret "pasword"/);
    assert.doesNotMatch(badJson.stderr, /oops/);
    const dup = await cli(['integrations', 'add', '--name', 'Emu device', '--client-id', 'x', '--flow', 'device', '--yes']);
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /already exists/);
  });
});

describe('forcebridge connect', () => {
  for (const flow of ['password', 'client_credentials', 'jwt_bearer'] as const) {
    it(`${flow}: connects non-interactively and prints the summary without tokens`, async () => {
      const r = await cli(['connect', `Emu ${flow}`, '--yes']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Connected\./);
      assert.match(r.stdout, new RegExp(`org id\\s+: ${em.org.orgId}`));
      assert.match(r.stdout, new RegExp(`instance URL\\s+: ${em.urls.mydomain}`));
      assert.match(r.stdout, /state\s+: active/);
      assert.match(r.stdout, /scopes\s+: /);
    });
  }

  it('refresh_token: an admin-supplied refresh token from stdin connects', async () => {
    const tokens = { refresh_token: (await refreshTokenByHand(em)).refreshToken };
    const add = await cli(
      [
        'integrations',
        'add',
        '--name',
        'Emu refresh_token',
        '--client-id',
        em.banner.clientId,
        '--login-host',
        em.urls.login,
        '--flow',
        'refresh_token',
        '--secrets-stdin',
      ],
      JSON.stringify({ clientSecret: em.banner.clientSecret, refreshToken: tokens.refresh_token }),
    );
    assert.equal(add.status, 0, add.stderr);
    const r = await cli(['connect', 'Emu refresh_token', '--yes']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /refresh token\s+: stored \(encrypted\)/);
    assert.match(r.stdout, /state\s+: active/);
  });

  it('non-interactive: a missing secret fails with the command that stores it', async () => {
    const add = await cli([
      'integrations',
      'add',
      '--name',
      'Emu cc2',
      '--client-id',
      em.banner.clientId,
      '--flow',
      'device',
      '--login-host',
      em.urls.mydomain,
      '--yes',
    ]);
    assert.equal(add.status, 0, add.stderr);
    const r = await cli(['connect', 'Emu cc2', '--flow', 'client_credentials', '--yes']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /set up for the device flow, not client_credentials/);
    assert.match(r.stderr, /field: --flow/);
  });

  it('device: prints the user code and verification URL, polls until approved', async () => {
    const child = start(['connect', 'Emu device', '--yes', '--no-browser', '--timeout', '60'], env);
    const done = finish(child);
    const m = await waitForLine(child, /Open (\S+) and enter the code:\s+(\S+)/);
    await browserApproveDevice(m[1]!, m[2]!, admin().username, admin().password);
    const r = await done;
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Waiting for approval \(polling every 1 s\)/);
    assert.match(r.stdout, /kind\s+: per-user/);
    assert.match(r.stdout, /state\s+: active/);
  });

  it('authorization code: loopback callback receives code + state; forged callbacks are refused', async () => {
    const child = start(['connect', 'Emu code', '--yes', '--no-browser', '--timeout', '60'], env);
    const done = finish(child);
    const m = await waitForLine(child, /^\s+(http\S+\/services\/oauth2\/authorize\?\S+)$/);
    const url = new URL(m[1]!);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('redirect_uri'), `http://127.0.0.1:${callbackPort}/OauthRedirect`);
    const forged = await fetch(`http://127.0.0.1:${callbackPort}/OauthRedirect?code=evil&state=forged`);
    assert.equal(forged.status, 400);
    const cb = await browserAuthorize(url.toString(), admin().username, admin().password);
    const delivered = await fetch(`http://127.0.0.1:${callbackPort}/OauthRedirect?${new URLSearchParams(cb)}`);
    assert.equal(delivered.status, 200);
    assert.match(await delivered.text(), /Connected/);
    const r = await done;
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Authorization received/);
    assert.match(r.stdout, /connection\s+: Emu code/);
    assert.match(r.stdout, /state\s+: active/);
  });
});

describe('forcebridge api and connections', () => {
  it('api GET limits: status and API usage on stderr, body on stdout, usage recorded', async () => {
    const r = await cli(['api', 'Emu password', 'GET', '/services/data/v62.0/limits']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^HTTP 200$/m);
    assert.match(r.stderr, /API usage: \d+\/100000 \(Sforce-Limit-Info: api-usage=\d+\/100000\)/);
    const limits = JSON.parse(r.stdout);
    assert.ok(limits.DailyApiRequests);
    const show = JSON.parse((await cli(['connections', 'show', 'Emu password', '--json'])).stdout);
    assert.equal(show.apiUsage.max, 100_000);
    assert.ok(show.apiUsage.used >= 1);
  });

  it('api: renews an expired session transparently; 4xx exits non-zero with the body', async () => {
    await control(em, 'POST', 'sessions/expire');
    const q = await cli(['api', 'Emu jwt_bearer', 'GET', '/query?q=SELECT Id FROM Account LIMIT 3']);
    assert.equal(q.status, 0, q.stderr);
    assert.equal(JSON.parse(q.stdout).records.length, 3);
    const bad = await cli(['api', 'Emu jwt_bearer', 'GET', '/sobjects/NoSuchObject__c/describe']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /HTTP 404/);
    assert.match(bad.stdout, /NOT_FOUND/);
    const body = await cli(['api', 'Emu jwt_bearer', 'POST', '/sobjects/Account', '--data-stdin'], '{"Name":"Created by the CLI"}');
    assert.equal(body.status, 0, body.stderr);
    assert.equal(JSON.parse(body.stdout).success, true);
  });

  it('connections list/show: state and reason; disconnect revokes at Salesforce', async () => {
    const list = JSON.parse((await cli(['connections', 'list', '--json'])).stdout) as { name: string; state: string; reason: string | null }[];
    assert.deepEqual(list.map((c) => c.name).sort(), [
      'Emu client_credentials',
      'Emu code',
      'Emu device',
      'Emu jwt_bearer',
      'Emu password',
      'Emu refresh_token',
    ]);
    assert.ok(list.every((c) => c.state === 'active' && c.reason === null));
    const text = await cli(['connections', 'list']);
    assert.match(text.stdout, /^NAME\s+INTEGRATION\s+KIND\s+STATE/m);
    const refreshBefore = em.org.tokens.counts().refresh;
    const r = await cli(['connections', 'disconnect', 'Emu device']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Disconnected "Emu device": token revoked at Salesforce/);
    assert.equal(em.org.tokens.counts().refresh, refreshBefore - 1);
    const gone = await cli(['connections', 'show', 'Emu device']);
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /no connection "Emu device"\n {2}fix: list them with `forcebridge connections list`/);
  });

  it('integrations remove refuses while connections exist; disable blocks connecting', async () => {
    const r = await cli(['integrations', 'remove', 'Emu password']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /has connections: Emu password/);
    assert.equal((await cli(['integrations', 'disable', 'Emu cc2'])).status, 0);
    const c = await cli(['connect', 'Emu cc2', '--yes']);
    assert.equal(c.status, 1);
    assert.match(c.stderr, /is disabled\n {2}fix: enable it with: forcebridge integrations enable "Emu cc2"/);
    assert.equal((await cli(['integrations', 'remove', 'Emu cc2'])).status, 0);
  });
});

describe('forcebridge keys rotate', () => {
  it('key file: re-encrypts everything, retires the old key, connections keep working', async () => {
    const keyFile = join(dir, 'master.key');
    const before = JSON.parse(readFileSync(keyFile, 'utf8'));
    const r = await cli(['keys', 'rotate']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /re-encrypted \d+ value\(s\)/);
    assert.match(r.stdout, /integrations\s+: 6/);
    assert.match(r.stdout, /connections\s+: \d+/);
    const afterRing = JSON.parse(readFileSync(keyFile, 'utf8'));
    assert.deepEqual(Object.keys(afterRing.keys), [afterRing.current]);
    assert.notEqual(afterRing.current, before.current);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const q = await cli(['api', 'Emu password', 'GET', '/limits']);
    assert.equal(q.status, 0, q.stderr);
  });

  it('FORCEBRIDGE_MASTER_KEY: needs --out; writes the new value only there (0600)', async () => {
    const envDir = mkdtempSync(join(tmpdir(), 'fb-cli-env-'));
    try {
      const oldKey = Buffer.alloc(32, 7).toString('base64');
      const e = baseEnv(envDir, { FORCEBRIDGE_MASTER_KEY: oldKey });
      const add = await cli(
        [
          'integrations',
          'add',
          '--name',
          'Env',
          '--client-id',
          em.banner.clientId,
          '--flow',
          'client_credentials',
          '--login-host',
          em.urls.mydomain,
          '--secrets-stdin',
        ],
        JSON.stringify({ clientSecret: em.banner.clientSecret }),
        e,
      );
      assert.equal(add.status, 0, add.stderr);
      assert.equal((await cli(['connect', 'Env', '--yes'], undefined, e)).status, 0);
      const noOut = await cli(['keys', 'rotate'], undefined, e);
      assert.equal(noOut.status, 1);
      assert.match(noOut.stderr, /field: --out/);
      const out = join(envDir, 'new-master-key');
      const r = await cli(['keys', 'rotate', '--out', out], undefined, e);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(statSync(out).mode & 0o777, 0o600);
      const value = readFileSync(out, 'utf8').trim();
      assert.match(value, /^k[a-z0-9]+:[A-Za-z0-9+/=]{44},env:/);
      const newKey = value.split(',')[0]!;
      assert.ok(!r.stdout.includes(newKey.split(':')[1]!) && !r.stderr.includes(newKey.split(':')[1]!), 'the new key is never printed');
      assert.match(r.stdout, /Set it for every forcebridge process/);
      const withNew = await cli(['api', 'Env', 'GET', '/limits'], undefined, { ...e, FORCEBRIDGE_MASTER_KEY: newKey });
      assert.equal(withNew.status, 0, withNew.stderr);
      const withOld = await cli(['api', 'Env', 'GET', '/limits'], undefined, e);
      assert.equal(withOld.status, 1);
      assert.match(withOld.stderr, /not in the key ring/);
      transcript.push(value.replace(/[A-Za-z0-9+/=]{44}/g, ''));
    } finally {
      rmSync(envDir, { recursive: true, force: true });
    }
  });
});

describe('no secret or token in CLI output or the database', () => {
  it('scans every run’s stdout/stderr and the SQLite files', async () => {
    const store = em.org.tokens as unknown as { access: Map<string, unknown>; refresh: Map<string, unknown> };
    const pem = await control<string>(em, 'GET', `apps/${encodeURIComponent(em.banner.clientId)}/jwt-key`);
    const pemBody = pem.split('\n').find((l) => l.length > 40 && !l.startsWith('-----'))!;
    const secrets = [em.banner.clientSecret, admin().password, admin().securityToken, pemBody, ...store.access.keys(), ...store.refresh.keys()];
    assert.ok(store.access.size + store.refresh.size >= 3, 'the run issued tokens');
    const files = readdirSync(dir).filter((f) => f.startsWith('forcebridge.db'));
    assert.ok(files.length >= 1);
    const haystacks = [...transcript, ...files.map((f) => readFileSync(join(dir, f)).toString('latin1'))];
    for (const h of haystacks) {
      for (const s of secrets) assert.ok(!h.includes(s), `found a secret (${s.slice(0, 6)}…) in output or database`);
      assert.doesNotMatch(h, /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{20,}/, 'access-token shaped text');
      assert.doesNotMatch(h, /5Aep861[A-Za-z0-9._]{20,}/, 'refresh-token shaped text');
    }
  });
});
