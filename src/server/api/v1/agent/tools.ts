/**
 * `GET /api/v1/agent/tools`: the agent tools with their JSON Schemas (from the same zod schemas
 * the tools validate with), annotations and descriptions — what an MCP client or a model needs to
 * choose and call them.
 */
import { z } from 'zod';
import type { AgentTool } from '../../../../agent/tool.js';
import { agentTools } from '../../../../agent/registry.js';
import { endpoint } from '../../../endpoint.js';

const toolView = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  annotations: z.object({ readOnlyHint: z.boolean(), destructiveHint: z.boolean(), idempotentHint: z.boolean(), openWorldHint: z.boolean() }),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()),
});

const jsonSchema = (s: z.ZodType, io: 'input' | 'output') => {
  const out = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
};

/** A tool as the listing shows it. */
export function toolListing(t: AgentTool): z.infer<typeof toolView> {
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    annotations: t.annotations,
    inputSchema: jsonSchema(t.input, 'input'),
    outputSchema: jsonSchema(t.output, 'output'),
  };
}

export const listAgentTools = endpoint({
  method: 'get',
  path: '/api/v1/agent/tools',
  operationId: 'listAgentTools',
  summary: 'List the agent tools with their input and output JSON Schemas',
  tag: 'Agent',
  access: 'user',
  responses: { 200: { description: 'the tools', schema: z.object({ tools: z.array(toolView) }) } },
  handle(c) {
    return c.json({ tools: agentTools.map(toolListing) });
  },
});
