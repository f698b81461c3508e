import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForcebridgeError } from '../errors.js';
import { parseSecretsJson, refuseSecretFlags } from './secrets-input.js';

describe('refuseSecretFlags', () => {
  it('refuses flags that look like secrets, in any spelling', () => {
    for (const a of [
      '--client-secret',
      '--password=x',
      '--security-token',
      '--private-key-pem',
      '--refresh-token',
      '--master-key',
      '--api-key',
      '--consumer-secret',
    ]) {
      assert.throws(
        () => refuseSecretFlags(['integrations', 'add', a, 'v']),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'cli.secret_in_argv' && e.field === a.split('=')[0] && !e.message.includes('=x'),
        a,
      );
    }
  });

  it('lets ordinary flags, values and everything after -- through', () => {
    refuseSecretFlags(['integrations', 'add', '--secrets-stdin', '--scopes', 'api refresh_token', '--client-id', 'abc', '--no-browser', '--auth-timeout', '5']);
    refuseSecretFlags(['api', 'c', 'POST', '/x', '--data', '{"password":"p"}']);
    refuseSecretFlags(['api', 'c', 'GET', '/x', '--', '--password']);
  });
});

describe('parseSecretsJson', () => {
  it('keeps known string secrets and drops empty ones', () => {
    assert.deepEqual(parseSecretsJson('{"clientSecret":"s","password":"p #&%","securityToken":""}'), { clientSecret: 's', password: 'p #&%' });
  });

  it('names the bad key, never the value', () => {
    assert.throws(
      () => parseSecretsJson('{"client_secret":"topsecret"}'),
      (e: unknown) => e instanceof ForcebridgeError && e.field === 'client_secret' && !e.message.includes('topsecret'),
    );
    assert.throws(
      () => parseSecretsJson('{"password":42}'),
      (e: unknown) => e instanceof ForcebridgeError && e.field === 'password',
    );
    assert.throws(
      () => parseSecretsJson('clientSecret=x'),
      (e: unknown) => e instanceof ForcebridgeError && e.field === '--secrets-stdin' && !e.message.includes('x'),
    );
    assert.throws(
      () => parseSecretsJson('["x"]'),
      (e: unknown) => e instanceof ForcebridgeError && e.field === '--secrets-stdin',
    );
  });
});
