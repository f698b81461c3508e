/**
 * One test per doctor diagnosis, each provoking the failure on an emulator set up to fail that
 * way (connected apps, users and profiles in its config; faults, revocation and session expiry
 * through its control API), asserting the check, its status and that the fix names the action.
 * Plus an all-green run and the CLI's checklist, JSON and exit code.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import type { IntegrationInput, IntegrationSecrets } from '../connections/integration.js';
import { demoAdmin, demoIntegration, demoSecrets, openTestHub, type TestHub } from '../connections/test-support/hub.js';
import { browserAuthorize } from '../emulator/test-support/browser-login.js';
import { control, startTestEmulator } from '../emulator/test-support/harness.js';
import type { RunningEmulator } from '../emulator/server.js';
import { createTransport } from '../salesforce/transport.js';
import { backends } from '../store/test-support/stores.js';
import { doctor } from '../cli/commands/doctor.js';
import { runDoctor } from './runner.js';
import type { CheckResult, DoctorOptions, DoctorReport } from './types.js';

const DOMAIN = 'forcebridge-demo.example';
const user = (name: string, extra: Record<string, unknown> = {}) => ({
  username: `${name}@${DOMAIN}`,
  password: `${name}-Pass1`,
  securityToken: `${name}Token`,
  profile: 'System Administrator',
  lastName: name,
  email: `${name}@${DOMAIN}`,
  ...extra,
});
const IP_USER = user('iprestricted', { loginIpRestricted: true });
const SANDBOX_USER = { ...user('uat'), username: 'uat@acme.com.uat', sandboxOnly: true };
const MINIMAL_USER = user('minimal', { profile: 'Minimum Access - Salesforce' });
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** An app whose certificate the sandbox user approved (JWT bearer needs a prior approval). */
const SANDBOX_JWT_APP = {
  name: 'Sandbox JWT',
  clientId: 'sandbox-jwt-app',
  clientSecret: 'sandbox-jwt-secret',
  jwtCertificate: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  approvedUsers: [SANDBOX_USER.username],
};
const ADMIN_ONLY_APP = {
  name: 'Admin approved only',
  clientId: 'admin-approved-app',
  clientSecret: 'admin-approved-secret',
  adminApprovedOnly: true,
  preAuthorizedProfiles: ['System Administrator'],
};

let em: RunningEmulator;
let t: TestHub;
let opts: DoctorOptions;
let seq = 0;

before(async () => {
  em = await startTestEmulator({
    config: { settings: { records: 20 }, users: [IP_USER, SANDBOX_USER, MINIMAL_USER], connectedApps: [ADMIN_ONLY_APP, SANDBOX_JWT_APP] },
  });
  t = await openTestHub(backends[0]!);
  opts = { loginHosts: { production: em.urls.login, sandbox: em.urls.sandbox } };
});
after(async () => {
  await t.cleanup();
  await em.close();
});

type Flow = IntegrationInput['flow'];

/** Creates an integration on the emulator's demo app with overrides; returns its name. */
async function integration(flow: Flow, extra: Record<string, unknown> = {}, secrets?: IntegrationSecrets): Promise<string> {
  const input = { ...demoIntegration(em, flow, { name: `Doc ${flow} ${++seq}` }), ...extra } as IntegrationInput;
  const integ = await t.hub.integrations.create(t.hub.tenant.id, input, secrets ?? (await demoSecrets(em, flow)));
  return integ.name;
}

/** Password-flow secrets for a configured user. */
const passwordSecrets = (u: { password: string; securityToken: string }, withToken = true): IntegrationSecrets => ({
  clientSecret: em.banner.clientSecret,
  password: u.password,
  ...(withToken ? { securityToken: u.securityToken } : {}),
});

async function diagnose(target: string, o: DoctorOptions = {}, deps = t.hub): Promise<DoctorReport> {
  return runDoctor(deps, t.hub.tenant.id, target, { ...opts, ...o });
}

function check(r: DoctorReport, id: string): CheckResult {
  const c = r.results.find((x) => x.id === id);
  assert.ok(c, `no check ${id}`);
  return c;
}

/** Asserts one check failed with a fix matching `fix`, and the report is not ok. */
function failed(r: DoctorReport, id: string, fix: RegExp): CheckResult {
  const c = check(r, id);
  assert.equal(c.status, 'fail', `${id}: ${c.status} — ${c.detail}`);
  assert.match(c.fix ?? '', fix);
  assert.equal(r.ok, false);
  return c;
}

/** Connects the authorization-code flow as the demo admin in a "browser"; returns the connection name. */
async function connectByBrowser(name: string): Promise<string> {
  const start = await t.hub.service.startAuthorization(t.hub.admin, name);
  const admin = demoAdmin(em);
  const cb = await browserAuthorize(start.url, admin.username, admin.password);
  const conn = await t.hub.service.completeAuthorization({ tenantId: t.hub.tenant.id, user: t.hub.admin }, cb.state!, cb.code!, { name: `${name} conn` });
  return conn.name;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('doctor: all green', () => {
  it('an authorization-code connection passes every check', async () => {
    const conn = await connectByBrowser(await integration('authorization_code'));
    const r = await diagnose(conn);
    for (const c of r.results) assert.equal(c.status, 'ok', `${c.id}: ${c.status} — ${c.detail} ${c.fix ?? ''}`);
    assert.equal(r.ok, true);
    assert.equal(r.target.kind, 'connection');
    assert.deepEqual(
      r.results.map((c) => c.id),
      [
        'config.host',
        'config.flow',
        'config.scopes',
        'config.callback',
        'host.reachable',
        'oauth.callback',
        'token',
        'api.enabled',
        'api.objects',
        'api.describe',
        'api.query',
        'connection.scopes',
        'connection.state',
      ],
    );
  });

  it('an expired session is renewed through the refresh token and the run stays green', async () => {
    const conn = await connectByBrowser(await integration('authorization_code'));
    await control(em, 'POST', 'sessions/expire');
    const r = await diagnose(conn);
    assert.equal(check(r, 'token').status, 'ok');
    assert.match(check(r, 'token').detail, /renewed through the refresh token/);
    assert.equal(r.ok, true);
  });

  it('an integration without a connection runs its grant in memory and stores nothing', async () => {
    const name = await integration('jwt_bearer');
    const r = await diagnose(name);
    assert.equal(r.target.kind, 'integration');
    assert.equal(check(r, 'token').status, 'ok');
    assert.equal(check(r, 'api.query').status, 'ok');
    assert.equal(check(r, 'connection.state').status, 'skipped');
    assert.equal(r.ok, true);
    assert.equal((await t.hub.connections.list(t.hub.tenant.id)).filter((c) => c.name === name).length, 0);
  });
});

describe('doctor: host reachability', () => {
  it('DNS failure → My Domain name wrong? use https://<name>.my.salesforce.com', async () => {
    // A resolver that knows no names: the same failure a mistyped My Domain gives, offline.
    const agent = new Agent({
      connect: {
        lookup: (host: string, _o: unknown, cb: (e: Error) => void) => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })),
      } as never,
    });
    const name = await integration('password', { loginHost: 'https://acme-typo.my.salesforce.com' });
    const r = await diagnose(name, {}, { ...t.hub, transport: createTransport({ dispatcher: agent }) });
    const c = failed(r, 'host.reachable', /My Domain name wrong\? use https:\/\/<name>\.my\.salesforce\.com/);
    assert.match(c.detail, /cannot resolve acme-typo\.my\.salesforce\.com/);
    assert.equal(check(r, 'token').status, 'skipped');
    await agent.close();
  });

  it('a login host that redirects to another host (My Domain redirect) → use that host', async () => {
    await control(em, 'POST', 'faults', {
      path: '^/services/oauth2/userinfo',
      hosts: ['login'],
      status: 302,
      headers: { Location: `${em.urls.mydomain}/services/oauth2/userinfo` },
    });
    const r = await diagnose(await integration('password'));
    failed(r, 'host.reachable', new RegExp(`use that host: set the integration’s login host to ${em.urls.mydomain}`));
    assert.equal(check(r, 'token').status, 'skipped');
    assert.match(check(r, 'token').detail, /Login host reachable/);
  });

  it('connection refused → check the host and port', async () => {
    const r = await diagnose(await integration('password', { loginHost: `http://127.0.0.1:${await freePort()}` }));
    const c = failed(r, 'host.reachable', /check the host and port/);
    assert.match(c.detail, /refused/);
  });

  it('no answer within the auth timeout → check the network or raise the auth timeout', async () => {
    await control(em, 'POST', 'faults', { path: '^/services/oauth2/userinfo', hosts: ['login'], latencyMs: 2500 });
    const r = await diagnose(await integration('password', { authTimeoutMs: 1000 }));
    const c = failed(r, 'host.reachable', /raise the integration’s auth timeout/);
    assert.match(c.detail, /no answer .* within 1000 ms/);
    await control(em, 'DELETE', 'faults');
  });
});

describe('doctor: token diagnoses', () => {
  it('app not yet propagated (invalid_client_id) → new connected apps take up to 10 minutes', async () => {
    const r = await diagnose(await integration('password', { clientId: '3MVG9brandNewApp' }));
    failed(r, 'token', /up to 10 minutes/);
    assert.equal(check(r, 'api.enabled').status, 'skipped');
  });

  it('wrong consumer secret (invalid_client) → copy the secret again', async () => {
    const admin = demoAdmin(em);
    const r = await diagnose(
      await integration('password', {}, { clientSecret: 'not-the-secret', password: admin.password, securityToken: admin.securityToken }),
    );
    failed(r, 'token', /consumer secret .* copy it again/);
  });

  it('callback URL mismatch (authorize answers redirect_uri_mismatch) → add the exact URL to the app', async () => {
    const callback = 'http://localhost:1717/wrong-callback';
    const r = await diagnose(await integration('authorization_code', { callbackUrl: callback }));
    const c = failed(r, 'oauth.callback', /add http:\/\/localhost:1717\/wrong-callback exactly .* Callback URL list/);
    assert.match(c.detail, /redirect_uri_mismatch/);
    // No connection yet: the token check explains how to connect rather than failing.
    assert.equal(check(r, 'token').status, 'skipped');
    assert.match(check(r, 'token').detail, /forcebridge connect/);
  });

  it('unknown consumer key on the authorize page → new apps take up to 10 minutes', async () => {
    const r = await diagnose(await integration('authorization_code', { clientId: '3MVG9notThereYet' }));
    failed(r, 'oauth.callback', /up to 10 minutes/);
  });

  it('wrong host: a sandbox user on the production login host → use the sandbox login host', async () => {
    const r = await diagnose(await integration('password', { username: SANDBOX_USER.username }, passwordSecrets(SANDBOX_USER)));
    const c = failed(r, 'token', new RegExp(`wrong host: this is a sandbox org — set the integration’s login host to ${em.urls.sandbox}`));
    assert.match(c.detail, /uat@acme\.com\.uat looks like a sandbox username/);
  });

  it('wrong host for JWT bearer: the sandbox user is unknown to production → use the sandbox login host', async () => {
    const name = await integration(
      'jwt_bearer',
      { clientId: SANDBOX_JWT_APP.clientId, username: SANDBOX_USER.username },
      { privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    );
    const r = await diagnose(name);
    failed(r, 'token', new RegExp(`login host to ${em.urls.sandbox}`));
  });

  it('user not approved (JWT bearer: user hasn’t approved this consumer) → pre-authorize the user', async () => {
    const sales = em.banner.users.find((u) => u.username.startsWith('sales@'))!;
    const r = await diagnose(await integration('jwt_bearer', { username: sales.username }));
    const c = failed(r, 'token', /pre-authorized/);
    assert.match(c.detail, /hasn't approved this consumer/);
  });

  it('user not approved (invalid_app_access) → add the profile or a permission set to the app', async () => {
    const sales = em.banner.users.find((u) => u.username.startsWith('sales@'))!;
    const name = await integration(
      'password',
      { clientId: ADMIN_ONLY_APP.clientId, username: sales.username },
      { clientSecret: ADMIN_ONLY_APP.clientSecret, password: sales.password, securityToken: sales.securityToken },
    );
    failed(await diagnose(name), 'token', /profile or a permission set/);
  });

  it('IP restrictions (invalid_grant ip restricted) → relax IP restrictions or add the IP range', async () => {
    const r = await diagnose(await integration('password', { username: IP_USER.username }, passwordSecrets(IP_USER)));
    const c = failed(r, 'token', /relax the connected app’s IP relaxation policy or add the server’s IP range/);
    assert.match(c.detail, /ip restricted/);
  });

  it('password without its security token → append the security token', async () => {
    const admin = demoAdmin(em);
    const r = await diagnose(await integration('password', {}, passwordSecrets(admin, false)));
    assert.equal(check(r, 'config.flow').status, 'warn');
    failed(r, 'token', /append the security token/);
  });

  it('a stored password that already ends with the token → store them separately', async () => {
    const admin = demoAdmin(em);
    const secrets = { clientSecret: em.banner.clientSecret, password: admin.password + admin.securityToken, securityToken: admin.securityToken };
    failed(await diagnose(await integration('password', {}, secrets)), 'token', /already ends with the security token/);
  });

  it('client credentials on the login host (request not supported on this domain) → use My Domain', async () => {
    const r = await diagnose(await integration('client_credentials', { loginHost: em.urls.login }));
    failed(r, 'token', /My Domain host/);
  });

  it('refresh token revoked → reconnect; the connection is marked needs_reconnect', async () => {
    const conn = await connectByBrowser(await integration('authorization_code'));
    await control(em, 'POST', `users/${encodeURIComponent(demoAdmin(em).username)}/revoke`);
    const r = await diagnose(conn);
    failed(r, 'token', /^reconnect: .*forcebridge connect/);
    assert.equal(check(r, 'api.enabled').status, 'skipped');
    const state = failed(r, 'connection.state', /reconnect/);
    assert.match(state.detail, /needs_reconnect \(refresh_token_revoked\)/);
  });

  it('missing refresh scope → add the scope on the app and the integration', async () => {
    const conn = await connectByBrowser(await integration('authorization_code', { scopes: ['api'] }));
    const r = await diagnose(conn);
    failed(r, 'config.scopes', /add the refresh_token scope/);
    failed(r, 'connection.scopes', /add the refresh_token scope .* connected app’s Selected OAuth Scopes and to the integration’s scopes/);
    const state = failed(r, 'connection.state', /refresh_token scope/);
    assert.match(state.detail, /missing_refresh_scope/);
  });
});

describe('doctor: API checks', () => {
  it('API disabled (API_DISABLED_FOR_ORG) → grant "API Enabled"', async () => {
    const noapi = em.banner.users.find((u) => u.username.startsWith('noapi@'))!;
    const r = await diagnose(await integration('password', { username: noapi.username }, passwordSecrets(noapi)));
    assert.equal(check(r, 'token').status, 'ok');
    failed(r, 'api.enabled', /"API Enabled" permission/);
    assert.equal(check(r, 'api.objects').status, 'skipped');
  });

  it('object permission missing → grant Read on the object; describe and query are skipped', async () => {
    const r = await diagnose(await integration('password', { username: MINIMAL_USER.username }, passwordSecrets(MINIMAL_USER)), {
      probe: { object: 'Contact', fields: ['Id'] },
    });
    failed(r, 'api.objects', /grant Read on Contact .*Object Settings → Contact → Read/);
    assert.equal(check(r, 'api.describe').status, 'skipped');
    assert.equal(check(r, 'api.query').status, 'skipped');
  });

  it('field permission missing (field-level security) → grant Read on Object.Field', async () => {
    const sales = em.banner.users.find((u) => u.username.startsWith('sales@'))!;
    const r = await diagnose(await integration('password', { username: sales.username }, passwordSecrets(sales)), {
      probe: { object: 'Account', fields: ['Id', 'Name', 'AnnualRevenue'] },
    });
    assert.equal(check(r, 'api.objects').status, 'ok');
    failed(r, 'api.describe', /grant Read access on Account\.AnnualRevenue in field-level security/);
  });
});

describe('forcebridge doctor (CLI)', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        out: (s: string) => void out.push(s),
        err: (s: string) => void err.push(s),
        stdin: process.stdin,
        tty: false,
        env: { FORCEBRIDGE_DATABASE_URL: t.databaseUrl, FORCEBRIDGE_DATA_DIR: t.dataDir, FORCEBRIDGE_MASTER_KEY: t.masterKey },
      },
    };
  }

  it('prints a checklist with the fix under each failure, exits 1, and never prints a secret', async () => {
    const admin = demoAdmin(em);
    const name = await integration('password', {}, passwordSecrets(admin, false));
    const o = io();
    const code = await doctor(o.io, name, {}, opts);
    assert.equal(code, 1);
    const text = o.out.join('');
    assert.match(text, /^✓ Login host: /m);
    assert.match(text, /^! Flow and host: /m);
    assert.match(text, /^✗ Token valid: .*\n {4}fix: append the security token/m);
    assert.match(text, /^– API enabled: skipped/m);
    for (const secret of [em.banner.clientSecret, admin.password, admin.securityToken]) assert.ok(!text.includes(secret), 'a secret was printed');
  });

  it('--json prints the structured results; an all-green run exits 0 with no token in the output', async () => {
    const name = await integration('client_credentials');
    const o = io();
    const code = await doctor(o.io, name, { json: true }, opts);
    assert.equal(code, 0);
    const report = JSON.parse(o.out.join('')) as DoctorReport;
    assert.equal(report.ok, true);
    assert.ok(report.results.every((c) => ['ok', 'skipped'].includes(c.status) && typeof c.title === 'string' && typeof c.detail === 'string'));
    const text = o.out.join('');
    assert.doesNotMatch(text, /00D[A-Za-z0-9]{12,15}!/);
    assert.ok(!text.includes(em.banner.clientSecret));
  });

  it('an unknown target fails naming what to give', async () => {
    await assert.rejects(doctor(io().io, 'nope', {}, opts), /no connection or integration "nope"/);
  });

  it('--object and --fields are checked before they reach SOQL', async () => {
    await assert.rejects(doctor(io().io, 'x', { fields: 'Id, Name FROM User--' }, opts), /not a field API name/);
  });
});
