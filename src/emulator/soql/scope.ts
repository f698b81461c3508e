/**
 * What one query execution knows about its caller and moment: the org, the principal, the query
 * text (for caret errors), the clock reading, and cached permission answers so per-row checks stay
 * cheap (View All users skip the sharing walk entirely).
 */
import type { Org } from '../org.js';
import { canReadRecord, objectAccess, type Principal } from '../perms/access.js';
import type { ObjectDef, StoredRecord } from '../schema/types.js';

export class QueryScope {
  /** Clock reading for date literals, taken once so every row sees the same "today". */
  readonly now: number;
  private readonly viewAll = new Map<string, boolean>();

  constructor(
    readonly org: Org,
    readonly principal: Principal,
    /** Query text for caret errors (undefined when compiling a fragment without source). */
    readonly soql: string | undefined,
    readonly includeDeleted = false,
  ) {
    this.now = org.clock.now();
  }

  /** Whether the principal may read the object at all. */
  canReadObject(def: ObjectDef): boolean {
    return objectAccess(this.principal, def).read;
  }

  /** Whether the principal sees every record of `def` (View All / View All Data): no per-row check. */
  seesAll(def: ObjectDef): boolean {
    let all = this.viewAll.get(def.name);
    if (all === undefined) {
      const access = objectAccess(this.principal, def);
      all = access.read && access.viewAll;
      this.viewAll.set(def.name, all);
    }
    return all;
  }

  /** Whether the principal sees `rec` of `def` under the sharing model. */
  canSee(def: ObjectDef, rec: StoredRecord): boolean {
    return this.seesAll(def) || canReadRecord(this.principal, def, rec, this.org.data);
  }

  /**
   * The parent record a lookup points at, or null when empty, unknown, deleted or invisible to the
   * caller (Salesforce renders such relationships as null).
   */
  parent(rec: StoredRecord, lookupField: string): { def: ObjectDef; rec: StoredRecord } | null {
    const id = rec[lookupField];
    if (typeof id !== 'string') return null;
    const found = this.org.data.find(id);
    if (!found || found.record.IsDeleted === true) return null;
    const def = found.table.def;
    if (!this.canSee(def, found.record)) return null;
    return { def, rec: found.record };
  }
}
