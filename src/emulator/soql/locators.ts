/**
 * Query locators for REST paging (`nextRecordsUrl: /services/data/vXX.X/query/01g...-2000`). A
 * locator keeps the executed query (its row list), so every page is a slice — the query runs once.
 *
 * Locators expire after 15 minutes without use (Salesforce's documented inactivity timeout) and the
 * store keeps at most `cap` of them, evicting the least recently used: each holds a row list.
 */
import type { Org } from '../org.js';
import type { PreparedQuery } from './types.js';

export const LOCATOR_TTL_MS = 15 * 60_000;
export const LOCATOR_CAP = 200;

interface Entry {
  query: PreparedQuery;
  touched: number;
}

export class QueryLocatorStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly org: Org,
    readonly ttlMs = LOCATOR_TTL_MS,
    readonly cap = LOCATOR_CAP,
  ) {}

  /** Keeps a query for paging; returns its locator id (18-char id with key prefix `01g`). */
  add(query: PreparedQuery): string {
    this.expire();
    while (this.entries.size >= this.cap) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const id = this.org.ids.next('01g');
    this.entries.set(id, { query, touched: this.org.clock.nowPrecise() });
    return id;
  }

  /** The query behind a locator id, refreshing its inactivity timer; undefined when unknown or expired. */
  get(id: string): PreparedQuery | undefined {
    this.expire();
    const e = this.entries.get(id);
    if (!e) return undefined;
    e.touched = this.org.clock.nowPrecise();
    // Re-insert so Map order stays least-recently-used first.
    this.entries.delete(id);
    this.entries.set(id, e);
    return e.query;
  }

  /** Number of live locators. */
  get size(): number {
    this.expire();
    return this.entries.size;
  }

  private expire(): void {
    const now = this.org.clock.nowPrecise();
    for (const [id, e] of this.entries) if (now - e.touched > this.ttlMs) this.entries.delete(id);
  }
}

const stores = new WeakMap<Org, QueryLocatorStore>();

/** The org's locator store (created on first use). */
export function locatorStore(org: Org): QueryLocatorStore {
  let s = stores.get(org);
  if (!s) {
    s = new QueryLocatorStore(org);
    stores.set(org, s);
  }
  return s;
}
