/**
 * Group id → name for a tenant, so answers show names people chose rather than ids.
 */
import type { Kysely } from 'kysely';
import type { HubDatabase } from '../store/schema.js';

export async function groupNames(db: Kysely<HubDatabase>, tenantId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('groups').select(['id', 'name']).where('tenant_id', '=', tenantId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
