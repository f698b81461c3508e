/**
 * Proposals in the hub's database. Every query is scoped by tenant; status changes are
 * conditional UPDATEs (`where status = from`), so two people approving at once cannot both win.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ForcebridgeError } from '../../errors.js';
import type { AgentProposalsTable, HubDatabase } from '../../store/schema.js';

export const PROPOSAL_STATUSES = ['pending', 'approved', 'executing', 'executed', 'rejected', 'stale', 'failed'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
export const OPERATIONS = ['create', 'update', 'upsert', 'delete', 'undelete'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** JSON values as Salesforce's REST API carries them. */
export type FieldValue = string | number | boolean | null;

export interface Change {
  field: string;
  /** The value when prepared; null for creates (and absent values). */
  old: FieldValue;
  new: FieldValue;
  /** Set when the new value equals the current one (reported, still sent). */
  unchanged?: boolean;
}

export interface Proposal {
  id: string;
  tenantId: string;
  connectionId: string;
  requestedBy: string;
  status: ProposalStatus;
  operation: Operation;
  object: string;
  recordId: string | null;
  externalIdField: string | null;
  externalIdValue: string | null;
  changes: Change[];
  /** The record's LastModifiedDate when prepared (Salesforce ISO form). */
  lastModifiedAt: string | null;
  reason: string;
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  decidedBy: string | null;
  decidedAt: number | null;
  undoOf: string | null;
  createdAt: number;
  updatedAt: number;
}

export type NewProposal = Pick<Proposal, 'tenantId' | 'connectionId' | 'requestedBy' | 'operation' | 'object' | 'changes' | 'reason'> &
  Partial<Pick<Proposal, 'recordId' | 'externalIdField' | 'externalIdValue' | 'lastModifiedAt' | 'undoOf'>>;

function parseJson<T>(s: string | null): T | null {
  return s === null ? null : (JSON.parse(s) as T);
}

function toProposal(r: AgentProposalsTable): Proposal {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    connectionId: r.connection_id,
    requestedBy: r.requested_by,
    status: r.status as ProposalStatus,
    operation: r.operation as Operation,
    object: r.object,
    recordId: r.record_id,
    externalIdField: r.external_id_field,
    externalIdValue: r.external_id_value,
    changes: JSON.parse(r.changes_json) as Change[],
    lastModifiedAt: r.last_modified_at,
    reason: r.reason,
    result: parseJson(r.result_json),
    error: parseJson(r.error_json),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at === null ? null : Number(r.decided_at),
    undoOf: r.undo_of,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function proposalNotFound(id: string): ForcebridgeError {
  return new ForcebridgeError('proposal.not_found', 'not_found', `no proposal "${id}"`, {
    field: 'id',
    hint: 'list yours with `forcebridge proposals list` or GET /api/v1/proposals',
  });
}

export interface ListFilters {
  status?: ProposalStatus | undefined;
  connectionIds?: string[] | undefined;
  limit?: number | undefined;
}

export class ProposalsRepo {
  constructor(private readonly db: Kysely<HubDatabase>) {}

  async create(p: NewProposal, now = Date.now()): Promise<Proposal> {
    const row: AgentProposalsTable = {
      id: `prp_${randomUUID()}`,
      tenant_id: p.tenantId,
      connection_id: p.connectionId,
      requested_by: p.requestedBy,
      status: 'pending',
      operation: p.operation,
      object: p.object,
      record_id: p.recordId ?? null,
      external_id_field: p.externalIdField ?? null,
      external_id_value: p.externalIdValue ?? null,
      changes_json: JSON.stringify(p.changes),
      last_modified_at: p.lastModifiedAt ?? null,
      reason: p.reason,
      result_json: null,
      error_json: null,
      decided_by: null,
      decided_at: null,
      undo_of: p.undoOf ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('agent_proposals').values(row).execute();
    return toProposal(row);
  }

  /** The proposal, or not_found (also for another tenant's). */
  async get(tenantId: string, id: string): Promise<Proposal> {
    const r = await this.db.selectFrom('agent_proposals').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) throw proposalNotFound(id);
    return toProposal(r);
  }

  /** Newest first. `connectionIds` restricts to connections the caller may use. */
  async list(tenantId: string, f: ListFilters = {}): Promise<Proposal[]> {
    if (f.connectionIds && f.connectionIds.length === 0) return [];
    let q = this.db.selectFrom('agent_proposals').selectAll().where('tenant_id', '=', tenantId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.connectionIds) q = q.where('connection_id', 'in', f.connectionIds);
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(f.limit ?? 100)
      .execute();
    return rows.map(toProposal);
  }

  /**
   * Moves a proposal from one status to another only if it is still in `from`; returns false
   * when someone else moved it first.
   */
  async transition(
    tenantId: string,
    id: string,
    from: ProposalStatus,
    to: ProposalStatus,
    set: { decidedBy?: string; result?: Record<string, unknown>; error?: Record<string, unknown> } = {},
    now = Date.now(),
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('agent_proposals')
      .set({
        status: to,
        updated_at: now,
        ...(set.decidedBy ? { decided_by: set.decidedBy, decided_at: now } : {}),
        ...(set.result ? { result_json: JSON.stringify(set.result) } : {}),
        ...(set.error ? { error_json: JSON.stringify(set.error) } : {}),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
