/**
 * What to sync, as data validated at load: built-in entries for the objects products ask for, and
 * any other object (custom included) by name. One zod schema gives the type and the checks.
 */
import { z } from 'zod';
import { ForcebridgeError } from '../errors.js';

export const CURSOR_FIELDS = ['SystemModstamp', 'LastModifiedDate', 'CreatedDate'] as const;

export const catalogEntrySchema = z.object({
  /** Salesforce object API name, e.g. `Case` or `Invoice__c`. */
  object: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an object API name such as Account or Invoice__c'),
  /** `*` = every field the connected user can read; or an explicit list (Id and the cursor field are always added). */
  fields: z.union([z.literal('*'), z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/)).min(1)]).default('*'),
  /** `incremental`: keyset cursor on `cursorField`; `full`: re-read everything each run (small, non-replicable objects). */
  mode: z.enum(['incremental', 'full']).default('incremental'),
  cursorField: z.enum(CURSOR_FIELDS).default('SystemModstamp'),
  /** Extra SOQL condition ANDed to every query (e.g. `IsActive = true`). */
  where: z.string().optional(),
  scheduleMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(15),
  /** How deletes are found: queryAll + getDeleted (+ reconciliation past the window), or id reconciliation only. */
  deletes: z.enum(['replication', 'reconcile', 'none']).default('replication'),
  /** Formula fields do not move the cursor; re-read them (Id + formulas) this often. 0 = never. */
  formulaRefreshMinutes: z.number().int().min(0).default(60),
  /** How often getDeleted is asked for hard deletes (replication objects); not every cycle, so a no-change cycle stays cheap. */
  deletesCheckMinutes: z
    .number()
    .int()
    .min(1)
    .max(14 * 24 * 60)
    .default(60),
  /** How often ids are reconciled (read all live Ids, mark the rest deleted) for `deletes: 'reconcile'` objects. */
  reconcileMinutes: z
    .number()
    .int()
    .min(1)
    .default(24 * 60),
  /** Initial loads above this many rows (by `SELECT COUNT()`) use a Bulk API 2.0 query; default 10,000. */
  bulkThreshold: z.number().int().min(0).optional(),
  /**
   * Schema drift check: describe runs whenever the object has changes to write, and at least this
   * often otherwise. A cycle with nothing new skips it (one API call per object).
   */
  describeMinutes: z.number().int().min(0).default(15),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/** Built-in entries: support (Case, EmailMessage), customer graph, and users & licenses. */
export const BUILTIN_CATALOG: readonly CatalogEntry[] = [
  { object: 'Account' },
  { object: 'Contact' },
  { object: 'Opportunity' },
  { object: 'Case' },
  { object: 'EmailMessage' },
  { object: 'Task' },
  { object: 'Event' },
  { object: 'User', deletes: 'reconcile' },
  { object: 'UserLicense', mode: 'full', deletes: 'reconcile', formulaRefreshMinutes: 0 },
  { object: 'PermissionSetLicense', mode: 'full', deletes: 'reconcile', formulaRefreshMinutes: 0 },
].map((e) => catalogEntrySchema.parse(e));

/** Entries for the named objects: built-ins by name (case-insensitive), anything else with defaults. */
export function catalogFor(objects: string[] | undefined, overrides: unknown[] = []): CatalogEntry[] {
  const custom = overrides.map((o, i) => {
    const r = catalogEntrySchema.safeParse(o);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new ForcebridgeError('catalog.invalid', 'invalid_input', `catalog entry ${i + 1}: ${issue.path.join('.')}: ${issue.message}`, {
        field: `catalog[${i}].${issue.path.join('.')}`,
      });
    }
    return r.data;
  });
  const byName = new Map<string, CatalogEntry>();
  for (const e of [...BUILTIN_CATALOG, ...custom]) byName.set(e.object.toLowerCase(), e);
  if (!objects || objects.length === 0)
    return [
      ...BUILTIN_CATALOG.map((e) => byName.get(e.object.toLowerCase())!),
      ...custom.filter((c) => !BUILTIN_CATALOG.some((b) => b.object.toLowerCase() === c.object.toLowerCase())),
    ];
  return objects.map((name) => {
    const found = byName.get(name.toLowerCase());
    if (found) return found;
    const r = catalogEntrySchema.safeParse({ object: name });
    if (!r.success)
      throw new ForcebridgeError('catalog.invalid', 'invalid_input', `"${name}" is not an object API name`, {
        field: 'objects',
        hint: 'use API names such as Account or Invoice__c',
      });
    return r.data;
  });
}
