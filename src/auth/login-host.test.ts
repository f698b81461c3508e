import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForcebridgeError } from '../errors.js';
import { jwtAudience, normalizeLoginHost, supportsClientCredentials } from './login-host.js';

function fails(input: string, code: string, hint?: RegExp) {
  assert.throws(
    () => normalizeLoginHost(input),
    (e: unknown) => {
      assert.ok(e instanceof ForcebridgeError);
      assert.equal(e.code, code);
      assert.equal(e.kind, 'invalid_input');
      assert.equal(e.field, 'loginHost');
      if (hint) assert.match(e.hint ?? '', hint);
      return true;
    },
  );
}

describe('normalizeLoginHost', () => {
  it('maps aliases to production and sandbox hosts', () => {
    assert.deepEqual(normalizeLoginHost('production'), { url: 'https://login.salesforce.com', kind: 'production' });
    assert.deepEqual(normalizeLoginHost('Sandbox'), { url: 'https://test.salesforce.com', kind: 'sandbox' });
  });

  it('strips trailing slashes, lower-cases and adds https to bare hosts', () => {
    assert.deepEqual(normalizeLoginHost('https://Acme.my.salesforce.com/'), { url: 'https://acme.my.salesforce.com', kind: 'mydomain' });
    assert.deepEqual(normalizeLoginHost('acme--uat.sandbox.my.salesforce.com'), {
      url: 'https://acme--uat.sandbox.my.salesforce.com',
      kind: 'mydomain-sandbox',
    });
  });

  it('allows http only on loopback (the emulator)', () => {
    assert.deepEqual(normalizeLoginHost('http://127.0.0.1:6543'), { url: 'http://127.0.0.1:6543', kind: 'loopback' });
    fails('http://acme.my.salesforce.com', 'login_host.https_required', /https:\/\/acme\.my\.salesforce\.com/);
  });

  it('rejects Lightning hosts and names the My Domain URL to use', () => {
    fails('https://acme.lightning.force.com', 'login_host.lightning', /https:\/\/acme\.my\.salesforce\.com/);
    fails('acme--uat.sandbox.lightning.force.com', 'login_host.lightning', /https:\/\/acme--uat\.sandbox\.my\.salesforce\.com/);
  });

  it('rejects paths, empty input and non-Salesforce hosts', () => {
    fails('https://login.salesforce.com/services/oauth2/token', 'login_host.path', /https:\/\/login\.salesforce\.com/);
    fails('  ', 'login_host.missing');
    fails('https://example.com', 'login_host.not_salesforce');
  });
});

describe('jwtAudience', () => {
  it('is login for production and My Domain, test for sandboxes, the host itself on loopback', () => {
    assert.equal(jwtAudience(normalizeLoginHost('https://acme.my.salesforce.com')), 'https://login.salesforce.com');
    assert.equal(jwtAudience(normalizeLoginHost('acme--uat.sandbox.my.salesforce.com')), 'https://test.salesforce.com');
    assert.equal(jwtAudience(normalizeLoginHost('sandbox')), 'https://test.salesforce.com');
    assert.equal(jwtAudience(normalizeLoginHost('http://127.0.0.1:1')), 'http://127.0.0.1:1');
  });
});

describe('supportsClientCredentials', () => {
  it('is true only for My Domain (and loopback emulators)', () => {
    assert.equal(supportsClientCredentials(normalizeLoginHost('production')), false);
    assert.equal(supportsClientCredentials(normalizeLoginHost('sandbox')), false);
    assert.equal(supportsClientCredentials(normalizeLoginHost('acme.my.salesforce.com')), true);
  });
});
