/**
 * The shape every agent tool has: one implementation, exposed through the HTTP API
 * (`/api/v1/agent/...`), the CLI and MCP. Inputs and outputs are zod schemas, so each surface
 * validates the same way and MCP gets its inputSchema/outputSchema from them. Annotations are
 * honest: reads say `readOnlyHint`, prepare tools write nothing to Salesforce (`destructiveHint:
 * false`), and no tool executes a write — approval is a person's act outside the tool set.
 */
import type { z } from 'zod';
import type { AgentContext } from './context.js';

/** MCP tool annotations (https://modelcontextprotocol.io/specification/2025-06-18/server/tools). */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  /** The tool reaches an external system (the Salesforce org). */
  openWorldHint: boolean;
}

export interface AgentTool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  /** snake_case, stable: `list_objects`, `query`, `prepare_update`, … */
  name: string;
  title: string;
  /** What it does and what it never does, for a model choosing tools. */
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run(ctx: AgentContext, input: z.output<I>): Promise<z.output<O>>;
}

/** Identity helper that keeps the input/output types tied to the schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(t: AgentTool<I, O>): AgentTool<I, O> {
  return t;
}

export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
/** Prepare tools store a proposal in forcebridge and write nothing to Salesforce. */
export const PREPARES: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
