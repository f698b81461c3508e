/**
 * One suite × every backend: each test gets a fresh SQLite file or a fresh PostgreSQL schema.
 * PostgreSQL runs when FORCEBRIDGE_TEST_PG_URL is set (CI sets it) and is skipped with a clear
 * message otherwise.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../open.js';
import type { Store } from '../types.js';

export interface TestStore {
  store: Store;
  /** URL another "process" can open to reach the same database. */
  url: string;
  cleanup(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Why this backend is skipped, if it is. */
  skip: string | false;
  create(): Promise<TestStore>;
}

const PG_URL = process.env.FORCEBRIDGE_TEST_PG_URL;

export const backends: Backend[] = [
  {
    name: 'sqlite',
    skip: false,
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'fb-store-'));
      const url = `sqlite:${join(dir, 'test.db')}`;
      const { store } = await openStore(url);
      return {
        store,
        url,
        cleanup: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: PG_URL ? false : 'FORCEBRIDGE_TEST_PG_URL is not set (e.g. postgres://root@127.0.0.1:5432/test); PostgreSQL tests skipped',
    async create() {
      const schema = `fb_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const u = new URL(PG_URL!);
      u.searchParams.set('options', `-c search_path=${schema}`);
      const url = u.toString();
      const { store } = await openStore(url);
      return {
        store,
        url,
        cleanup: async () => {
          await store.close();
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`DROP SCHEMA ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  },
];
