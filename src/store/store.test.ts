import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate } from './migrate.js';
import { openStoreRaw } from './open.js';
import { backends } from './test-support/stores.js';

for (const backend of backends) {
  describe(`store (${backend.name})`, { skip: backend.skip }, () => {
    it('migrate applies every step once and reports it', async () => {
      const t = await backend.create();
      try {
        const again = await migrate(t.store);
        assert.deepEqual(again, [], 'second run has nothing to apply');
        const tables = await t.store.db.introspection.getTables();
        for (const name of ['tenants', 'integrations', 'connections', 'oauth_states', 'api_keys', 'locks']) {
          assert.ok(
            tables.some((x) => x.name === name),
            name,
          );
        }
      } finally {
        await t.cleanup();
      }
    });

    it('withLock excludes holders in other processes (separate pools) and releases on error', async () => {
      const t = await backend.create();
      const other = openStoreRaw(t.url);
      try {
        let inside = 0;
        let maxInside = 0;
        const work = (s: typeof t.store, i: number) =>
          s.withLock('refresh:conn-1', async () => {
            inside++;
            maxInside = Math.max(maxInside, inside);
            await new Promise((r) => setTimeout(r, 15));
            inside--;
            if (i === 3) throw new Error('boom');
            return i;
          });
        const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => work(i % 2 ? other : t.store, i)));
        assert.equal(maxInside, 1, 'never two holders at once');
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
        assert.equal(await t.store.withLock('refresh:conn-1', async () => 'free again'), 'free again');
      } finally {
        await other.close();
        await t.cleanup();
      }
    });
  });
}
