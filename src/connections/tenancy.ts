/**
 * Tenants (organizations using forcebridge), their groups and users. The CLI works as the local
 * tenant's admin; the HTTP API resolves the caller from an API key. Every repository query is
 * scoped by tenant id, so one tenant can never reach another's rows.
 */
import { randomUUID, scryptSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ForcebridgeError } from '../errors.js';
import type { HubDatabase } from '../store/schema.js';

export interface Tenant {
  id: string;
  name: string;
}

export interface HubUser {
  id: string;
  tenantId: string;
  groupId: string | null;
  email: string;
  isAdmin: boolean;
}

export const LOCAL_TENANT = 'local';
export const LOCAL_ADMIN = 'admin@localhost';

export async function ensureTenant(db: Kysely<HubDatabase>, name: string): Promise<Tenant> {
  const found = await db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst();
  if (found) return { id: found.id, name: found.name };
  const t = { id: `ten_${randomUUID()}`, name, created_at: Date.now() };
  await db
    .insertInto('tenants')
    .values(t)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const again = await db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  return { id: again.id, name: again.name };
}

export async function ensureGroup(db: Kysely<HubDatabase>, tenantId: string, name: string): Promise<string> {
  const found = await db.selectFrom('groups').select('id').where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst();
  if (found) return found.id;
  const id = `grp_${randomUUID()}`;
  await db.insertInto('groups').values({ id, tenant_id: tenantId, name, created_at: Date.now() }).execute();
  return id;
}

export async function findGroup(db: Kysely<HubDatabase>, tenantId: string, name: string): Promise<string> {
  const found = await db.selectFrom('groups').select('id').where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst();
  if (!found) throw new ForcebridgeError('group.not_found', 'not_found', `no group named "${name}"`, { field: 'group' });
  return found.id;
}

function toUser(r: HubDatabase['users']): HubUser {
  return { id: r.id, tenantId: r.tenant_id, groupId: r.group_id, email: r.email, isAdmin: r.is_admin === 1 };
}

export async function ensureUser(
  db: Kysely<HubDatabase>,
  tenantId: string,
  email: string,
  opts: { isAdmin?: boolean; groupId?: string | null } = {},
): Promise<HubUser> {
  const found = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('email', '=', email).executeTakeFirst();
  if (found) return toUser(found);
  const row = {
    id: `usr_${randomUUID()}`,
    tenant_id: tenantId,
    group_id: opts.groupId ?? null,
    email,
    is_admin: opts.isAdmin ? 1 : 0,
    password_hash: null,
    created_at: Date.now(),
  };
  await db.insertInto('users').values(row).execute();
  return toUser(row);
}

export async function getUser(db: Kysely<HubDatabase>, tenantId: string, userId: string): Promise<HubUser> {
  const r = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst();
  if (!r) throw new ForcebridgeError('user.not_found', 'not_found', 'no such user in this organization');
  return toUser(r);
}

/** scrypt hash for step-up passwords: `scrypt$16384$salt$hash`. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 16384 });
  return `scrypt$16384$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export function verifyPassword(password: string, stored: string | null): boolean {
  if (!stored) return false;
  const [alg, n, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !n || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64url');
  const got = scryptSync(password, Buffer.from(salt, 'base64url'), want.length, { N: Number(n) });
  return timingSafeEqual(want, got);
}

export async function setUserPassword(db: Kysely<HubDatabase>, tenantId: string, userId: string, password: string): Promise<void> {
  if (password.length < 10)
    throw new ForcebridgeError('user.password_weak', 'invalid_input', 'the password must have at least 10 characters', { field: 'password' });
  await db
    .updateTable('users')
    .set({ password_hash: hashPassword(password) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .execute();
}
