/**
 * The contract between the SOQL executor and its users (REST /query, Bulk 2.0, SOSL RETURNING).
 */
import type { ObjectDef, StoredRecord } from '../schema/types.js';

export interface QueryOptions {
  /** queryAll: include soft-deleted (IsDeleted = true) rows. */
  includeDeleted: boolean;
  /** API version of the request (record `attributes.url`). */
  apiVersion: string;
  /** Bulk 2.0 refuses what it cannot serve (aggregates, subqueries, OFFSET, compound fields...). */
  mode: 'rest' | 'bulk';
}

/**
 * A parsed, permission-checked and executed query. Rows are computed once; callers page over
 * them (REST locators, Bulk result pages) and render each row on demand.
 */
export interface PreparedQuery {
  /** Root object (undefined only for aggregate queries without an object, which SOQL forbids). */
  object: ObjectDef;
  /** `SELECT COUNT()` form: answer `totalSize` with no records. */
  countOnly: boolean;
  /** Aggregate query (GROUP BY / aggregate functions): rows are AggregateResult records. */
  aggregate: boolean;
  /** Number of result rows (for COUNT(): the count). */
  totalSize: number;
  /** Column headers as written in the SELECT (relationship fields dotted), for Bulk CSV. */
  columns: string[];
  /** Rendered REST JSON of result row `i` (with `attributes`, parent objects, child subqueries). */
  recordJson(i: number): Record<string, unknown>;
  /** Flat string cells of row `i` in `columns` order for CSV (null → empty cell). */
  flatRow(i: number): (string | null)[];
  /** Root records in result order (not for aggregate queries). */
  rows: StoredRecord[];
  /**
   * Child-subquery rows row `i` brings along (0 without subqueries). REST counts them toward the
   * page size, as Salesforce does. Optional: added after the first contract.
   */
  childRowCount?(i: number): number;
}
