/**
 * The `forcebridge` command line.
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { agentCommand, queryCommand } from './commands/agent.js';
import { apiCommand } from './commands/api.js';
import { connectCommand } from './commands/connect.js';
import { connectionsCommand } from './commands/connections.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { emulatorCommand } from './commands/emulator.js';
import { integrationsCommand } from './commands/integrations.js';
import { keysCommand } from './commands/keys.js';
import { mcpCommand } from './commands/mcp.js';
import { proposalsCommand } from './commands/proposals.js';
import { serveCommand } from './commands/serve.js';
import { changesCommand, syncCommand } from './commands/sync.js';
import { formatError } from './io.js';
import { refuseSecretFlags } from './secrets-input.js';

export function buildProgram(): Command {
  const program = new Command();
  program.name('forcebridge').description('Self-hostable Salesforce integration hub').version(VERSION);
  program.addCommand(demoCommand());
  program.addCommand(emulatorCommand());
  program.addCommand(integrationsCommand());
  program.addCommand(connectCommand());
  program.addCommand(connectionsCommand());
  program.addCommand(apiCommand());
  program.addCommand(agentCommand());
  program.addCommand(queryCommand());
  program.addCommand(keysCommand());
  program.addCommand(doctorCommand());
  program.addCommand(serveCommand());
  program.addCommand(syncCommand());
  program.addCommand(changesCommand());
  program.addCommand(proposalsCommand());
  program.addCommand(mcpCommand());
  return program;
}

async function main(argv: string[]): Promise<void> {
  // Before parsing: a secret typed as a flag is refused even where no such flag exists.
  refuseSecretFlags(argv.slice(2));
  await buildProgram().parseAsync(argv);
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(formatError(e));
  process.exitCode = 1;
});
