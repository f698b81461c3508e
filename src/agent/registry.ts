/**
 * The agent tools this hub exposes (MCP over stdio and HTTP). The real tools are added here;
 * `runAgentTool` is what every surface calls (swap its body for the audited runner when it lands).
 */
import type { Hub } from '../connections/hub.js';
import type { HubUser } from '../connections/tenancy.js';
import { invokeTool, type AgentToolSet } from './invoke.js';
import type { AgentTool } from './tool.js';

export const agentTools: AgentTool[] = [];

/** Finds the tool, validates its input (`agent.invalid_input` naming the field), opens the context, runs it, validates its output. */
export function runAgentTool(hub: Hub, user: HubUser, connection: string, name: string, input: unknown): Promise<unknown> {
  return invokeTool(agentTools, hub, user, connection, name, input);
}

/** The registry as a tool set (what `forcebridge mcp` and `/mcp/{connection}` serve by default). */
export const defaultToolSet = (): AgentToolSet => ({ tools: agentTools, run: runAgentTool });
