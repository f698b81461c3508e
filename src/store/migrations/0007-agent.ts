/**
 * Agent writes as proposals a person approves, and the agent audit log. A proposal keeps what the
 * agent asked for (operation, object, record, each field's old and new value, the record's
 * LastModifiedDate when it was prepared, the agent's reason), who decided and when, and what
 * Salesforce answered. The audit log has one row per tool call and per proposal transition.
 * Both are tenant-scoped; every query filters by tenant_id.
 */
import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.js';

export const agentMigration: Migration = {
  name: '0007-agent',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('agent_proposals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('object', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text')
      .addColumn('external_id_field', 'text')
      .addColumn('external_id_value', 'text')
      .addColumn('changes_json', 'text', (c) => c.notNull())
      .addColumn('last_modified_at', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('result_json', 'text')
      .addColumn('error_json', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'bigint')
      .addColumn('undo_of', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('agent_proposals_tenant').on('agent_proposals').columns(['tenant_id', 'status', 'created_at']).execute();
    await db.schema.createIndex('agent_proposals_connection').on('agent_proposals').columns(['tenant_id', 'connection_id', 'created_at']).execute();
    await db.schema
      .createTable('agent_audit')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('connection_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('input_json', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('proposal_id', 'text')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('agent_audit_tenant_at').on('agent_audit').columns(['tenant_id', 'at']).execute();
    await db.schema.createIndex('agent_audit_proposal').on('agent_audit').columns(['tenant_id', 'proposal_id']).execute();
  },
};
