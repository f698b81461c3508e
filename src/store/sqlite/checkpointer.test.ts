import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SqliteDatabase } from './driver.js';
import { openStore } from '../open.js';
import type { Store } from '../types.js';
import { WalCheckpointer, type WalState } from './checkpointer.js';

describe('WAL checkpoints on a helper thread', () => {
  let dir: string;
  let store: Store;
  let db: SqliteDatabase;
  const file = () => join(dir, 'hub.db');
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fb-ckpt-'));
    store = (await openStore(`sqlite:${file()}`)).store;
    db = store.native as SqliteDatabase;
    db.exec('create table t (id integer primary key, v text)');
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (rows: number) => {
    const ins = db.prepare('insert into t (v) values (?)');
    db.transaction(() => {
      for (let i = 0; i < rows; i++) ins.run('x'.repeat(1000));
    })();
  };

  it('copies the whole log into the database, and the next write restarts the log', async () => {
    const c = new WalCheckpointer(file());
    try {
      write(3000);
      await c.nudge();
      const first = c.last!;
      assert.ok(first.log > 100, JSON.stringify(first));
      assert.equal(first.checkpointed, first.log);
      // Copied in full: the next write transaction starts the log from its beginning.
      write(10);
      await c.nudge();
      assert.ok(c.last!.log < first.log / 10, JSON.stringify(c.last));
      assert.equal((db.prepare('select count(*) n from t').get() as { n: number }).n, 3010);
    } finally {
      await c.close();
    }
  });

  it('settle waits for a complete checkpoint once the log passed the limit, and not before', async () => {
    const c = new WalCheckpointer(file());
    try {
      write(2000);
      await c.settle(1); // nothing known yet: no wait
      assert.equal(c.last, undefined);
      await c.nudge();
      write(2000);
      void c.nudge();
      write(2000); // the log grows while the helper copies
      await c.settle(1);
      const s = c.last as WalState | undefined;
      assert.ok(s && s.checkpointed === s.log, JSON.stringify(s));
    } finally {
      await c.close();
    }
  });

  it('a helper that cannot open its file changes nothing: no report, no error, the writer goes on', async () => {
    const c = new WalCheckpointer(join(dir, 'missing', 'nested', 'hub.db'));
    await c.nudge();
    await c.settle(0);
    assert.equal(c.last, undefined);
    await c.close();
    write(1);
  });

  it('closed, it ends its thread; later asks are no-ops', async () => {
    const c = new WalCheckpointer(file());
    write(10);
    await c.nudge();
    await c.close();
    await c.nudge();
    await c.close();
  });
});
