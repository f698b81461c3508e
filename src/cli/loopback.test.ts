import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { ForcebridgeError } from '../errors.js';
import { loopbackRedirect, startLoopbackCallback } from './loopback.js';

describe('loopbackRedirect', () => {
  it('accepts http loopback callbacks and applies --port', () => {
    assert.equal(loopbackRedirect('http://localhost:1717/OauthRedirect', 9999).toString(), 'http://localhost:9999/OauthRedirect');
    assert.equal(loopbackRedirect('http://127.0.0.1:1717/cb').port, '1717');
  });

  it('refuses callbacks the CLI cannot receive, naming the callback URL to register', () => {
    for (const u of ['https://app.example.com/cb', 'http://10.0.0.5:1717/cb']) {
      assert.throws(
        () => loopbackRedirect(u),
        (e: unknown) => e instanceof ForcebridgeError && e.field === 'callbackUrl' && /localhost:1717\/OauthRedirect/.test(e.hint!),
      );
    }
  });
});

describe('startLoopbackCallback', () => {
  it('answers only its path and state; an OAuth error becomes a ForcebridgeError', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const server = await startLoopbackCallback('http://localhost:1717/OauthRedirect', port);
    await assert.rejects(
      startLoopbackCallback('http://127.0.0.1:1717/OauthRedirect', port),
      (e: unknown) => e instanceof ForcebridgeError && e.code === 'cli.callback_port_busy',
    );
    try {
      assert.equal(server.redirectUri, `http://localhost:${port}/OauthRedirect`);
      const base = new URL(`http://127.0.0.1:${port}/OauthRedirect`);
      const waiting = server.waitForCode('s1', 5000);
      assert.equal((await fetch(new URL('/favicon.ico', base))).status, 404);
      assert.equal((await fetch(`${base.origin}${base.pathname}?code=c&state=other`)).status, 400);
      const ok = await fetch(`${base.origin}${base.pathname}?code=the-code&state=s1`);
      assert.equal(ok.status, 200);
      assert.equal(await waiting, 'the-code');
      const denied = assert.rejects(
        server.waitForCode('s2', 5000),
        (e: unknown) => e instanceof ForcebridgeError && e.salesforce?.errorCode === 'access_denied',
      );
      await fetch(`${base.origin}${base.pathname}?error=access_denied&error_description=end-user+denied+authorization&state=s2`);
      await denied;
      await assert.rejects(server.waitForCode('s3', 50), (e: unknown) => e instanceof ForcebridgeError && e.code === 'cli.callback_timeout');
    } finally {
      await server.close();
    }
  });
});
