/**
 * Preparing a write: validate against describe for the connection's user, read the record's
 * current values and LastModifiedDate, and store a pending proposal. Nothing is written to
 * Salesforce here; execution happens only when a person approves (execute.ts).
 */
import { ForcebridgeError } from '../../errors.js';
import { recordTransition } from '../audit.js';
import type { AgentContext } from '../context.js';
import { describeFor, findField } from '../describe-cache.js';
import type { ObjectDescribe } from '../sf-answers.js';
import { readByExternalId, readRecord, sameValue } from './records.js';
import { ProposalsRepo, type Change, type FieldValue, type NewProposal, type Proposal } from './repo.js';
import { checkFields, checkObject, idProblem, throwProblems, type Problem } from './validate.js';

export interface PrepareOptions {
  /** The executed proposal this one undoes. */
  undoOf?: string;
}

function noFields(): ForcebridgeError {
  return new ForcebridgeError('agent.no_fields', 'invalid_input', 'fields is empty: say which fields to set', {
    field: 'fields',
    hint: 'e.g. {"Phone": "+1 555 0100"}',
  });
}

function idChecks(d: ObjectDescribe, id: string): Problem[] {
  const p = idProblem(id, d.keyPrefix);
  return p ? [{ field: 'recordId', message: p, hint: 'pass the record’s 15- or 18-character Id' }] : [];
}

/** Changes of an update from the current values; refuses an update that changes nothing. */
function updateChanges(object: string, current: Record<string, FieldValue>, fields: Record<string, FieldValue>): Change[] {
  const changes: Change[] = Object.entries(fields).map(([field, v]) => {
    const old = current[field] ?? null;
    return { field, old, new: v, ...(sameValue(old, v) ? { unchanged: true } : {}) };
  });
  if (changes.every((c) => c.unchanged)) {
    throw new ForcebridgeError('agent.no_change', 'invalid_input', `every field already has the proposed value on this ${object}; there is nothing to update`, {
      field: 'fields',
      hint: 'read the record again with get_record and propose only values that differ',
      details: { unchanged: changes.map((c) => c.field) },
    });
  }
  return changes;
}

async function store(ctx: AgentContext, p: Omit<NewProposal, 'tenantId' | 'connectionId' | 'requestedBy'>, o: PrepareOptions): Promise<Proposal> {
  const repo = new ProposalsRepo(ctx.hub.store.db);
  const created = await repo.create({
    ...p,
    tenantId: ctx.user.tenantId,
    connectionId: ctx.connection.id,
    requestedBy: ctx.user.id,
    ...(o.undoOf ? { undoOf: o.undoOf } : {}),
  });
  await recordTransition(ctx.hub, {
    tenantId: ctx.user.tenantId,
    userId: ctx.user.id,
    connectionId: ctx.connection.id,
    name: 'prepared',
    input: { operation: p.operation, object: p.object, recordId: p.recordId ?? null, fields: p.changes.map((c) => c.field) },
    outcome: 'ok',
    proposalId: created.id,
  });
  return created;
}

export interface CreateInput {
  object: string;
  fields: Record<string, FieldValue>;
  reason: string;
}

export async function prepareCreate(ctx: AgentContext, i: CreateInput, o: PrepareOptions = {}): Promise<Proposal> {
  if (Object.keys(i.fields).length === 0) throw noFields();
  const d = await describeFor(ctx, i.object);
  checkObject(d, 'create');
  const checked = checkFields(d, i.fields, 'create');
  throwProblems(checked.problems);
  const changes = Object.entries(checked.fields).map(([field, v]) => ({ field, old: null, new: v }));
  return store(ctx, { operation: 'create', object: d.name, changes, reason: i.reason }, o);
}

export interface UpdateInput {
  object: string;
  recordId: string;
  fields: Record<string, FieldValue>;
  reason: string;
}

export async function prepareUpdate(ctx: AgentContext, i: UpdateInput, o: PrepareOptions = {}): Promise<Proposal> {
  if (Object.keys(i.fields).length === 0) throw noFields();
  const d = await describeFor(ctx, i.object);
  checkObject(d, 'update');
  const checked = checkFields(d, i.fields, 'update');
  throwProblems([...idChecks(d, i.recordId), ...checked.problems]);
  const current = await readRecord(ctx, d.name, i.recordId, Object.keys(checked.fields));
  const changes = updateChanges(d.name, current.values, checked.fields);
  return store(ctx, { operation: 'update', object: d.name, recordId: current.id, lastModifiedAt: current.lastModifiedDate, changes, reason: i.reason }, o);
}

export interface UpsertInput {
  object: string;
  externalIdField: string;
  externalIdValue: string;
  fields: Record<string, FieldValue>;
  reason: string;
}

export async function prepareUpsert(ctx: AgentContext, i: UpsertInput, o: PrepareOptions = {}): Promise<Proposal> {
  if (Object.keys(i.fields).length === 0) throw noFields();
  const d = await describeFor(ctx, i.object);
  const ext = findField(d, i.externalIdField);
  if (!ext || !(ext.externalId || ext.idLookup) || ext.type === 'id') {
    throw new ForcebridgeError(
      'agent.not_external_id',
      'invalid_input',
      `${i.externalIdField} is not an external id field of ${d.name} visible to the connection's Salesforce user`,
      {
        field: 'externalIdField',
        hint: 'use a field marked External ID in describe_object, or prepare_update with the record id',
      },
    );
  }
  if (i.externalIdValue.trim() === '')
    throw new ForcebridgeError('agent.external_id_empty', 'invalid_input', 'externalIdValue is empty', { field: 'externalIdValue' });
  const given = Object.entries(i.fields).find(([k]) => k.toLowerCase() === ext.name.toLowerCase());
  if (given && !sameValue(given[1], i.externalIdValue)) {
    throw new ForcebridgeError('agent.external_id_mismatch', 'invalid_input', `fields.${ext.name} differs from externalIdValue`, {
      field: `fields.${ext.name}`,
      hint: 'leave the external id out of fields; externalIdValue sets it',
    });
  }
  const rest = Object.fromEntries(Object.entries(i.fields).filter(([k]) => k.toLowerCase() !== ext.name.toLowerCase()));
  if (Object.keys(rest).length === 0) throw noFields();
  const existing = await readByExternalId(
    ctx,
    d.name,
    ext.name,
    i.externalIdValue,
    Object.keys(rest).filter((k) => findField(d, k)),
  );
  const base = { operation: 'upsert' as const, object: d.name, externalIdField: ext.name, externalIdValue: i.externalIdValue, reason: i.reason };
  if (existing) {
    checkObject(d, 'update');
    const checked = checkFields(d, rest, 'update');
    throwProblems(checked.problems);
    const changes = updateChanges(d.name, existing.values, checked.fields);
    return store(ctx, { ...base, recordId: existing.id, lastModifiedAt: existing.lastModifiedDate, changes }, o);
  }
  checkObject(d, 'create');
  // The external id is part of the created record, so it counts for required fields and types.
  const checked = checkFields(d, { ...rest, [ext.name]: i.externalIdValue }, 'create');
  throwProblems(checked.problems);
  const changes = Object.entries(checked.fields).map(([field, v]) => ({ field, old: null, new: v }));
  return store(ctx, { ...base, changes }, o);
}

export interface DeleteInput {
  object: string;
  recordId: string;
  reason: string;
}

export async function prepareDelete(ctx: AgentContext, i: DeleteInput, o: PrepareOptions = {}): Promise<Proposal> {
  const d = await describeFor(ctx, i.object);
  checkObject(d, 'delete');
  throwProblems(idChecks(d, i.recordId));
  const current = await readRecord(ctx, d.name, i.recordId);
  // What the delete removes: every settable field with a value (what undo's undelete brings back).
  const changes: Change[] = [];
  for (const f of d.fields) {
    const v = current.values[f.name];
    if (v === undefined || v === null || f.calculated || f.type === 'id' || !(f.createable || f.updateable)) continue;
    changes.push({ field: f.name, old: v, new: null });
  }
  return store(ctx, { operation: 'delete', object: d.name, recordId: current.id, lastModifiedAt: current.lastModifiedDate, changes, reason: i.reason }, o);
}
