/**
 * Assertions shared by the MCP tests (and the integrator's "every real tool runs over MCP" test):
 * a listed tool matches its definition, and a call result is a success or a ForcebridgeError result.
 */
import assert from 'node:assert/strict';
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { AgentTool } from '../../tool.js';
import type { ToolErrorBody } from '../results.js';

/** Every tool is listed once with its title, description, annotations and the keys of its schemas; nothing else is listed. */
export function assertListedAsDefined(listed: Tool[], tools: AgentTool[]): void {
  assert.deepEqual(listed.map((t) => t.name).sort(), tools.map((t) => t.name).sort(), 'exactly the defined tools are listed');
  for (const tool of tools) {
    const l = listed.find((t) => t.name === tool.name)!;
    assert.equal(l.title, tool.title, `${tool.name} title`);
    assert.equal(l.description, tool.description, `${tool.name} description`);
    const { title: _title, ...hints } = l.annotations ?? {};
    assert.deepEqual(hints, { ...tool.annotations }, `${tool.name} annotations are the tool's own`);
    assert.equal(l.annotations?.destructiveHint, false, `${tool.name} is not destructive`);
    assert.equal(l.inputSchema.type, 'object');
    assert.deepEqual(Object.keys(l.inputSchema.properties ?? {}).sort(), Object.keys(tool.input.shape).sort(), `${tool.name} inputSchema properties`);
    assert.ok(l.outputSchema, `${tool.name} has an outputSchema`);
    assert.equal(l.outputSchema.type, 'object');
    assert.deepEqual(Object.keys(l.outputSchema.properties ?? {}).sort(), Object.keys(tool.output.shape).sort(), `${tool.name} outputSchema properties`);
  }
}

/** A successful result: `structuredContent` valid for the tool's output schema and the same JSON as text. */
export function assertSuccess<T = Record<string, unknown>>(result: CallToolResult, tool: AgentTool): T {
  assert.notEqual(result.isError, true, `${tool.name} succeeded: ${JSON.stringify(result.content)}`);
  const structured = result.structuredContent;
  assert.ok(structured && typeof structured === 'object', `${tool.name} returns structuredContent`);
  assert.equal(tool.output.safeParse(structured).success, true, `${tool.name} structuredContent matches its output schema`);
  const text = result.content.find((c) => c.type === 'text');
  assert.ok(text && text.type === 'text', `${tool.name} returns a text block`);
  assert.deepEqual(JSON.parse(text.text), structured, `${tool.name} text is the same JSON`);
  return structured as T;
}

/** An error result: `isError`, no structuredContent, text `{"error": {...}}` with no stack. */
export function assertToolError(result: CallToolResult): ToolErrorBody['error'] {
  assert.equal(result.isError, true, `an error result: ${JSON.stringify(result)}`);
  assert.equal(result.structuredContent, undefined);
  const text = result.content.find((c) => c.type === 'text');
  assert.ok(text && text.type === 'text');
  const body = JSON.parse(text.text) as ToolErrorBody;
  assert.deepEqual(Object.keys(body), ['error']);
  for (const k of Object.keys(body.error)) assert.ok(['code', 'message', 'hint', 'field', 'salesforceErrorCode'].includes(k), `no "${k}" in a tool error`);
  assert.doesNotMatch(text.text, /\n\s+at |node_modules|\.ts:\d+/, 'no stack');
  return body.error;
}
