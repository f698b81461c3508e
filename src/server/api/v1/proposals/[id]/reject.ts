/** `POST /api/v1/proposals/{id}/reject {note?}`: a person rejects; Salesforce is not called. */
import { z } from 'zod';
import { rejectProposal } from '../../../../../agent/proposals/execute.js';
import { proposalView } from '../../../../../agent/proposals/view.js';
import { endpoint } from '../../../../endpoint.js';
import { callerOf } from '../../../../env.js';
import { proposalIdParams, proposalSchema } from '../schemas.js';

export const rejectProposalEndpoint = endpoint({
  method: 'post',
  path: '/api/v1/proposals/{id}/reject',
  operationId: 'rejectProposal',
  summary: 'Reject a pending proposal',
  tag: 'Proposals',
  access: 'user',
  params: proposalIdParams,
  body: z.object({ note: z.string().max(2000).optional().meta({ description: 'why, for the record' }) }).strict(),
  responses: {
    200: { description: 'the rejected proposal', schema: z.object({ proposal: proposalSchema }) },
    409: { description: 'the proposal is not pending (already decided)' },
  },
  async handle(c, { params, body }) {
    const p = await rejectProposal(c.get('deps').hub, callerOf(c).user, params.id, body.note);
    return c.json({ proposal: proposalView(p) });
  },
});
