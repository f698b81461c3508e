/**
 * The HTTP API's own state: API keys get a label and the time of their last step-up
 * re-authentication (the "session" a step-up is recorded on), and pending device flows are kept
 * server-side so any API process can answer a poll.
 */
import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.js';

export const apiSessionsMigration: Migration = {
  name: '0002-api-sessions',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('api_keys').addColumn('name', 'text').execute();
    await db.schema.alterTable('api_keys').addColumn('step_up_at', 'bigint').execute();
    await db.schema
      .createTable('device_flows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id').onDelete('cascade'))
      .addColumn('device_code_enc', 'text', (c) => c.notNull())
      .addColumn('user_code', 'text', (c) => c.notNull())
      .addColumn('verification_uri', 'text', (c) => c.notNull())
      .addColumn('interval_s', 'integer', (c) => c.notNull())
      .addColumn('connection_id', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
