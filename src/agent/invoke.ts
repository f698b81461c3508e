/**
 * Runs one agent tool for a hub user on a connection: find it by name, validate the input, open
 * the context (a connection the user may not use is "not found"), run, validate the output. Every
 * surface (MCP stdio and HTTP, and later the HTTP API and CLI) goes through a function of this
 * shape, so the checks cannot differ between them.
 */
import type { Hub } from '../connections/hub.js';
import type { HubUser } from '../connections/tenancy.js';
import { ForcebridgeError } from '../errors.js';
import { openAgentContext } from './context.js';
import { parseToolInput, parseToolOutput } from './parse.js';
import type { AgentTool } from './tool.js';

/** Runs the tool `name` with a raw (unvalidated) input; resolves with the validated output. */
export type AgentToolRunner = (hub: Hub, user: HubUser, connection: string, name: string, rawInput: unknown) => Promise<unknown>;

/** The tools a surface exposes and the runner that executes them. */
export interface AgentToolSet {
  tools: AgentTool[];
  run: AgentToolRunner;
}

/** The tool called `name`, or `agent.unknown_tool`. */
export function findTool(tools: AgentTool[], name: string): AgentTool {
  const tool = tools.find((t) => t.name === name);
  if (!tool)
    throw new ForcebridgeError('agent.unknown_tool', 'not_found', `no agent tool "${name}"`, {
      field: 'name',
      hint: tools.length ? `the tools are: ${tools.map((t) => t.name).join(', ')}` : 'this hub exposes no agent tools',
    });
  return tool;
}

/** Runs `name` from `tools`: validate input → open the context → run → validate output. */
export async function invokeTool(tools: AgentTool[], hub: Hub, user: HubUser, connection: string, name: string, rawInput: unknown): Promise<unknown> {
  const tool = findTool(tools, name);
  const input = parseToolInput(tool, rawInput);
  const ctx = await openAgentContext(hub, user, connection);
  return parseToolOutput(tool, await tool.run(ctx, input));
}

/** A tool set over `tools` run by {@link invokeTool} (tests and the default registry use this). */
export function toolSet(tools: AgentTool[]): AgentToolSet {
  return { tools, run: (hub, user, connection, name, rawInput) => invokeTool(tools, hub, user, connection, name, rawInput) };
}
