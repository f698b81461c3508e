import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, redactText } from './log.js';

describe('createLogger', () => {
  it('redacts secret keys at any depth', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(c, _e, cb) {
        chunks.push(String(c));
        cb();
      },
    });
    const log = createLogger({ destination: sink as never });
    log.info(
      {
        access_token: '00DXX!secret1',
        nested: { clientSecret: 'secret2', deeper: { refresh_token: 'secret3' } },
        headers: { authorization: 'Bearer secret4' },
      },
      'hello',
    );
    await new Promise((r) => setImmediate(r));
    const out = chunks.join('');
    for (const s of ['secret1', 'secret2', 'secret3', 'secret4']) assert.ok(!out.includes(s), s);
    assert.match(out, /\[redacted\]/);
  });
});

describe('redactText', () => {
  it('masks Salesforce tokens, Bearer values and vault ciphertext in free text', () => {
    const t = redactText(
      'tok 00DDn0000000001!AQabcdefghijklmnopqrstuvwxyz and 5Aep861abcdefghijklmnopqrstuvwxyz0123 Bearer abcdefghijkl fbv1:k1:aaaaaaaaaaaaaaaa:bbbbbbbbbbbbbbbbbbbbbbbb',
    );
    assert.ok(!/AQabc|5Aep861|abcdefghijkl|fbv1:k1/.test(t), t);
  });
});
