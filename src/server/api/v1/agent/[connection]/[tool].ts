/**
 * `POST /api/v1/agent/{connection}/{tool}`: one endpoint per agent tool, made by a factory from
 * the tool list, so each appears in the OpenAPI document with the tool's own input (the body)
 * and output (the answer). The caller acts through a connection they may use; others are 404.
 */
import { z } from 'zod';
import { agentTools, defaultToolSet } from '../../../../../agent/registry.js';
import type { AgentToolSet } from '../../../../../agent/invoke.js';
import type { AgentTool } from '../../../../../agent/tool.js';
import { endpoint, type Endpoint } from '../../../../endpoint.js';
import { callerOf } from '../../../../env.js';

const connectionParams = z.object({ connection: z.string().min(1).max(200).meta({ description: 'connection id or name' }) });

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The endpoint of one tool. */
export function agentToolEndpoint(tool: AgentTool, set: AgentToolSet = defaultToolSet()): Endpoint {
  return endpoint({
    method: 'post',
    path: `/api/v1/agent/{connection}/${tool.name}`,
    operationId: `agent${camel(tool.name).replace(/^./, (c) => c.toUpperCase())}`,
    summary: tool.title,
    description: `${tool.description}${tool.annotations.readOnlyHint ? ' (read-only)' : ''}`,
    tag: 'Agent',
    access: 'user',
    params: connectionParams,
    body: tool.input,
    responses: { 200: { description: `${tool.name} output`, schema: tool.output } },
    async handle(c, { params, body }) {
      const { user } = callerOf(c);
      const { hub } = c.get('deps');
      return c.json(await set.run(hub, user, params.connection, tool.name, body));
    },
  });
}

/** One endpoint per agent tool (read and prepare), each call audited. */
export const agentToolEndpoints: Endpoint[] = agentTools.map((t) => agentToolEndpoint(t));
