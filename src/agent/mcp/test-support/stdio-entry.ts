/**
 * `node --import tsx stdio-entry.ts <tools-module> <export> mcp --connection X`: the real
 * `forcebridge mcp` command over a tool list from a module, for tests whose tools are not in the
 * registry. Errors are shown as the CLI shows them.
 */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toolSet } from '../../invoke.js';
import type { AgentTool } from '../../tool.js';
import { mcpCommand } from '../../../cli/commands/mcp.js';
import { formatError } from '../../../cli/io.js';

async function main(argv: string[]): Promise<void> {
  const [modulePath, exportName, ...rest] = argv;
  if (!modulePath || !exportName) throw new Error('usage: stdio-entry.ts <tools-module> <export> mcp --connection <name>');
  const mod = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  const tools = mod[exportName];
  if (!Array.isArray(tools)) throw new Error(`${modulePath} does not export an AgentTool[] named ${exportName}`);
  const program = new Command().name('forcebridge').addCommand(mcpCommand(toolSet(tools as AgentTool[])));
  await program.parseAsync(rest, { from: 'user' });
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(formatError(e));
  process.exitCode = 1;
});
