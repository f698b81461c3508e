/**
 * The prepare tools: an agent proposes a create, update, upsert or delete; forcebridge validates
 * it against describe for the connection's Salesforce user, reads the record's current values and
 * stores a pending proposal. None of them writes to Salesforce — a person approves outside the
 * tool set (CLI `forcebridge proposals approve`, or the HTTP API).
 */
import { z } from 'zod';
import { defineTool, PREPARES, type AgentTool } from '../tool.js';
import { prepareCreate, prepareDelete, prepareUpdate, prepareUpsert } from './prepare.js';
import type { Proposal } from './repo.js';
import { diffText, reviewFor } from './view.js';

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const object = z.string().min(1).max(80).meta({ description: 'object API name, e.g. Account or Invoice__c' });
const recordId = z.string().min(15).max(18).meta({ description: 'the record’s 15- or 18-character Id' });
const fields = z.record(z.string().min(1).max(80), fieldValue).meta({ description: 'field API name → new value (null clears it)' });
const reason = z.string().trim().min(1).max(2000).meta({ description: 'why this change is wanted, shown to the person who approves it' });

/** How a person reviews and approves a proposal (CLI commands and HTTP endpoints). */
export const reviewSchema = z.object({
  show: z.string(),
  approve: z.string(),
  reject: z.string(),
  http: z.object({ show: z.string(), approve: z.string(), reject: z.string() }),
  note: z.string(),
});

const output = z.object({
  proposalId: z.string(),
  status: z.literal('pending'),
  operation: z.enum(['create', 'update', 'upsert', 'delete']),
  object: z.string(),
  recordId: z.string().nullable(),
  diff: z.string().meta({ description: 'human-readable summary of the change' }),
  changes: z.array(z.object({ field: z.string(), old: fieldValue, new: fieldValue, unchanged: z.boolean().optional() })),
  review: reviewSchema,
});

function answer(p: Proposal): z.output<typeof output> {
  return {
    proposalId: p.id,
    status: 'pending',
    operation: p.operation as 'create' | 'update' | 'upsert' | 'delete',
    object: p.object,
    recordId: p.recordId,
    diff: diffText(p),
    changes: p.changes,
    review: reviewFor(p.id),
  };
}

const NEVER_WRITES = 'Writes nothing to Salesforce: it stores a proposal that a person must approve; the answer says how.';

export const prepareCreateTool = defineTool({
  name: 'prepare_create',
  title: 'Propose creating a record',
  description: `Proposes a new record. Checks the object and every field against describe for the connection's user (createable, type, length, picklist values, required fields). ${NEVER_WRITES}`,
  input: z.object({ object, fields, reason }).strict(),
  output,
  annotations: PREPARES,
  run: async (ctx, i) => answer(await prepareCreate(ctx, i)),
});

export const prepareUpdateTool = defineTool({
  name: 'prepare_update',
  title: 'Propose updating a record',
  description: `Proposes new values for fields of one record, shown beside the current values. Refused when nothing would change. At approval the write is refused if the record changed since. ${NEVER_WRITES}`,
  input: z.object({ object, recordId, fields, reason }).strict(),
  output,
  annotations: PREPARES,
  run: async (ctx, i) => answer(await prepareUpdate(ctx, i)),
});

export const prepareUpsertTool = defineTool({
  name: 'prepare_upsert',
  title: 'Propose an upsert by external id',
  description: `Proposes creating or updating the record whose external id field has the given value (updates show current values). ${NEVER_WRITES}`,
  input: z
    .object({
      object,
      externalIdField: z.string().min(1).max(80).meta({ description: 'an External ID field, e.g. ERP_Id__c' }),
      externalIdValue: z.string().min(1).max(255),
      fields,
      reason,
    })
    .strict(),
  output,
  annotations: PREPARES,
  run: async (ctx, i) => answer(await prepareUpsert(ctx, i)),
});

export const prepareDeleteTool = defineTool({
  name: 'prepare_delete',
  title: 'Propose deleting a record',
  description: `Proposes moving one record to the Recycle Bin, listing the values it holds. An executed delete can be undone (restored) by a person. ${NEVER_WRITES}`,
  input: z.object({ object, recordId, reason }).strict(),
  output,
  annotations: PREPARES,
  run: async (ctx, i) => answer(await prepareDelete(ctx, i)),
});

/** Every prepare tool, for the tool registry. */
export const proposalTools: AgentTool[] = [prepareCreateTool, prepareUpdateTool, prepareUpsertTool, prepareDeleteTool] as unknown as AgentTool[];
