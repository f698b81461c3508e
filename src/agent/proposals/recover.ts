/**
 * Settling a proposal whose execution was interrupted (the process stopped between `executing`
 * and its outcome). Nothing is written again: the record is re-read, and the proposal becomes
 * `executed` when Salesforce shows the proposed change, or `failed` with `proposal.interrupted`
 * (and what the record shows now) when it does not — a person then prepares it again if wanted.
 */
import type { Hub } from '../../connections/hub.js';
import type { HubUser } from '../../connections/tenancy.js';
import { ForcebridgeError } from '../../errors.js';
import { openAgentContext, type AgentContext } from '../context.js';
import { accessibleProposal, moveProposal } from './execute.js';
import { isDeleted, readByExternalId, readRecord, sameValue, type CurrentRecord } from './records.js';
import { ProposalsRepo, type Proposal } from './repo.js';

/** An execution takes seconds; one still `executing` after this long was interrupted. */
export const EXECUTION_GRACE_MS = 2 * 60_000;

type Settled = { status: 'executed'; result: Record<string, unknown> } | { status: 'failed'; error: Record<string, unknown> };

function interrupted(message: string, extra: Record<string, unknown> = {}): Settled {
  return { status: 'failed', error: { code: 'proposal.interrupted', message, ...extra } };
}

/** Whether the record shows every proposed new value; the differences otherwise. */
function shows(p: Proposal, rec: CurrentRecord): { field: string; proposed: unknown; current: unknown }[] {
  return p.changes
    .filter((c) => !sameValue(rec.values[c.field], c.new))
    .map((c) => ({ field: c.field, proposed: c.new, current: rec.values[c.field] ?? null }));
}

const SETTLE: Record<Proposal['operation'], (ctx: AgentContext, p: Proposal) => Promise<Settled>> = {
  async update(ctx, p) {
    const rec = await readRecord(
      ctx,
      p.object,
      p.recordId!,
      p.changes.map((c) => c.field),
    );
    const diff = shows(p, rec);
    if (!diff.length) return { status: 'executed', result: { id: p.recordId, recovered: true } };
    return interrupted(`execution was interrupted and ${p.object} ${p.recordId} does not show the proposed values: the update did not happen`, {
      current: diff,
    });
  },
  async upsert(ctx, p) {
    const rec = await readByExternalId(
      ctx,
      p.object,
      p.externalIdField!,
      p.externalIdValue!,
      p.changes.map((c) => c.field),
    );
    if (rec && !shows(p, rec).length) return { status: 'executed', result: { id: rec.id, recovered: true } };
    return interrupted(
      `execution was interrupted and no ${p.object} with ${p.externalIdField} = ${p.externalIdValue} shows the proposed values: the upsert did not happen`,
    );
  },
  async delete(ctx, p) {
    // Deleted, or already purged from the Recycle Bin: either way the delete happened.
    if ((await isDeleted(ctx, p.object, p.recordId!)) !== false) return { status: 'executed', result: { id: p.recordId, deleted: true, recovered: true } };
    return interrupted(`execution was interrupted and ${p.object} ${p.recordId} is still there: the delete did not happen`);
  },
  async undelete(ctx, p) {
    if ((await isDeleted(ctx, p.object, p.recordId!)) === false) return { status: 'executed', result: { id: p.recordId, undeleted: true, recovered: true } };
    return interrupted(`execution was interrupted and ${p.object} ${p.recordId} is still deleted: the undelete did not happen`);
  },
  async create(_ctx, p) {
    // A created record has no id the proposal knows: whether it exists cannot be told safely.
    return interrupted(`execution was interrupted; whether the ${p.object} was created cannot be told from the proposal`, {
      explanation: `search for it (e.g. the query tool on ${p.object} with the proposed values) before preparing it again, so it is not created twice`,
    });
  },
};

/** Settles an interrupted execution of proposal `id` (see the module comment). */
export async function recoverProposal(hub: Hub, user: HubUser, id: string, now = Date.now()): Promise<Proposal> {
  const p = await accessibleProposal(hub, user, id);
  if (p.status !== 'executing') {
    throw new ForcebridgeError('proposal.not_interrupted', 'conflict', `proposal ${p.id} is ${p.status}, not an interrupted execution`, {
      field: 'id',
      hint: 'only a proposal left "executing" can be recovered',
    });
  }
  if (now - p.updatedAt < EXECUTION_GRACE_MS) {
    throw new ForcebridgeError('proposal.still_executing', 'conflict', `proposal ${p.id} started executing ${Math.round((now - p.updatedAt) / 1000)} s ago`, {
      field: 'id',
      hint: `an execution takes seconds; recover it if it is still executing after ${EXECUTION_GRACE_MS / 60_000} minutes`,
    });
  }
  const ctx = await openAgentContext(hub, user, p.connectionId);
  const s = await SETTLE[p.operation](ctx, p);
  if (s.status === 'executed') await moveProposal(hub, user, p, 'executing', 'executed', { result: s.result });
  else await moveProposal(hub, user, p, 'executing', 'failed', { error: s.error }, 'proposal.interrupted');
  return new ProposalsRepo(hub.store.db).get(user.tenantId, id);
}
