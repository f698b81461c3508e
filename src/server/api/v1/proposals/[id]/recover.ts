/**
 * `POST /api/v1/proposals/{id}/recover`: settles a proposal whose execution was interrupted (left
 * `executing`) from what the record shows; nothing is written again.
 */
import { z } from 'zod';
import { recoverProposal } from '../../../../../agent/proposals/recover.js';
import { proposalView } from '../../../../../agent/proposals/view.js';
import { endpoint } from '../../../../endpoint.js';
import { callerOf } from '../../../../env.js';
import { proposalIdParams, proposalSchema } from '../schemas.js';

export const recoverProposalEndpoint = endpoint({
  method: 'post',
  path: '/api/v1/proposals/{id}/recover',
  operationId: 'recoverProposal',
  summary: 'Settle an interrupted execution',
  description: 'For a proposal left "executing" (the process stopped): executed when the record shows the change, failed (proposal.interrupted) when not.',
  tag: 'Proposals',
  access: 'user',
  params: proposalIdParams,
  body: z.object({}).strict(),
  responses: {
    200: { description: 'the settled proposal', schema: z.object({ proposal: proposalSchema }) },
    409: { description: 'the proposal is not an interrupted execution (or is still executing)' },
  },
  async handle(c, { params }) {
    const p = await recoverProposal(c.get('deps').hub, callerOf(c).user, params.id);
    return c.json({ proposal: proposalView(p) });
  },
});
