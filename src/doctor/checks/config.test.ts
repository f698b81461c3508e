/**
 * Configuration checks are pure: each diagnosis is provoked with an integration value that a
 * stored row could hold (rows written before validation tightened, or edited by hand).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Integration } from '../../connections/integrations-repo.js';
import { runChecks } from '../runner.js';
import type { CheckResult, DoctorContext } from '../types.js';
import { looksLikeSandboxUsername } from '../diagnose.js';
import { configCallback, configFlow, configHost, configScopes } from './config.js';

function integration(over: Partial<Integration>): Integration {
  return {
    id: 'int_1',
    tenantId: 't',
    groupId: null,
    name: 'Prod',
    environment: 'Production',
    clientId: '3MVGclient',
    loginHost: 'https://login.salesforce.com',
    flow: 'authorization_code',
    scopes: ['api', 'refresh_token'],
    authTimeoutMs: 10_000,
    enabled: true,
    callbackUrl: 'https://hub.example.com/api/integrations/callback/salesforce',
    username: undefined,
    secretsSet: ['clientSecret'],
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

async function run(over: Partial<Integration>): Promise<Map<string, CheckResult>> {
  const ctx: DoctorContext = {
    deps: {} as never,
    tenantId: 't',
    integration: integration(over),
    secrets: {},
    connection: undefined,
    loginHosts: { production: 'https://login.salesforce.com', sandbox: 'https://test.salesforce.com' },
    apiVersion: '62.0',
    probe: { object: 'Account', fields: ['Id'] },
    facts: {},
  };
  const results = await runChecks(ctx, [configHost, configFlow, configScopes, configCallback]);
  return new Map(results.map((r) => [r.id, r]));
}

describe('config checks', () => {
  it('a good authorization-code integration passes every config check', async () => {
    const r = await run({});
    for (const id of ['config.host', 'config.flow', 'config.scopes', 'config.callback']) assert.equal(r.get(id)!.status, 'ok', id);
  });

  it('config.host: a Lightning host fails with the My Domain URL to use', async () => {
    const r = (await run({ loginHost: 'https://acme.lightning.force.com' })).get('config.host')!;
    assert.equal(r.status, 'fail');
    assert.match(r.fix!, /https:\/\/acme\.my\.salesforce\.com/);
  });

  it('config.host: a sandbox Lightning host maps to the sandbox My Domain', async () => {
    const r = (await run({ loginHost: 'https://acme--uat.sandbox.lightning.force.com' })).get('config.host')!;
    assert.equal(r.status, 'fail');
    assert.match(r.fix!, /https:\/\/acme--uat\.sandbox\.my\.salesforce\.com/);
  });

  it('config.host: http outside loopback fails naming the https URL', async () => {
    const r = (await run({ loginHost: 'http://acme.my.salesforce.com' })).get('config.host')!;
    assert.equal(r.status, 'fail');
    assert.match(r.fix!, /use https:\/\/acme\.my\.salesforce\.com/);
  });

  it('config.host: a path fails naming the bare host; later config checks are skipped', async () => {
    const r = await run({ loginHost: 'https://acme.my.salesforce.com/services/oauth2/token' });
    assert.equal(r.get('config.host')!.status, 'fail');
    assert.match(r.get('config.host')!.fix!, /use https:\/\/acme\.my\.salesforce\.com$/);
    assert.equal(r.get('config.flow')!.status, 'skipped');
    assert.match(r.get('config.flow')!.detail, /Login host/);
  });

  it('config.flow: client credentials on login.salesforce.com fails: use My Domain', async () => {
    const r = (await run({ flow: 'client_credentials', callbackUrl: undefined })).get('config.flow')!;
    assert.equal(r.status, 'fail');
    assert.match(r.fix!, /My Domain URL, https:\/\/<your-domain>\.my\.salesforce\.com/);
  });

  it('config.flow: client credentials on a My Domain host passes', async () => {
    const r = (await run({ flow: 'client_credentials', loginHost: 'https://acme.my.salesforce.com' })).get('config.flow')!;
    assert.equal(r.status, 'ok');
  });

  it('config.flow: password flow without a stored security token warns', async () => {
    const r = (await run({ flow: 'password', username: 'a@b.com', secretsSet: ['clientSecret', 'password'] })).get('config.flow')!;
    assert.equal(r.status, 'warn');
    assert.match(r.fix!, /security token/);
  });

  it('config.flow: a required secret that is not stored fails', async () => {
    const r = (await run({ flow: 'jwt_bearer', username: 'a@b.com', secretsSet: [] })).get('config.flow')!;
    assert.equal(r.status, 'fail');
    assert.match(r.detail, /privateKeyPem/);
  });

  it('config.scopes: a renewing flow without refresh_token fails: add the scope on the app and the integration', async () => {
    const r = (await run({ scopes: ['api'] })).get('config.scopes')!;
    assert.equal(r.status, 'fail');
    assert.match(r.fix!, /add the refresh_token scope .* connected app and to the integration/);
  });

  it('config.scopes: JWT bearer does not need refresh_token', async () => {
    const r = (await run({ flow: 'jwt_bearer', username: 'a@b.com', scopes: ['api'] })).get('config.scopes')!;
    assert.equal(r.status, 'ok');
  });

  it('config.scopes: without api (or full/web) REST calls cannot work', async () => {
    const r = (await run({ scopes: ['refresh_token', 'openid'] })).get('config.scopes')!;
    assert.equal(r.status, 'fail');
    assert.match(r.fix!, /"api" scope/);
  });

  it('config.callback: missing, http on a public host, and a fragment each fail', async () => {
    const missing = (await run({ callbackUrl: undefined })).get('config.callback')!;
    assert.equal(missing.status, 'fail');
    assert.match(missing.fix!, /Callback URL/);
    const http = (await run({ callbackUrl: 'http://hub.example.com/cb' })).get('config.callback')!;
    assert.equal(http.status, 'fail');
    assert.match(http.fix!, /https:\/\/hub\.example\.com\/cb/);
    const frag = (await run({ callbackUrl: 'https://hub.example.com/cb#x' })).get('config.callback')!;
    assert.equal(frag.status, 'fail');
  });

  it('config.callback: not applicable to other flows', async () => {
    const r = (await run({ flow: 'password', username: 'a@b.com', secretsSet: ['clientSecret', 'password', 'securityToken'] })).get('config.callback')!;
    assert.equal(r.status, 'skipped');
  });
});

describe('looksLikeSandboxUsername', () => {
  it('spots the sandbox suffix after a common top-level domain', () => {
    assert.equal(looksLikeSandboxUsername('user@acme.com.uat'), true);
    assert.equal(looksLikeSandboxUsername('user@acme.org.dev1'), true);
    assert.equal(looksLikeSandboxUsername('user@acme.com'), false);
    assert.equal(looksLikeSandboxUsername('user@mail.acme.com'), false);
    assert.equal(looksLikeSandboxUsername(undefined), false);
  });
});
