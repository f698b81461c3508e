/**
 * `forcebridge agent <connection> <tool> [--input '<json>']` runs one agent tool (the same runner
 * as the HTTP API) and prints its output as JSON; `forcebridge query <connection> "<soql>"` is the
 * shortcut for the `query` tool, with `--all` (queryAll) and `--cursor` to continue. The CLI acts
 * as the local tenant's admin, like `forcebridge api`.
 */
import { Command } from 'commander';
import { agentTools, runAgentTool } from '../../agent/registry.js';
import { invalidInput } from '../../errors.js';
import { printJson, processIo, withHub, type CliIo } from '../io.js';

function parseInput(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidInput('cli.agent_input', '--input', 'the tool input is not valid JSON', `e.g. --input '{"object":"Account"}'`);
  }
}

/** Runs `tool` on `connection` with a JSON input and prints the output. */
export async function agentRun(io: CliIo, connection: string, tool: string, input: unknown): Promise<void> {
  await withHub(io, async (hub) => printJson(io, await runAgentTool(hub, hub.admin, connection, tool, input)));
}

export function agentCommand(io: CliIo = processIo()): Command {
  return new Command('agent')
    .description('Run an agent tool on a connection and print its JSON output (read tools change nothing in Salesforce)')
    .argument('<connection>', 'connection name or id')
    .argument('<tool>', agentTools.map((t) => t.name).join('|'))
    .option('--input <json>', 'the tool input as a JSON object (default {})')
    .action(async (connection: string, tool: string, o: { input?: string }) => {
      await agentRun(io, connection, tool, parseInput(o.input));
    });
}

export interface QueryOptions {
  all?: boolean;
  cursor?: string;
  limit?: string;
}

export function queryCommand(io: CliIo = processIo()): Command {
  return new Command('query')
    .description('Run a read-only SOQL SELECT through a connection; print rows and a cursor as JSON')
    .argument('<connection>', 'connection name or id')
    .argument('[soql]', 'a SELECT statement (omit it when continuing with --cursor)')
    .option('--all', 'include deleted and archived rows (queryAll)')
    .option('--cursor <cursor>', 'continue where a previous call stopped')
    .option('--limit <rows>', 'rows to return (default 200, max 2000)')
    .action(async (connection: string, soql: string | undefined, o: QueryOptions) => {
      let limit: number | undefined;
      if (o.limit !== undefined) {
        limit = Number(o.limit);
        if (!Number.isInteger(limit)) throw invalidInput('cli.query_limit', '--limit', `--limit must be a whole number (got "${o.limit}")`);
      }
      const input = {
        ...(soql !== undefined ? { soql } : {}),
        ...(o.cursor !== undefined ? { cursor: o.cursor } : {}),
        ...(o.all ? { includeDeleted: true } : {}),
        ...(limit !== undefined ? { limit } : {}),
      };
      await agentRun(io, connection, 'query', input);
    });
}
