/**
 * Login policies that only a person can change in Setup: a profile's Login IP Ranges (with the
 * app's IP relaxation policy) and sandbox-only usernames unknown to the production login host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../server.js';
import { startTestEmulator } from '../test-support/harness.js';
import { demoClient, postForm } from './testing.js';

const RESTRICTED_USER = {
  username: 'ipuser@forcebridge-demo.example',
  password: 'IpPass1',
  securityToken: 'IpToken',
  profile: 'System Administrator',
  lastName: 'Ip',
  email: 'ipuser@forcebridge-demo.example',
  loginIpRestricted: true,
};
const SANDBOX_USER = {
  username: 'uat@forcebridge-demo.example.uat',
  password: 'UatPass1',
  securityToken: 'UatToken',
  profile: 'System Administrator',
  lastName: 'Uat',
  email: 'uat@forcebridge-demo.example',
  sandboxOnly: true,
};
const RELAXED_APP = { name: 'Relaxed', clientId: 'relaxed-app', clientSecret: 'relaxed-secret', ipRelaxation: 'relax' };

let em: RunningEmulator;
before(async () => {
  em = await startTestEmulator({ config: { settings: { records: 0 }, users: [RESTRICTED_USER, SANDBOX_USER], connectedApps: [RELAXED_APP] } });
});
after(() => em.close());

const password = (u: { username: string; password: string; securityToken: string }) => ({
  grant_type: 'password',
  username: u.username,
  password: u.password + u.securityToken,
});

describe('login IP ranges', () => {
  it('a user outside the profile’s Login IP Ranges → invalid_grant ip restricted', async () => {
    const r = await postForm(em, { ...password(RESTRICTED_USER), ...demoClient(em) });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { error: 'invalid_grant', error_description: 'ip restricted or invalid login hours' });
  });

  it('an app that relaxes IP restrictions lets the same user log in', async () => {
    const r = await postForm(em, { ...password(RESTRICTED_USER), client_id: RELAXED_APP.clientId, client_secret: RELAXED_APP.clientSecret });
    assert.equal(r.status, 200, r.text);
  });
});

describe('sandbox-only users', () => {
  it('the production login host answers authentication failure', async () => {
    const r = await postForm(em, { ...password(SANDBOX_USER), ...demoClient(em) }, { host: 'login' });
    assert.deepEqual(r.json, { error: 'invalid_grant', error_description: 'authentication failure' });
  });

  it('the sandbox login host logs the user in', async () => {
    const r = await postForm(em, { ...password(SANDBOX_USER), ...demoClient(em) }, { host: 'sandbox' });
    assert.equal(r.status, 200, r.text);
  });
});
