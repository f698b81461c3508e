/**
 * The writer for a store's dialect (a lookup, so sync code never branches on the dialect).
 */
import type { DialectName, Store } from '../../store/types.js';
import { postgresWriter } from './postgres.js';
import { sqliteWriter } from './sqlite.js';
import type { SyncWriter } from './types.js';

const WRITERS: Record<DialectName, (s: Store) => SyncWriter> = { sqlite: sqliteWriter, postgres: postgresWriter };

export function writerFor(store: Store): SyncWriter {
  return WRITERS[store.dialect](store);
}
