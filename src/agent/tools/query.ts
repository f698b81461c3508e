/**
 * `query`: runs a read-only SOQL SELECT as the connected user. The guard refuses side-effect
 * clauses before anything reaches Salesforce; rows come back a call at a time (a row cap and a
 * JSON byte cap) with an opaque cursor that continues exactly where the call stopped.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm
 */
import { z } from 'zod';
import { invalidInput } from '../../errors.js';
import { decodeCursor, encodeCursor, type CursorOwner } from '../cursor.js';
import { readRows, type ReadStart } from '../query-reader.js';
import { guardSoql, MAX_SOQL_LENGTH } from '../soql-guard.js';
import { defineTool, READ_ONLY } from '../tool.js';
import type { AgentContext } from '../context.js';

export const DEFAULT_QUERY_ROWS = 200;
export const MAX_QUERY_ROWS = 2000;
export const DEFAULT_QUERY_BYTES = 256 * 1024;
export const MAX_QUERY_BYTES = 4 * 1024 * 1024;

const ownerOf = (ctx: AgentContext): CursorOwner => ({ tenantId: ctx.user.tenantId, connectionId: ctx.connection.id, userId: ctx.user.id });

export const query = defineTool({
  name: 'query',
  title: 'Run a SOQL query',
  description:
    'Runs one read-only SOQL SELECT as the connected user (relationship queries, subqueries, aggregates, date literals, TYPEOF allowed; FOR VIEW, FOR REFERENCE, FOR UPDATE, UPDATE TRACKING and UPDATE VIEWSTAT are refused). ' +
    'Returns up to `limit` rows (default 200, max 2000) and about `maxBytes` of JSON (default 256 KB); when more rows remain, `cursor` is set: call again with only {cursor} to continue exactly where this call stopped. ' +
    '`includeDeleted` reads the recycle bin too (queryAll). Reads only; changes nothing.',
  input: z.object({
    soql: z.string().max(MAX_SOQL_LENGTH).optional().meta({ description: 'a SELECT statement; give either soql or cursor' }),
    cursor: z.string().max(8192).optional().meta({ description: 'the cursor a previous query call returned' }),
    includeDeleted: z.boolean().default(false).meta({ description: 'include deleted and archived rows (queryAll)' }),
    limit: z.number().int().min(1).max(MAX_QUERY_ROWS).default(DEFAULT_QUERY_ROWS).meta({ description: 'rows to return in this call' }),
    maxBytes: z.number().int().min(1024).max(MAX_QUERY_BYTES).default(DEFAULT_QUERY_BYTES).meta({ description: 'cap on the JSON size of the returned rows' }),
  }),
  output: z.object({
    records: z.array(z.record(z.string(), z.unknown())),
    totalSize: z.number().int(),
    done: z.boolean().meta({ description: 'true when no rows remain after these' }),
    cursor: z.string().optional(),
  }),
  annotations: READ_ONLY,
  async run(ctx, input) {
    let start: ReadStart;
    if (input.cursor !== undefined) {
      if (input.soql !== undefined)
        throw invalidInput('agent.query_input', 'cursor', 'give either soql or cursor, not both', 'to continue a query pass only {cursor}');
      start = decodeCursor(ctx.hub.vault, ownerOf(ctx), input.cursor);
      // Sealed, so it cannot have been altered; guarded again all the same.
      if (start.kind === 'rerun') guardSoql(start.soql);
    } else {
      if (input.soql === undefined)
        throw invalidInput(
          'agent.query_input',
          'soql',
          'give a SOQL SELECT in soql (or a cursor to continue one)',
          'e.g. {"soql": "SELECT Id, Name FROM Account LIMIT 10"}',
        );
      start = { kind: 'query', soql: guardSoql(input.soql).soql, includeDeleted: input.includeDeleted };
    }
    const r = await readRows(ctx, start, input.limit, input.maxBytes);
    return {
      records: r.records,
      totalSize: r.totalSize,
      done: r.next === undefined,
      ...(r.next ? { cursor: encodeCursor(ctx.hub.vault, ownerOf(ctx), r.next) } : {}),
    };
  },
});
