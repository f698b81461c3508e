/**
 * Users and licenses for SaaS-management products. A company filter decides which users are kept:
 * `*` (every user, those without an email included) or a list of email domains (only users whose
 * email is at one of them). UserLicense and PermissionSetLicense are always synced org-wide, and
 * the run reports the mismatch: licenses in use by users outside the filter. Every kept user row
 * carries `_fb_third_party` — true when its email domain is not one of the org's own domains
 * (`orgDomains`; by default the filter's domains, else the connected user's email domain).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { ForcebridgeError } from '../errors.js';
import type { Store } from '../store/types.js';
import type { CatalogEntry } from './catalog.js';
import { syncTableName } from './fields.js';

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/, 'an email domain such as acme.com');

export const usersOptionsSchema = z.object({
  /** `*` = all users; or the email domains whose users are kept. */
  companyFilter: z.union([z.literal('*'), z.array(domain).min(1)]).default('*'),
  /** The org's own email domains (users elsewhere are third-party). */
  orgDomains: z.array(domain).min(1).optional(),
});
export type UsersOptions = z.infer<typeof usersOptionsSchema>;

export function parseUsersOptions(input: unknown): UsersOptions {
  const r = usersOptionsSchema.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = ['users', ...issue.path.map(String)].join('.');
    throw new ForcebridgeError('sync.invalid_users_options', 'invalid_input', `${path}: ${issue.message}`, {
      field: path,
      hint: 'companyFilter is "*" or a list of email domains such as ["acme.com"]',
    });
  }
  return r.data;
}

/** The SOQL condition of the company filter, or undefined for `*`. */
export function companyWhere(o: UsersOptions): string | undefined {
  if (o.companyFilter === '*') return undefined;
  // Domains are validated to [a-z0-9.-], so they need no quoting beyond the literal.
  return o.companyFilter.map((d) => `Email LIKE '%@${d}'`).join(' OR ');
}

/** The entry to read: User gets the company filter ANDed to its own `where`. */
export function scopedEntry(entry: CatalogEntry, o: UsersOptions): CatalogEntry {
  if (entry.object.toLowerCase() !== 'user') return entry;
  const company = companyWhere(o);
  if (!company) return entry;
  return { ...entry, where: entry.where ? `(${entry.where}) AND (${company})` : company };
}

/** The org's domains: configured, else the filter's, else the connected user's email domain. */
export async function orgDomains(
  store: Store,
  connectionId: string,
  o: UsersOptions,
  me: { userId: string | null; username: string | null },
): Promise<string[]> {
  if (o.orgDomains) return o.orgDomains;
  if (o.companyFilter !== '*') return o.companyFilter;
  let email: string | null | undefined;
  if (me.userId) {
    const r = await sql<{ email: string | null }>`select email from ${sql.id(syncTableName(connectionId, 'User'))} where id = ${me.userId}`.execute(store.db);
    email = r.rows[0]?.email;
  }
  const d = (email ?? me.username ?? '').split('@')[1]?.toLowerCase();
  return d ? [d] : [];
}

async function hasColumn(store: Store, table: string, column: string): Promise<boolean> {
  try {
    await sql`select ${sql.id(column)} from ${sql.id(table)} where 1 = 0`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sets `_fb_third_party` on every user row: null without an email, false at one of `domains`,
 * true otherwise. Recomputed each User sync, so a change of the org's domains applies at once.
 */
export async function flagThirdParty(store: Store, connectionId: string, domains: string[]): Promise<void> {
  const table = syncTableName(connectionId, 'User');
  if (!(await hasColumn(store, table, '_fb_third_party')))
    await sql`alter table ${sql.id(table)} add column _fb_third_party ${sql.raw(store.columnType('boolean'))}`.execute(store.db);
  // A catalog entry with an explicit field list may leave Email out: then nothing can be told.
  if (!(await hasColumn(store, table, 'email'))) return;
  const own = domains.length
    ? sql.join(
        domains.map((d) => sql`lower(email) like ${`%@${d}`}`),
        sql` or `,
      )
    : sql`false`;
  await sql`update ${sql.id(table)} set _fb_third_party = case when email is null or email not like ${'%@%'} then null when (${own}) then false else true end`.execute(
    store.db,
  );
}

export interface LicenseCount {
  name: string;
  status: string | null;
  total: number | null;
  used: number | null;
}

export interface UsersReport {
  companyFilter: '*' | string[];
  orgDomains: string[];
  /** Users kept by the filter (live rows), how many are active, third-party, without email. */
  users: { kept: number; active: number; thirdParty: number; withoutEmail: number };
  /** Org-wide counts, whatever the filter. */
  userLicenses: LicenseCount[];
  permissionSetLicenses: LicenseCount[];
  /**
   * User licenses in use by users the filter left out: the org-wide used count minus the active
   * users kept (every active user holds one user license).
   */
  licensedUsersOutsideFilter: number;
}

async function tableOf(store: Store, connectionId: string, object: string): Promise<string | undefined> {
  const r = await store.db
    .selectFrom('sync_objects')
    .select('table_name')
    .where('connection_id', '=', connectionId)
    .where('object', '=', object)
    .executeTakeFirst();
  return r?.table_name;
}

async function licenses(store: Store, table: string | undefined, nameColumn: string): Promise<LicenseCount[]> {
  if (!table) return [];
  const r = await sql<{ name: string; status: string | null; total: number | string | null; used: number | string | null }>`
    select ${sql.id(nameColumn)} as name, status, totallicenses as total, usedlicenses as used
    from ${sql.id(table)} where _fb_deleted_at is null order by ${sql.id(nameColumn)}`.execute(store.db);
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  return r.rows.map((x) => ({ name: x.name, status: x.status, total: num(x.total), used: num(x.used) }));
}

/** The users & licenses report from the synced tables (no API calls); undefined before User is synced. */
export async function usersReport(store: Store, connectionId: string, o: UsersOptions, domains: string[]): Promise<UsersReport | undefined> {
  const userTable = await tableOf(store, connectionId, 'User');
  if (!userTable) return undefined;
  // Columns an explicit catalog field list may have left out count as unknown.
  const third = (await hasColumn(store, userTable, '_fb_third_party')) ? sql`_fb_third_party = true` : sql`false`;
  const active = (await hasColumn(store, userTable, 'isactive')) ? sql`isactive = true` : sql`true`;
  const noEmail = (await hasColumn(store, userTable, 'email')) ? sql`email is null` : sql`false`;
  const counts = await sql<{ kept: number | string; active: number | string | null; third: number | string | null; noemail: number | string | null }>`
    select count(*) as kept,
      sum(case when ${active} then 1 else 0 end) as active,
      sum(case when ${third} then 1 else 0 end) as third,
      sum(case when ${noEmail} then 1 else 0 end) as noemail
    from ${sql.id(userTable)} where _fb_deleted_at is null`.execute(store.db);
  const c = counts.rows[0]!;
  const userLicenses = await licenses(store, await tableOf(store, connectionId, 'UserLicense'), 'name');
  const permissionSetLicenses = await licenses(store, await tableOf(store, connectionId, 'PermissionSetLicense'), 'developername');
  const activeKept = Number(c.active ?? 0);
  const usedOrgWide = userLicenses.filter((l) => l.status !== 'Disabled').reduce((s, l) => s + (l.used ?? 0), 0);
  return {
    companyFilter: o.companyFilter,
    orgDomains: domains,
    users: { kept: Number(c.kept), active: activeKept, thirdParty: Number(c.third ?? 0), withoutEmail: Number(c.noemail ?? 0) },
    userLicenses,
    permissionSetLicenses,
    licensedUsersOutsideFilter: Math.max(0, usedOrgWide - activeKept),
  };
}
