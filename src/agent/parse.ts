/**
 * Checks a tool's input and output against its zod schemas, the same way on every surface (HTTP,
 * CLI, MCP). A bad input is the caller's mistake and names the field; a bad output is a bug in the
 * tool (an `internal` error, so its message never reaches the caller).
 */
import type { z } from 'zod';
import { ForcebridgeError } from '../errors.js';
import type { AgentTool } from './tool.js';

/** `a.b[0].c` for an issue's path; an unknown key is named by the key itself. */
function fieldOf(issue: z.core.$ZodIssue): string {
  const parts = [...issue.path, ...(issue.code === 'unrecognized_keys' && issue.keys[0] ? [issue.keys[0]] : [])];
  return parts.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

/** The tool's parsed input, or `agent.invalid_input` naming the first bad field and listing every problem. */
export function parseToolInput<I extends z.ZodObject>(tool: AgentTool<I>, raw: unknown): z.output<I> {
  const r = tool.input.safeParse(raw ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ field: fieldOf(i) || 'input', message: i.message }));
  const first = issues[0]!;
  return invalid(tool, first.field, issues.map((i) => `"${i.field}": ${i.message}`).join('; '));
}

function invalid(tool: AgentTool, field: string, problems: string): never {
  throw new ForcebridgeError('agent.invalid_input', 'invalid_input', `invalid input for ${tool.name} — ${problems}`, {
    field,
    hint: `see the inputSchema of ${tool.name} for the expected shape`,
  });
}

/** The tool's parsed output; a mismatch is our bug, reported without the offending value. */
export function parseToolOutput<O extends z.ZodObject>(tool: AgentTool<z.ZodObject, O>, value: unknown): z.output<O> {
  const r = tool.output.safeParse(value);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => fieldOf(i) || 'output');
  throw new ForcebridgeError('agent.invalid_output', 'internal', `${tool.name} returned output that does not match its outputSchema`, {
    details: { tool: tool.name, fields },
  });
}
