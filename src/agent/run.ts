/**
 * Runs one agent tool for a hub user on one connection: finds the tool, validates the input with
 * its zod schema (an error names the field), opens the context (a connection the user may not
 * use is "not found"), runs it and validates the output. Every surface — HTTP, CLI, MCP — calls
 * this, so they behave the same.
 */
import type { Hub } from '../connections/hub.js';
import type { HubUser } from '../connections/tenancy.js';
import { ForcebridgeError } from '../errors.js';
import { openAgentContext, type AgentContextOptions } from './context.js';
import { parseToolInput, parseToolOutput } from './parse.js';
import type { AgentTool } from './tool.js';
import { readTools } from './tools/index.js';

/** What the audit hook receives after every call (successful or not). */
export interface ToolCallEntry {
  tool: string;
  tenantId: string;
  userId: string;
  /** The connection as the caller named it (id or name). */
  connection: string;
  /** Its id, once the caller was found allowed to use it. */
  connectionId?: string;
  /** The validated input (the raw input when validation failed). */
  input: unknown;
  ok: boolean;
  /** The error code when the call failed. */
  error?: string;
  startedAt: number;
  durationMs: number;
}

export interface RunToolOptions extends AgentContextOptions {
  /** The tools to choose from (default: the read tools). */
  tools?: readonly AgentTool[];
  /**
   * Audit hook, awaited after every call that named a known tool. If it throws, the call fails
   * with that error: a call that cannot be recorded is not answered.
   */
  onCall?: (entry: ToolCallEntry) => Promise<void>;
}

/** The tool named `name` in `tools`, or `agent.unknown_tool`. */
export function findTool(name: string, tools: readonly AgentTool[] = readTools): AgentTool {
  const t = tools.find((x) => x.name === name);
  if (!t)
    throw new ForcebridgeError('agent.unknown_tool', 'not_found', `no agent tool "${name}"`, {
      field: 'tool',
      hint: `the tools are ${tools.map((x) => x.name).join(', ')}`,
    });
  return t;
}

export async function runTool(hub: Hub, user: HubUser, connection: string, toolName: string, rawInput: unknown, o: RunToolOptions = {}): Promise<unknown> {
  const tool = findTool(toolName, o.tools);
  const startedAt = Date.now();
  let input: unknown = rawInput;
  let connectionId: string | undefined;
  let result: unknown;
  let failure: unknown;
  try {
    const parsed = parseToolInput(tool, rawInput);
    input = parsed;
    const ctx = await openAgentContext(hub, user, connection, o);
    connectionId = ctx.connection.id;
    result = parseToolOutput(tool, await tool.run(ctx, parsed));
  } catch (e) {
    failure = e;
  }
  if (o.onCall) {
    await o.onCall({
      tool: tool.name,
      tenantId: user.tenantId,
      userId: user.id,
      connection,
      ...(connectionId ? { connectionId } : {}),
      input,
      ok: failure === undefined,
      ...(failure !== undefined ? { error: failure instanceof ForcebridgeError ? failure.code : 'internal' } : {}),
      startedAt,
      durationMs: Date.now() - startedAt,
    });
  }
  if (failure !== undefined) throw failure;
  return result;
}
