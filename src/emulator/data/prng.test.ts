import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from './prng.js';

describe('Rng', () => {
  it('Rng.next same seed → same sequence', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b.next()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(
      xs,
      Array.from({ length: 5 }, () => new Rng(43).next()),
    );
  });

  it('Rng.stream different labels → different sequences', () => {
    assert.notEqual(Rng.stream(1, 'Account').next(), Rng.stream(1, 'Contact').next());
    assert.equal(Rng.stream(1, 'Account').next(), Rng.stream(1, 'Account').next());
  });

  it('Rng.int and weighted stay in range and follow weights', () => {
    const r = new Rng(7);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) {
      const v = r.int(3, 5);
      assert.ok(v >= 3 && v <= 5);
      counts[
        r.weighted([
          ['a', 9],
          ['b', 1],
        ] as const)
      ]++;
    }
    assert.ok(counts.a > 8500 && counts.a < 9500, `a=${counts.a}`);
  });
});
