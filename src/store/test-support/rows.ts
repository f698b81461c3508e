/**
 * Bare rows for migration tests that work below the repositories: a tenant `t1`, an integration
 * `i1` and a connection with the given id, as the feed's foreign key (SQLite) needs.
 */
import { sql, type Kysely } from 'kysely';

export async function insertBareConnection(db: Kysely<unknown>, id: string): Promise<void> {
  await sql`insert into tenants (id, name, created_at) values ('t1', 't1', 0)`.execute(db);
  await sql`insert into integrations (id, tenant_id, name, environment, client_id, login_host, flow, scopes, auth_timeout_ms, created_at, updated_at)
    values ('i1', 't1', 'i', 'production', 'c', 'login.salesforce.com', 'refresh_token', 'api', 1000, 0, 0)`.execute(db);
  await sql`insert into connections (id, tenant_id, integration_id, kind, name, state, created_at, updated_at) values (${id}, 't1', 'i1', 'org', 'c', 'connected', 0, 0)`.execute(
    db,
  );
}
