/**
 * JWT bearer grant with a key pair made in the test (SPKI public key and X.509 certificate
 * uploads) and with the demo app's emulator-generated key from the control API.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SignJWT, importPKCS8 } from 'jose';
import type { RunningEmulator } from '../server.js';
import { control, startTestEmulator } from '../test-support/harness.js';
import { JWT_BEARER } from './grants/jwt-bearer.js';
import { authorizeRedirect, demoUser, limitsStatus, postForm } from './testing.js';

const run = promisify(execFile);
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_PEM = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIVATE_PEM = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const JWT_FIELDS = ['access_token', 'scope', 'instance_url', 'id', 'token_type'];

let em: RunningEmulator;
let certPem: string;
let certKeyPem: string;

before(async () => {
  // A self-signed certificate, as uploaded to a real connected app.
  const dir = await mkdtemp(join(tmpdir(), 'fb-jwt-'));
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=forcebridge-test',
      '-days',
      '2',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
    ]);
    certPem = await readFile(join(dir, 'c.pem'), 'utf8');
    certKeyPem = await readFile(join(dir, 'k.pem'), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  em = await startTestEmulator({
    config: {
      connectedApps: [
        {
          name: 'JWT key',
          clientId: 'jwt-key-app',
          clientSecret: 's1',
          jwtCertificate: PUBLIC_PEM,
          approvedUsers: ['admin@forcebridge-demo.example'],
          callbackUrls: ['http://localhost:9999/cb'],
        },
        {
          name: 'JWT cert',
          clientId: 'jwt-cert-app',
          clientSecret: 's2',
          jwtCertificate: certPem,
          adminApprovedOnly: true,
          preAuthorizedProfiles: ['Standard User'],
        },
      ],
    },
  });
});
after(() => em.close());

async function sign(pem: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(await importPKCS8(pem, 'RS256'));
}

const inFiveMinutes = () => Math.floor(Date.now() / 1000) + 300;

describe('JWT bearer grant', () => {
  it('succeeds with an SPKI public key: exact fields, REST works', async () => {
    const assertion = await sign(PRIVATE_PEM, { iss: 'jwt-key-app', sub: demoUser(em).username, aud: em.urls.login, exp: inFiveMinutes() });
    const r = await postForm(em, { grant_type: JWT_BEARER, assertion });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json), JWT_FIELDS);
    assert.equal(r.json.token_type, 'Bearer');
    assert.equal(await limitsStatus(em, r.json.access_token as string), 200);
  });

  it('accepts the real login.salesforce.com audience and sfdx-core ms-valued exp', async () => {
    const assertion = await sign(PRIVATE_PEM, { iss: 'jwt-key-app', sub: demoUser(em).username, aud: 'https://login.salesforce.com', exp: Date.now() + 300 });
    assert.equal((await postForm(em, { grant_type: JWT_BEARER, assertion })).status, 200);
  });

  it('on the sandbox host wants the sandbox audience', async () => {
    const sub = demoUser(em).username;
    const ok = await sign(PRIVATE_PEM, { iss: 'jwt-key-app', sub, aud: em.urls.sandbox, exp: inFiveMinutes() });
    assert.equal((await postForm(em, { grant_type: JWT_BEARER, assertion: ok }, { host: 'sandbox' })).status, 200);
    const real = await sign(PRIVATE_PEM, { iss: 'jwt-key-app', sub, aud: 'https://test.salesforce.com', exp: inFiveMinutes() });
    assert.equal((await postForm(em, { grant_type: JWT_BEARER, assertion: real }, { host: 'sandbox' })).status, 200);
    const wrong = await sign(PRIVATE_PEM, { iss: 'jwt-key-app', sub, aud: em.urls.login, exp: inFiveMinutes() });
    const r = await postForm(em, { grant_type: JWT_BEARER, assertion: wrong }, { host: 'sandbox' });
    assert.deepEqual(r.json, { error: 'invalid_grant', error_description: 'audience is invalid' });
  });

  it('succeeds with an X.509 certificate for a pre-authorized profile', async () => {
    const assertion = await sign(certKeyPem, { iss: 'jwt-cert-app', sub: demoUser(em, 'sales').username, aud: em.urls.login, exp: inFiveMinutes() });
    const r = await postForm(em, { grant_type: JWT_BEARER, assertion }, { host: 'mydomain' });
    assert.equal(r.status, 200, r.text);
    assert.equal(await limitsStatus(em, r.json.access_token as string), 200);
  });

  it('with the demo app key from GET /__emulator/apps/{clientId}/jwt-key', async () => {
    const pem = await control<string>(em, 'GET', `apps/${encodeURIComponent(em.banner.clientId)}/jwt-key`);
    assert.match(pem, /BEGIN PRIVATE KEY/);
    const assertion = await sign(pem, { iss: em.banner.clientId, sub: demoUser(em).username, aud: em.urls.login, exp: inFiveMinutes() });
    const r = await postForm(em, { grant_type: JWT_BEARER, assertion });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json), JWT_FIELDS);
  });

  it('approval on the Allow page lets a user use JWT bearer afterwards', async () => {
    const sales = demoUser(em, 'sales');
    const assertion = () => sign(PRIVATE_PEM, { iss: 'jwt-key-app', sub: sales.username, aud: em.urls.login, exp: inFiveMinutes() });
    const before = await postForm(em, { grant_type: JWT_BEARER, assertion: await assertion() });
    assert.equal(before.json.error_description, "user hasn't approved this consumer");
    await authorizeRedirect(em, { client_id: 'jwt-key-app', redirect_uri: 'http://localhost:9999/cb' }, sales);
    assert.equal((await postForm(em, { grant_type: JWT_BEARER, assertion: await assertion() })).status, 200);
  });
});
