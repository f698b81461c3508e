/**
 * The better-sqlite3 build for the running Node. 12.x (a node-gyp addon) on Node 20 and 22; 13.x
 * (Node-API, prebuilt) on Node 24 and later, where 12.x aborts the process at exit: its object
 * wraps remove a cleanup hook after the environment is gone (`Assertion failed: (env) != nullptr`,
 * seen here on 24.21). 13.x needs Node ≥ 22 and crashes on 20, so neither serves all three alone;
 * both are installed (package.json `better-sqlite3-13` is an npm alias) and one is loaded.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/** The Node major from which 13.x is loaded. */
export const NAPI_DRIVER_FROM_NODE = 24;

const major = Number(process.versions.node.split('.')[0]);

/** Package name of the build loaded in this process. */
export const sqliteDriverPackage = major >= NAPI_DRIVER_FROM_NODE ? 'better-sqlite3-13' : 'better-sqlite3';

/** better-sqlite3's Database constructor (both lines share this API). */
export const Database = require(sqliteDriverPackage) as typeof BetterSqlite3;

/** Where that build's package lives (a worker thread loads the same one). */
export const sqliteDriverPath = require.resolve(sqliteDriverPackage);
