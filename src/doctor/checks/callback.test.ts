/**
 * Reading an authorize-step error from the shapes Salesforce uses: a redirect to its
 * RemoteAccessErrorPage, a redirect to the callback with `error=`, or an error page's text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizeError, authorizeErrorOutcome } from './callback.js';

describe('authorizeError', () => {
  it('reads a redirect to Salesforce’s RemoteAccessErrorPage', () => {
    const loc =
      'https://acme.my.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration';
    assert.deepEqual(authorizeError(loc, ''), { error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration' });
  });

  it('reads an error sent to the callback (query or fragment)', () => {
    assert.equal(authorizeError('https://hub.example.com/cb?error=invalid_scope&state=x', '')?.error, 'invalid_scope');
    assert.equal(authorizeError('https://hub.example.com/cb#error=access_denied', '')?.error, 'access_denied');
  });

  it('reads an HTML error page and ignores a login page', () => {
    const page = '<p id="message">error=redirect_uri_mismatch&amp;error_description=redirect_uri+mismatch+with+remote+access+object</p>';
    assert.deepEqual(authorizeError(undefined, page), { error: 'redirect_uri_mismatch', description: 'redirect_uri mismatch with remote access object' });
    assert.equal(authorizeError('https://acme.my.salesforce.com/?startURL=x', '<form><input name="pw" type="password"></form>'), undefined);
  });

  it('the mismatch fix names the exact URL to register', () => {
    const o = authorizeErrorOutcome('redirect_uri_mismatch', '', 'https://hub.example.com/cb', 'https://login.salesforce.com');
    assert.equal(o.status, 'fail');
    assert.match(o.fix!, /add https:\/\/hub\.example\.com\/cb exactly/);
  });
});
