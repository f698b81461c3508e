import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NODE_SQLITE_FROM_NODE, openSqliteDatabase, sqliteDriverModule } from './driver.js';

describe('SQLite driver', () => {
  const major = Number(process.versions.node.split('.')[0]);

  it('loads the library for this Node and it opens a database', () => {
    assert.equal(sqliteDriverModule, major >= NODE_SQLITE_FROM_NODE ? 'node:sqlite' : 'better-sqlite3');
    const db = openSqliteDatabase(':memory:');
    try {
      db.exec('create table t (id text primary key, n integer)');
      const ins = db.prepare('insert into t values (?, ?)');
      assert.equal(ins.reader, false);
      assert.equal(ins.run('a', 1).changes, 1);
      const sel = db.prepare('select id, n from t where id = ?');
      assert.equal(sel.reader, true);
      assert.deepEqual({ ...(sel.get('a') as object) }, { id: 'a', n: 1 });
      assert.equal(sel.get('none'), undefined);
      assert.deepEqual(
        [...db.prepare('select n from t').iterate()].map((r) => (r as { n: number }).n),
        [1],
      );
      assert.equal(db.pragma('user_version', { simple: true }), 0);
      assert.deepEqual(
        (db.pragma('table_info(t)') as { name: string }[]).map((c) => c.name),
        ['id', 'n'],
      );
    } finally {
      db.close();
    }
  });

  it('transactions commit, roll back on a throw, and nest as savepoints', () => {
    const db = openSqliteDatabase(':memory:');
    try {
      db.exec('create table t (n integer)');
      const add = db.prepare('insert into t values (?)');
      const count = () => (db.prepare('select count(*) as c from t').get() as { c: number }).c;
      const tx = db.transaction((n: number, fail: boolean) => {
        add.run(n);
        if (fail) throw new Error('boom');
        return n;
      });
      assert.equal(tx(1, false), 1);
      assert.throws(() => tx(2, true), /boom/);
      assert.equal(count(), 1);
      const outer = db.transaction(() => {
        add.run(3);
        assert.throws(() => tx(4, true), /boom/); // the inner one rolls back to its savepoint only
        tx(5, false);
      });
      outer();
      assert.deepEqual(
        db
          .prepare('select n from t order by n')
          .all()
          .map((r) => (r as { n: number }).n),
        [1, 3, 5],
      );
      const broken = db.transaction(() => {
        add.run(6);
        throw new Error('outer fails');
      });
      assert.throws(() => broken(), /outer fails/);
      assert.equal(count(), 3);
      // Not inside a transaction any more: a plain statement autocommits.
      add.run(7);
      assert.equal(count(), 4);
    } finally {
      db.close();
    }
  });
});
