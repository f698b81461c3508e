/**
 * Tool outputs and failures as MCP `tools/call` results. A success carries the output twice: as
 * `structuredContent` (checked against the tool's outputSchema by clients) and as the same JSON in a
 * text block, for clients that read only `content`. A failure is an `isError` result whose text is
 * `{"error": {code, message, hint?, field?}}` — the same error family as the HTTP API, without
 * `details`, causes or stacks. It has no `structuredContent`: that would have to match the
 * outputSchema, which describes success.
 * (https://modelcontextprotocol.io/specification/2025-06-18/server/tools#error-handling)
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { ForcebridgeError } from '../../errors.js';
import type { Logger } from 'pino';
import { redactText } from '../../log.js';

/** The public shape of a failed call. */
export interface ToolErrorBody {
  error: { code: string; message: string; hint?: string; field?: string; salesforceErrorCode?: string };
}

export function successResult(output: unknown): CallToolResult {
  const structured = output as Record<string, unknown>;
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

/**
 * A ForcebridgeError's public fields (free text redacted, as in CLI output); anything else is a
 * bare `internal` error — its message may carry anything, so it is reported through `onUnexpected`
 * (a log on stderr or the server log), never to the client.
 */
export function errorBody(e: unknown): ToolErrorBody {
  if (!(e instanceof ForcebridgeError)) {
    return { error: { code: 'internal', message: 'an unexpected error occurred', hint: 'see the forcebridge log for details' } };
  }
  return {
    error: {
      code: e.code,
      message: redactText(e.message),
      ...(e.hint ? { hint: redactText(e.hint) } : {}),
      ...(e.field ? { field: e.field } : {}),
      ...(e.salesforce?.errorCode ? { salesforceErrorCode: e.salesforce.errorCode } : {}),
    },
  };
}

export function errorResult(e: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(errorBody(e)) }], isError: true };
}

/**
 * Logs a failed call: a caller's or Salesforce's error as a warning with its code; anything
 * unexpected (or `internal`) as an error with its redacted stack, the only place it is shown.
 */
export function logToolError(logger: Logger, tool: string, e: unknown, extra: Record<string, unknown> = {}): void {
  if (e instanceof ForcebridgeError && e.kind !== 'internal') {
    logger.warn({ ...extra, tool, errorCode: e.code, field: e.field }, 'agent tool failed');
  } else {
    const err = e instanceof Error ? (e.stack ?? e.message) : String(e);
    logger.error({ ...extra, tool, errorCode: e instanceof ForcebridgeError ? e.code : 'internal', err: redactText(err) }, 'agent tool failed unexpectedly');
  }
}
