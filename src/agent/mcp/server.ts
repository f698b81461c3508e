/**
 * The MCP face of the agent tools: one `McpServer` listing each tool with its title, description,
 * input/output JSON Schemas (from the zod schemas) and its own annotations, and answering
 * `tools/call` through an injected `call` — the runner that validates, opens the context and runs
 * the tool. Transports (stdio in `forcebridge mcp`, Streamable HTTP at `/mcp/{connection}`) build
 * one of these per connection or request.
 *
 * No tool here approves or executes a write: approval is a person's act in forcebridge. A tool
 * claiming `destructiveHint: true` is refused at registration, so a mislabelled or misplaced tool
 * cannot slip into the agent surface.
 */
import { McpServer, type Implementation, type StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { ForcebridgeError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { parseToolInput } from '../parse.js';
import type { AgentTool } from '../tool.js';
import { errorResult, successResult } from './results.js';

export interface CreateMcpServerOptions {
  tools: AgentTool[];
  /** Runs a tool with its raw arguments and resolves with its validated output (throws a ForcebridgeError on failure). */
  call: (name: string, input: unknown) => Promise<unknown>;
  /** Defaults to `{name: 'forcebridge', version}`. */
  serverInfo?: Implementation;
  /** Shown to the model at initialization. */
  instructions?: string;
  /** Told about every failed call (e.g. to log it); unexpected errors are only visible here. */
  onError?: (tool: string, error: unknown) => void;
}

/**
 * The tool's zod input schema as MCP advertises it, with validation left to the runner: the SDK's
 * own check would answer `Input validation error: …` in its words, while ours names the field as an
 * `agent.invalid_input` ForcebridgeError — the same answer the HTTP API and the CLI give.
 */
function advertised(schema: z.ZodObject): StandardSchemaWithJSON {
  const std = schema['~standard'];
  return { '~standard': { version: 1, vendor: 'forcebridge', validate: (value: unknown) => ({ value }), jsonSchema: std.jsonSchema } };
}

/** Instructions shown to the model: which org the tools work on and what they never do. */
export function connectionInstructions(connection: string): string {
  return (
    `forcebridge agent tools on the Salesforce connection "${connection}". They read from the org or prepare ` +
    'proposals stored in forcebridge; none of them writes to Salesforce. A person approves proposals in forcebridge.'
  );
}

/** Refuses a tool the agent surface must not carry. */
export function assertRegistrable(tool: AgentTool): void {
  if (tool.annotations.destructiveHint) {
    throw new ForcebridgeError('mcp.destructive_tool', 'internal', `agent tool "${tool.name}" claims destructiveHint: true; no MCP tool may execute a write`, {
      field: 'annotations.destructiveHint',
      hint: 'agent tools only read or prepare proposals (PREPARES); executing a write is approved by a person in forcebridge, outside the tool set',
    });
  }
}

/**
 * Refuses a tool list the adapter would refuse; transports call it once at start, so a bad list
 * stops `serve`/`mcp` at once instead of failing every request.
 */
export function assertToolList(tools: AgentTool[]): void {
  const names = new Set<string>();
  for (const tool of tools) {
    assertRegistrable(tool);
    if (names.has(tool.name)) throw new ForcebridgeError('mcp.duplicate_tool', 'internal', `two agent tools are named "${tool.name}"`, { field: 'name' });
    names.add(tool.name);
  }
}

/** An MCP server exposing `tools`; every call goes through `call`. Throws if a tool is refused or two share a name. */
export function createMcpServer(o: CreateMcpServerOptions): McpServer {
  assertToolList(o.tools);
  const server = new McpServer(o.serverInfo ?? { name: 'forcebridge', version: VERSION }, {
    // Declared up front so `tools/list` answers (with []) even when no tool is registered.
    capabilities: { tools: { listChanged: false } },
    ...(o.instructions ? { instructions: o.instructions } : {}),
  });
  for (const tool of o.tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: advertised(tool.input),
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args: unknown) => {
        try {
          // Checked here too, so a bad input gets our answer whatever runner was injected.
          parseToolInput(tool, args);
          return successResult(await o.call(tool.name, args));
        } catch (e) {
          o.onError?.(tool.name, e);
          return errorResult(e);
        }
      },
    );
  }
  return server;
}
