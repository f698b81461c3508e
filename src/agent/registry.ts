/**
 * The agent tools this hub exposes — the read tools, then the prepare tools — and the audited
 * runner every surface (HTTP API, CLI, MCP stdio and HTTP) calls: each call, allowed or refused,
 * leaves a row in the audit log before it is answered.
 */
import type { Hub } from '../connections/hub.js';
import type { HubUser } from '../connections/tenancy.js';
import { recordToolCall } from './audit.js';
import type { AgentToolSet } from './invoke.js';
import { proposalTools } from './proposals/tools.js';
import { runTool, type RunToolOptions, type ToolCallEntry } from './run.js';
import type { AgentTool } from './tool.js';
import { readTools } from './tools/index.js';

export const agentTools: AgentTool[] = [...readTools, ...proposalTools];

/** The audit hook: one `tool_call` row per call, with the (summarised, redacted) input and outcome. */
export function auditToolCall(hub: Hub): (e: ToolCallEntry) => Promise<void> {
  return (e) =>
    recordToolCall(hub, {
      tenantId: e.tenantId,
      userId: e.userId,
      connectionId: e.connectionId ?? null,
      name: e.tool,
      input: e.input,
      outcome: e.ok ? 'ok' : 'error',
      errorCode: e.error ?? null,
      at: e.startedAt,
    });
}

/** Finds the tool, validates its input (`agent.invalid_input` naming the field), opens the context, runs it, validates its output, audits. */
export function runAgentTool(hub: Hub, user: HubUser, connection: string, name: string, input: unknown, o: RunToolOptions = {}): Promise<unknown> {
  return runTool(hub, user, connection, name, input, { tools: agentTools, onCall: auditToolCall(hub), ...o });
}

/** The registry as a tool set (what the HTTP API, the CLI, `forcebridge mcp` and `/mcp/{connection}` serve). */
export const defaultToolSet = (): AgentToolSet => ({
  tools: agentTools,
  run: (hub, user, connection, name, input) => runAgentTool(hub, user, connection, name, input),
});
