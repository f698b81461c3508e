/**
 * A person's decision on a proposal: approve (then execute), reject, or undo an executed one.
 * Only a person who may use the proposal's connection can decide; anyone else — another tenant,
 * another user's connection — gets "not found". Every transition is conditional on the status
 * it leaves, so a proposal is decided once, and every transition is audited.
 *
 * Execution never trusts the prepare-time read: it re-reads the record and compares its
 * LastModifiedDate and the proposed fields' values; an update additionally sends
 * `If-Unmodified-Since` so an edit between that read and the write is refused by Salesforce
 * (412). A changed record marks the proposal `stale` with what changed, and nothing is written.
 */
import type { Hub } from '../../connections/hub.js';
import type { HubUser } from '../../connections/tenancy.js';
import { ForcebridgeError } from '../../errors.js';
import { salesforceError } from '../../salesforce/errors.js';
import type { HttpResponse } from '../../salesforce/transport.js';
import { usableConnection } from '../../connections/usable.js';
import { recordTransition } from '../audit.js';
import { openAgentContext, type AgentContext } from '../context.js';
import { describeFor } from '../describe-cache.js';
import { prepareDelete, prepareUpdate } from './prepare.js';
import { httpDate, isDeleted, readByExternalId, readRecord, sameValue, type CurrentRecord } from './records.js';
import { proposalNotFound, ProposalsRepo, type FieldValue, type Proposal, type ProposalStatus } from './repo.js';
import { soapUndelete } from './soap-undelete.js';
import { checkObject } from './validate.js';

/** One-line explanations of Salesforce's refusals, shown beside its own message. */
const EXPLAIN: Record<string, string> = {
  FIELD_CUSTOM_VALIDATION_EXCEPTION:
    'a validation rule in the org refused these values; its message says what it wants — prepare a new proposal with values that satisfy it',
  REQUIRED_FIELD_MISSING: 'Salesforce requires a field this proposal does not set; prepare a new proposal that includes it',
  DUPLICATES_DETECTED: 'a duplicate rule matched an existing record; check that record before proposing again',
  DUPLICATE_VALUE: 'a unique field already has this value on another record',
  INSUFFICIENT_ACCESS_OR_READONLY: 'the connection’s Salesforce user may not change this record (permission, field-level security or sharing)',
  ENTITY_IS_DELETED: 'the record was deleted since the proposal was prepared',
  UNDELETE_FAILED: 'Salesforce could not restore the record from the Recycle Bin',
  INVALID_CROSS_REFERENCE_KEY: 'a lookup value points to a record that does not exist',
};

type Outcome = { status: 'executed'; result: Record<string, unknown> } | { status: 'stale' | 'failed'; error: Record<string, unknown> };

interface StaleChange {
  field: string;
  old: FieldValue;
  current: FieldValue;
}

function stale(message: string, changed: StaleChange[], extra: Record<string, unknown> = {}): Outcome {
  return { status: 'stale', error: { code: 'proposal.stale', message, changed, ...extra } };
}

/** A failed outcome from a Salesforce error answer, keeping its error array verbatim. */
function sfFailure(res: HttpResponse, what: string): Outcome {
  let verbatim: unknown = res.body;
  try {
    verbatim = JSON.parse(res.body);
  } catch {
    // not JSON: kept as text
  }
  const e = salesforceError(res, what);
  const code = e.salesforce?.errorCode;
  return {
    status: 'failed',
    error: {
      code: e.code,
      message: e.message,
      explanation: (code && EXPLAIN[code]) ?? 'Salesforce refused the write; its message says why',
      salesforce: { status: res.status, errors: verbatim },
    },
  };
}

function failure(e: unknown): Outcome {
  if (e instanceof ForcebridgeError) {
    const code = e.salesforce?.errorCode;
    return { status: 'failed', error: { ...e.toJSON(), explanation: (code && EXPLAIN[code]) ?? e.hint ?? 'the write was not done' } };
  }
  return {
    status: 'failed',
    error: {
      code: 'internal',
      message: e instanceof Error ? e.message : String(e),
      explanation: 'an unexpected error on forcebridge’s side; nothing was written',
    },
  };
}

/** What changed in the record since the proposal was prepared (fields of the proposal). */
function drift(p: Proposal, cur: CurrentRecord): StaleChange[] {
  return p.changes.filter((c) => !sameValue(c.old, cur.values[c.field])).map((c) => ({ field: c.field, old: c.old, current: cur.values[c.field] ?? null }));
}

function staleIfChanged(p: Proposal, cur: CurrentRecord): Outcome | undefined {
  const changed = drift(p, cur);
  const moved = p.lastModifiedAt !== null && !sameValue(p.lastModifiedAt, cur.lastModifiedDate);
  if (!changed.length && !moved) return undefined;
  const what = changed.length ? changed.map((c) => `${c.field} ${JSON.stringify(c.old)} → ${JSON.stringify(c.current)}`).join(', ') : 'other fields';
  return stale(`${p.object} ${cur.id} changed since the proposal was prepared (${what}); nothing was written`, changed, {
    lastModifiedAt: { prepared: p.lastModifiedAt, current: cur.lastModifiedDate },
  });
}

const bodyOf = (p: Proposal, skip?: string | null) => Object.fromEntries(p.changes.filter((c) => c.field !== skip).map((c) => [c.field, c.new]));

function parseJsonObject(res: HttpResponse): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(res.body) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A 201/200 SaveResult must carry a string id. */
function savedId(res: HttpResponse, what: string): string {
  const j = parseJsonObject(res);
  if (typeof j?.id !== 'string')
    throw new ForcebridgeError('salesforce.unexpected_response', 'remote_protocol', `${what}: HTTP ${res.status} without a record "id"`);
  return j.id;
}

async function runUpdate(ctx: AgentContext, p: Proposal): Promise<Outcome> {
  const fields = p.changes.map((c) => c.field);
  const before = await readRecord(ctx, p.object, p.recordId!, fields);
  const s = staleIfChanged(p, before);
  if (s) return s;
  const res = await ctx.client.send({
    method: 'PATCH',
    path: `/sobjects/${p.object}/${p.recordId}`,
    body: bodyOf(p),
    headers: { 'If-Unmodified-Since': httpDate(p.lastModifiedAt!) },
  });
  if (res.status === 412) {
    const now = await readRecord(ctx, p.object, p.recordId!, fields);
    return (
      staleIfChanged(p, now) ??
      stale(`${p.object} ${p.recordId} was modified after the proposal was prepared (Salesforce answered 412); nothing was written`, [], {
        lastModifiedAt: { prepared: p.lastModifiedAt, current: now.lastModifiedDate },
      })
    );
  }
  if (res.status !== 204 && res.status !== 200) return sfFailure(res, `PATCH ${p.object}/${p.recordId}`);
  return { status: 'executed', result: { id: p.recordId } };
}

async function runCreate(ctx: AgentContext, p: Proposal): Promise<Outcome> {
  const res = await ctx.client.send({ method: 'POST', path: `/sobjects/${p.object}`, body: bodyOf(p) });
  if (res.status !== 201) return sfFailure(res, `POST ${p.object}`);
  return { status: 'executed', result: { id: savedId(res, `POST ${p.object}`), created: true } };
}

async function runUpsert(ctx: AgentContext, p: Proposal): Promise<Outcome> {
  const field = p.externalIdField!;
  const value = p.externalIdValue!;
  const fields = p.changes.map((c) => c.field).filter((f) => f !== field);
  const now = await readByExternalId(ctx, p.object, field, value, fields);
  if (p.recordId === null && now) {
    return stale(`a ${p.object} with ${field} = ${JSON.stringify(value)} was created since the proposal was prepared (${now.id}); nothing was written`, [], {
      recordId: now.id,
    });
  }
  if (p.recordId !== null) {
    if (!now || now.id !== p.recordId) {
      return stale(`${p.object} ${p.recordId} no longer has ${field} = ${JSON.stringify(value)}; nothing was written`, [{ field, old: value, current: null }]);
    }
    const s = staleIfChanged(p, now);
    if (s) return s;
  }
  const path = `/sobjects/${p.object}/${field}/${encodeURIComponent(value)}`;
  const res = await ctx.client.send({ method: 'PATCH', path, body: bodyOf(p, field) });
  if (res.status === 204) return { status: 'executed', result: { id: p.recordId, created: false } };
  if (res.status !== 200 && res.status !== 201) return sfFailure(res, `PATCH ${path}`);
  return { status: 'executed', result: { id: savedId(res, `PATCH ${path}`), created: res.status === 201 } };
}

async function runDelete(ctx: AgentContext, p: Proposal): Promise<Outcome> {
  const now = await readRecord(ctx, p.object, p.recordId!);
  const s = staleIfChanged(p, now);
  if (s) return s;
  const res = await ctx.client.send({ method: 'DELETE', path: `/sobjects/${p.object}/${p.recordId}` });
  if (res.status !== 204) return sfFailure(res, `DELETE ${p.object}/${p.recordId}`);
  return { status: 'executed', result: { id: p.recordId, deleted: true } };
}

async function runUndelete(ctx: AgentContext, p: Proposal): Promise<Outcome> {
  const deleted = await isDeleted(ctx, p.object, p.recordId!);
  if (deleted === undefined) return stale(`${p.object} ${p.recordId} is no longer in the Recycle Bin (emptied or purged); it cannot be restored`, []);
  if (!deleted) return stale(`${p.object} ${p.recordId} is not deleted any more; nothing was done`, []);
  const o = await soapUndelete(ctx, p.recordId!);
  if (o.ok) return { status: 'executed', result: { id: o.id, undeleted: true } };
  const code = o.errors[0]?.statusCode ?? 'UNKNOWN';
  return {
    status: 'failed',
    error: {
      code: `salesforce.${code.toLowerCase()}`,
      message: `undelete ${p.object} ${p.recordId}: ${o.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`,
      explanation: EXPLAIN[code] ?? 'Salesforce refused to restore the record; its message says why',
      salesforce: { errors: o.errors },
    },
  };
}

const RUN: Record<Proposal['operation'], (ctx: AgentContext, p: Proposal) => Promise<Outcome>> = {
  create: runCreate,
  update: runUpdate,
  upsert: runUpsert,
  delete: runDelete,
  undelete: runUndelete,
};

/** The proposal if `user` may use its connection; otherwise not_found (nothing leaks). */
export async function accessibleProposal(hub: Hub, user: HubUser, id: string): Promise<Proposal> {
  const p = await new ProposalsRepo(hub.store.db).get(user.tenantId, id);
  try {
    await usableConnection(hub, user, p.connectionId);
  } catch (e) {
    if (e instanceof ForcebridgeError && e.kind === 'not_found') throw proposalNotFound(id);
    throw e;
  }
  return p;
}

function alreadyDecided(p: Proposal, verb: string): ForcebridgeError {
  return new ForcebridgeError('proposal.already_decided', 'conflict', `proposal ${p.id} is ${p.status}; only a pending proposal can be ${verb}`, {
    field: 'id',
    hint:
      p.status === 'stale' || p.status === 'failed'
        ? 'ask the agent to prepare a new proposal from the current record'
        : `see it with forcebridge proposals show ${p.id}`,
  });
}

/** Moves a proposal from one status to another (conditionally) and audits the transition. */
export async function moveProposal(
  hub: Hub,
  user: HubUser,
  p: Proposal,
  from: ProposalStatus,
  to: ProposalStatus,
  set: Parameters<ProposalsRepo['transition']>[4] = {},
  errorCode?: string,
): Promise<boolean> {
  const ok = await new ProposalsRepo(hub.store.db).transition(user.tenantId, p.id, from, to, set);
  if (ok) {
    await recordTransition(hub, {
      tenantId: user.tenantId,
      userId: user.id,
      connectionId: p.connectionId,
      name: to,
      input: { from, operation: p.operation, object: p.object, recordId: p.recordId },
      outcome: to === 'stale' || to === 'failed' ? 'error' : 'ok',
      errorCode: errorCode ?? null,
      proposalId: p.id,
    });
  }
  return ok;
}

/**
 * Approves a pending proposal and executes it at once as the connection's Salesforce user.
 * Returns the proposal as it ended: `executed`, `stale` (the record changed; nothing written) or
 * `failed` (Salesforce refused; its errors kept verbatim).
 */
export async function approveProposal(hub: Hub, user: HubUser, id: string): Promise<Proposal> {
  const repo = new ProposalsRepo(hub.store.db);
  const p = await accessibleProposal(hub, user, id);
  if (p.status !== 'pending') throw alreadyDecided(p, 'approved');
  if (!(await moveProposal(hub, user, p, 'pending', 'approved', { decidedBy: user.id }))) throw alreadyDecided(await repo.get(user.tenantId, id), 'approved');
  await moveProposal(hub, user, p, 'approved', 'executing');
  let outcome: Outcome;
  try {
    const ctx = await openAgentContext(hub, user, p.connectionId);
    outcome = await RUN[p.operation](ctx, p);
  } catch (e) {
    outcome = failure(e);
  }
  if (outcome.status === 'executed') await moveProposal(hub, user, p, 'executing', 'executed', { result: outcome.result });
  else await moveProposal(hub, user, p, 'executing', outcome.status, { error: outcome.error }, String(outcome.error.code));
  return repo.get(user.tenantId, id);
}

/** Rejects a pending proposal; Salesforce is not called. */
export async function rejectProposal(hub: Hub, user: HubUser, id: string, note?: string): Promise<Proposal> {
  const repo = new ProposalsRepo(hub.store.db);
  const p = await accessibleProposal(hub, user, id);
  if (p.status !== 'pending') throw alreadyDecided(p, 'rejected');
  const set = { decidedBy: user.id, ...(note ? { result: { note } } : {}) };
  if (!(await moveProposal(hub, user, p, 'pending', 'rejected', set))) throw alreadyDecided(await repo.get(user.tenantId, id), 'rejected');
  return repo.get(user.tenantId, id);
}

/**
 * Prepares the reverse of an executed proposal as a new pending proposal (never executed
 * directly): an update or updating upsert → an update restoring the old values; a delete → an
 * undelete; a create or creating upsert → a delete.
 */
export async function undoProposal(hub: Hub, user: HubUser, id: string, reason?: string): Promise<Proposal> {
  const p = await accessibleProposal(hub, user, id);
  if (p.status !== 'executed') {
    throw new ForcebridgeError('proposal.not_executed', 'conflict', `proposal ${p.id} is ${p.status}; only an executed proposal can be undone`, {
      field: 'id',
    });
  }
  const ctx = await openAgentContext(hub, user, p.connectionId);
  const why = `undo of ${p.id}${reason ? `: ${reason}` : ` (${p.reason})`}`;
  const createdId = typeof p.result?.id === 'string' ? p.result.id : undefined;
  const created = p.operation === 'create' || (p.operation === 'upsert' && p.result?.created === true);
  if (created) {
    if (!createdId) throw new ForcebridgeError('proposal.undo_unavailable', 'conflict', `proposal ${p.id} has no created record id to delete`, { field: 'id' });
    return prepareDelete(ctx, { object: p.object, recordId: createdId, reason: why }, { undoOf: p.id });
  }
  if (p.operation === 'update' || p.operation === 'upsert') {
    const fields = Object.fromEntries(p.changes.filter((c) => !c.unchanged && c.field !== p.externalIdField).map((c) => [c.field, c.old]));
    return prepareUpdate(ctx, { object: p.object, recordId: p.recordId!, fields, reason: why }, { undoOf: p.id });
  }
  if (p.operation === 'delete') {
    const d = await describeFor(ctx, p.object);
    checkObject(d, 'undelete');
    const deleted = await isDeleted(ctx, p.object, p.recordId!);
    if (deleted !== true) {
      throw new ForcebridgeError(
        'proposal.undo_unavailable',
        'conflict',
        `${p.object} ${p.recordId} is ${deleted === false ? 'not deleted any more' : 'no longer in the Recycle Bin'}; there is nothing to restore`,
        {
          field: 'id',
        },
      );
    }
    const repo = new ProposalsRepo(hub.store.db);
    const u = await repo.create({
      tenantId: user.tenantId,
      connectionId: p.connectionId,
      requestedBy: user.id,
      operation: 'undelete',
      object: p.object,
      recordId: p.recordId,
      changes: p.changes.map((c) => ({ field: c.field, old: null, new: c.old })),
      reason: why,
      undoOf: p.id,
    });
    await recordTransition(hub, {
      tenantId: user.tenantId,
      userId: user.id,
      connectionId: p.connectionId,
      name: 'prepared',
      input: { operation: 'undelete', object: p.object, recordId: p.recordId, undoOf: p.id },
      outcome: 'ok',
      proposalId: u.id,
    });
    return u;
  }
  throw new ForcebridgeError('proposal.undo_unsupported', 'invalid_input', `an executed ${p.operation} cannot be undone; delete the record again if needed`, {
    field: 'id',
  });
}
