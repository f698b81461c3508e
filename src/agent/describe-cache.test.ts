import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForcebridgeError } from '../errors.js';
import { checkObjectName, DESCRIBE_CACHE_MAX, DESCRIBE_TTL_MS, DescribeCache } from './describe-cache.js';

describe('DescribeCache', () => {
  it('serves a fresh entry without loading; reloads after the TTL; concurrent gets share one load', async () => {
    let now = 0;
    let loads = 0;
    const c = new DescribeCache(() => now);
    const load = async () => ++loads;
    const [a, b] = await Promise.all([c.get('con|usr|account', load), c.get('con|usr|account', load)]);
    assert.deepEqual([a, b, loads], [1, 1, 1]);
    now = DESCRIBE_TTL_MS - 1;
    assert.equal(await c.get('con|usr|account', load), 1);
    now = DESCRIBE_TTL_MS;
    assert.equal(await c.get('con|usr|account', load), 2);
  });

  it('does not keep a failed load; forget() drops one connection; size is capped', async () => {
    const c = new DescribeCache(() => 0);
    await assert.rejects(
      c.get('con|usr|x', async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await c.get('con|usr|x', async () => 'ok'), 'ok');
    await c.get('other|usr|x', async () => 'o');
    c.forget('con');
    assert.equal(c.size, 1);
    for (let i = 0; i < DESCRIBE_CACHE_MAX + 10; i++) await c.get(`c${i}|u|x`, async () => i);
    assert.equal(c.size, DESCRIBE_CACHE_MAX);
  });

  it('checkObjectName refuses anything that is not an API name', () => {
    assert.equal(checkObjectName('Invoice__c'), 'Invoice__c');
    for (const bad of ['', '../limits', 'Account/describe', 'Acc ount', '1Account', 'a'.repeat(81)]) {
      assert.throws(
        () => checkObjectName(bad),
        (e: unknown) => e instanceof ForcebridgeError && e.code === 'agent.object_name' && e.field === 'object',
      );
    }
  });
});
