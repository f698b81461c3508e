/** Response shapes of the proposals and audit endpoints (one schema, also the OpenAPI component). */
import { z } from 'zod';
import { reviewSchema } from '../../../../agent/proposals/tools.js';
import { OPERATIONS, PROPOSAL_STATUSES } from '../../../../agent/proposals/repo.js';

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const proposalSchema = z
  .object({
    id: z.string(),
    status: z.enum(PROPOSAL_STATUSES),
    operation: z.enum(OPERATIONS),
    object: z.string(),
    recordId: z.string().nullable(),
    externalIdField: z.string().nullable(),
    externalIdValue: z.string().nullable(),
    connectionId: z.string(),
    requestedBy: z.string().meta({ description: 'hub user id whose agent prepared it' }),
    reason: z.string(),
    changes: z.array(z.object({ field: z.string(), old: fieldValue, new: fieldValue, unchanged: z.boolean().optional() })),
    diff: z.string().meta({ description: 'human-readable summary' }),
    lastModifiedAt: z.string().nullable().meta({ description: 'the record’s LastModifiedDate when prepared' }),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'stale: {code, message, changed:[{field, old, current}]}; failed: {code, message, explanation, salesforce}' }),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    undoOf: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    review: reviewSchema,
  })
  .meta({ id: 'Proposal' });

export const proposalIdParams = z.object({ id: z.string().min(1).max(100).meta({ description: 'proposal id (prp_…)' }) });

export const auditRowSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    connectionId: z.string().nullable(),
    kind: z.enum(['tool_call', 'proposal_transition']),
    name: z.string(),
    input: z.unknown(),
    outcome: z.enum(['ok', 'error']),
    errorCode: z.string().nullable(),
    proposalId: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'AuditRow' });
