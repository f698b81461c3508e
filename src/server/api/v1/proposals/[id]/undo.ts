/**
 * `POST /api/v1/proposals/{id}/undo {reason?}`: prepares the reverse of an executed proposal as a
 * new pending proposal (restore old values, undelete, or delete what was created). It is never
 * executed directly; approve it like any other.
 */
import { z } from 'zod';
import { undoProposal } from '../../../../../agent/proposals/execute.js';
import { proposalView } from '../../../../../agent/proposals/view.js';
import { endpoint } from '../../../../endpoint.js';
import { callerOf } from '../../../../env.js';
import { proposalIdParams, proposalSchema } from '../schemas.js';

export const undoProposalEndpoint = endpoint({
  method: 'post',
  path: '/api/v1/proposals/{id}/undo',
  operationId: 'undoProposal',
  summary: 'Prepare a proposal that undoes an executed one',
  tag: 'Proposals',
  access: 'user',
  params: proposalIdParams,
  body: z.object({ reason: z.string().max(2000).optional() }).strict(),
  responses: {
    201: { description: 'the new pending proposal', schema: z.object({ proposal: proposalSchema }) },
    409: { description: 'the proposal is not executed, or there is nothing to restore' },
  },
  async handle(c, { params, body }) {
    const p = await undoProposal(c.get('deps').hub, callerOf(c).user, params.id, body.reason);
    return c.json({ proposal: proposalView(p) }, 201);
  },
});
