import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { ForcebridgeError } from '../errors.js';
import { reconnectReason } from './oauth-error.js';
import { processTokenResponse, type RawResponse } from './token-response.js';

const SECRET = 'shh-secret';
const ID = 'https://login.salesforce.com/id/00Dxx0000000123EAA/005xx0000004567AAA';

function ok(body: Record<string, unknown>): RawResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function good(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const issued = '1676372418560';
  return {
    access_token: '00Dxx0000000123!AR8AQfakeTokenValue',
    refresh_token: '5Aep861fakeRefresh',
    signature: createHmac('sha256', SECRET)
      .update(ID + issued)
      .digest('base64'),
    scope: 'refresh_token api',
    instance_url: 'https://acme.my.salesforce.com',
    id: ID,
    token_type: 'Bearer',
    issued_at: issued,
    ...overrides,
  };
}

function protocolError(body: Record<string, unknown>, field: RegExp) {
  assert.throws(
    () => processTokenResponse(ok(body), { clientSecret: SECRET }),
    (e: unknown) => e instanceof ForcebridgeError && e.kind === 'remote_protocol' && field.test(e.message),
  );
}

describe('processTokenResponse', () => {
  it('returns a checked token set with org and user from the identity URL', () => {
    const t = processTokenResponse(ok(good()), { clientSecret: SECRET });
    assert.equal(t.orgId, '00Dxx0000000123EAA');
    assert.equal(t.userId, '005xx0000004567AAA');
    assert.equal(t.instanceUrl, 'https://acme.my.salesforce.com');
    assert.deepEqual(t.scopes, ['refresh_token', 'api']);
    assert.equal(t.issuedAt, 1676372418560);
    assert.equal(t.refreshToken, '5Aep861fakeRefresh');
  });

  it('accepts a response without refresh_token, signature and issued_at (JWT bearer)', () => {
    const body = good();
    delete body.refresh_token;
    delete body.signature;
    delete body.issued_at;
    const t = processTokenResponse(ok(body), { now: () => 42 });
    assert.equal(t.refreshToken, undefined);
    assert.equal(t.issuedAt, 42);
  });

  it('rejects a signature that does not match the client secret', () => {
    protocolError(good({ signature: Buffer.from('nope').toString('base64') }), /"signature" does not match/);
  });

  it('names each bad field', () => {
    protocolError(good({ access_token: '' }), /"access_token"/);
    protocolError(good({ instance_url: 'http://acme.my.salesforce.com' }), /"instance_url" must be an https URL/);
    protocolError(good({ id: 'https://login.salesforce.com/whoami' }), /"id" must look like/);
    protocolError(good({ token_type: 'MAC' }), /"token_type"/);
    protocolError(good({ issued_at: 1676372418560 }), /"issued_at"/);
    protocolError(good({ scope: ['api'] }), /"scope"/);
  });

  it('rejects non-JSON bodies without echoing them', () => {
    assert.throws(
      () => processTokenResponse({ status: 200, headers: {}, body: '<html>secret-ish</html>' }),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'salesforce.unparseable_response' && !e.message.includes('secret-ish'),
    );
  });

  it('turns OAuth error answers into coded errors with a fix and a reconnect reason', () => {
    const res: RawResponse = { status: 400, headers: {}, body: JSON.stringify({ error: 'invalid_grant', error_description: 'expired access/refresh token' }) };
    assert.throws(
      () => processTokenResponse(res),
      (e: unknown) => {
        assert.ok(e instanceof ForcebridgeError);
        assert.equal(e.code, 'oauth.refresh_token_revoked');
        assert.equal(e.kind, 'remote_error');
        assert.equal(e.salesforce?.errorCode, 'invalid_grant');
        assert.equal(reconnectReason(e), 'refresh_token_revoked');
        assert.match(e.hint ?? '', /reconnect/);
        return true;
      },
    );
  });

  it('reports an error status without an OAuth body as a protocol error', () => {
    assert.throws(
      () => processTokenResponse({ status: 502, headers: {}, body: 'Bad gateway' }),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'salesforce.unexpected_status',
    );
  });
});
