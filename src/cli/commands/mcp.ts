/**
 * `forcebridge mcp --connection <name>`: the agent tools as an MCP server over stdio, for a local
 * MCP client (Claude Desktop, an IDE) that starts it as a subprocess. It acts as the local admin on
 * that one connection. Standard output carries nothing but the protocol; logs go to stderr. It runs
 * until the client closes standard input (or SIGINT/SIGTERM), then closes the hub.
 */
import { Command } from 'commander';
import type { Readable, Writable } from 'node:stream';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { defaultToolSet } from '../../agent/registry.js';
import type { AgentToolSet } from '../../agent/invoke.js';
import { assertToolList, connectionInstructions, createMcpServer } from '../../agent/mcp/server.js';
import { logToolError } from '../../agent/mcp/results.js';
import { openHub, hubOptionsFromEnv } from '../../connections/hub.js';
import { createLogger, redactText } from '../../log.js';
import { usableConnection } from '../../connections/usable.js';
import { processIo, type CliIo } from '../io.js';

export interface McpStdio {
  stdin: Readable;
  stdout: Writable;
  signals: NodeJS.EventEmitter;
}

/** Serves `set` over stdio on `connection` until the client hangs up; resolves once the hub is closed. */
export async function mcpMain(io: CliIo, connection: string, set: AgentToolSet, stdio: McpStdio): Promise<void> {
  assertToolList(set.tools);
  const logger = createLogger();
  const hub = await openHub(hubOptionsFromEnv(io.env));
  try {
    // Fail at start, with the CLI's usual message, rather than on every call.
    const { conn } = await usableConnection(hub, hub.admin, connection);
    const ended = new Promise<string>((resolve) => {
      stdio.stdin.once('end', () => resolve('stdin closed'));
      stdio.stdin.once('close', () => resolve('stdin closed'));
      stdio.signals.once('SIGINT', () => resolve('SIGINT'));
      stdio.signals.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const handle = serveStdio(
      () =>
        createMcpServer({
          tools: set.tools,
          call: (name, input) => set.run(hub, hub.admin, conn.id, name, input),
          instructions: connectionInstructions(conn.name),
          onError: (tool, e) => logToolError(logger, tool, e, { connection: conn.name }),
        }),
      {
        transport: new StdioServerTransport(stdio.stdin, stdio.stdout),
        onerror: (e) => logger.warn({ err: redactText(e.message) }, 'mcp stdio'),
      },
    );
    logger.info({ connection: conn.name, tools: set.tools.length }, 'mcp server on stdio');
    const why = await ended;
    logger.info({ reason: why }, 'mcp server stopping');
    await handle.close();
  } finally {
    await hub.close();
    logger.flush();
  }
}

export function mcpCommand(set: AgentToolSet = defaultToolSet(), io: CliIo = processIo()): Command {
  return new Command('mcp')
    .description('Serve the agent tools to a local MCP client over stdio (acts as the local admin on one connection)')
    .requiredOption('--connection <name>', 'connection name or id the tools work on')
    .action((o: { connection: string }) => mcpMain(io, o.connection, set, { stdin: process.stdin, stdout: process.stdout, signals: process }));
}
