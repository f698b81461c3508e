/**
 * The `forcebridge` command line.
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { emulatorCommand } from './commands/emulator.js';
import { demoCommand } from './commands/demo.js';

export function buildProgram(): Command {
  const program = new Command();
  program.name('forcebridge').description('Self-hostable Salesforce integration hub').version(VERSION);
  program.addCommand(demoCommand());
  program.addCommand(emulatorCommand());
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    process.stderr.write(`forcebridge: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
