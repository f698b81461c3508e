/**
 * Small real agent tools for the MCP tests, until the real ones are merged: each calls the
 * emulator through `ctx.client` (the connection's Salesforce user, budget-guarded), so a test sees
 * the whole path — MCP → runner → context → Salesforce client → org. They live in their own module
 * because the stdio test's child process imports them too.
 */
import { z } from 'zod';
import { ForcebridgeError } from '../../../errors.js';
import { defineTool, PREPARES, READ_ONLY, type AgentTool } from '../../tool.js';

interface LimitsJson {
  [name: string]: { Max: number; Remaining: number } | undefined;
}

/** GET /limits → one limit's max and remaining. */
export const orgLimit = defineTool({
  name: 'org_limit',
  title: 'Org limit',
  description: 'Reads one of the org’s limits (GET /limits), e.g. DailyApiRequests. Reads only.',
  input: z.object({ name: z.string().min(1).max(80).default('DailyApiRequests') }),
  output: z.object({ name: z.string(), max: z.number().int(), remaining: z.number().int() }),
  annotations: READ_ONLY,
  async run(ctx, input) {
    const res = await ctx.client.request<LimitsJson>({ method: 'GET', path: '/limits' });
    const limit = res.json[input.name];
    if (!limit) throw new ForcebridgeError('probe.unknown_limit', 'not_found', `the org has no limit "${input.name}"`, { field: 'name' });
    return { name: input.name, max: limit.Max, remaining: limit.Remaining };
  },
});

/** SELECT COUNT() FROM <object> → the count (an unknown object is Salesforce's INVALID_TYPE). */
export const countRecords = defineTool({
  name: 'count_records',
  title: 'Count records',
  description: 'Counts the records of one object the connected user can see (SOQL COUNT()). Reads only.',
  input: z.object({
    object: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an object API name')
      .describe('object API name, e.g. Account'),
    where: z.object({ field: z.string().regex(/^[A-Za-z][A-Za-z0-9_.]*$/), equals: z.string().max(255) }).optional(),
  }),
  output: z.object({ object: z.string(), count: z.number().int().nonnegative() }),
  annotations: READ_ONLY,
  async run(ctx, input) {
    const where = input.where ? ` WHERE ${input.where.field} = '${input.where.equals.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : '';
    const res = await ctx.client.request<{ totalSize: number }>({ method: 'GET', path: '/query', query: { q: `SELECT COUNT() FROM ${input.object}${where}` } });
    return { object: input.object, count: res.json.totalSize };
  },
});

/** Writes nothing anywhere: echoes what a proposal would hold, to check PREPARES annotations travel. */
export const draftNote = defineTool({
  name: 'draft_note',
  title: 'Draft a note',
  description: 'Drafts a note about a record without saving it anywhere (prepare-style annotations). Writes nothing to Salesforce.',
  input: z.object({
    recordId: z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'must be a 15- or 18-character Salesforce id'),
    text: z.string().min(1).max(1000),
  }),
  output: z.object({ recordId: z.string(), text: z.string(), org: z.string() }),
  annotations: PREPARES,
  async run(ctx, input) {
    const res = await ctx.client.request<{ records: { Id: string }[] }>({ method: 'GET', path: '/query', query: { q: 'SELECT Id FROM Organization' } });
    return { recordId: input.recordId, text: input.text, org: res.json.records[0]?.Id ?? '' };
  },
});

export const probeTools: AgentTool[] = [orgLimit, countRecords, draftNote];
