import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Database, NAPI_DRIVER_FROM_NODE, sqliteDriverPackage } from './driver.js';

describe('SQLite driver', () => {
  it('loads the better-sqlite3 line for this Node and it opens a database', () => {
    const major = Number(process.versions.node.split('.')[0]);
    assert.equal(sqliteDriverPackage, major >= NAPI_DRIVER_FROM_NODE ? 'better-sqlite3-13' : 'better-sqlite3');
    const db = new Database(':memory:');
    try {
      db.exec('create table t (id text primary key, n integer)');
      db.prepare('insert into t values (?, ?)').run('a', 1);
      assert.deepEqual(db.prepare('select id, n from t').all(), [{ id: 'a', n: 1 }]);
    } finally {
      db.close();
    }
  });
});
