/**
 * `forcebridge emulator`: runs the local Salesforce org emulator until interrupted.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadEmulatorConfig, parseEmulatorConfig, type EmulatorConfig } from '../../emulator/config.js';
import { startEmulator, type EmulatorBanner, type RunningEmulator } from '../../emulator/server.js';

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65533) throw new InvalidArgumentError('--port must be an integer from 0 to 65533 (0 picks free ports)');
  return n;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

export interface EmulatorCliOptions {
  port: number;
  host: string;
  config?: string;
  records?: number;
  accounts?: number;
  seed?: number;
  sessionTimeout?: number;
  apiLimit?: number;
}

/** Builds the emulator config from a file plus command-line overrides. */
export function emulatorConfigFrom(o: EmulatorCliOptions): EmulatorConfig {
  const base = o.config ? loadEmulatorConfig(o.config) : parseEmulatorConfig({});
  const s = base.settings;
  if (o.records !== undefined) s.records = o.records;
  if (o.accounts !== undefined) s.extraAccounts = o.accounts;
  if (o.seed !== undefined) s.seed = o.seed;
  if (o.sessionTimeout !== undefined) s.sessionTimeoutSeconds = o.sessionTimeout;
  if (o.apiLimit !== undefined) s.dailyApiLimit = o.apiLimit;
  return base;
}

export function bannerText(b: EmulatorBanner): string {
  const lines = [
    'Salesforce org emulator is running',
    `  login (production) host : ${b.loginUrl}`,
    `  sandbox login host      : ${b.sandboxLoginUrl}`,
    `  My Domain / instance    : ${b.myDomainUrl}`,
    `  connected app client_id : ${b.clientId}`,
    `  client_secret           : ${b.clientSecret}`,
    `  callback URL            : ${b.redirectUri}`,
    ...(b.controlUrl ? [`  control API             : ${b.controlUrl}`] : []),
    '  users (password + security token):',
    ...b.users.map((u) => `    ${u.username.padEnd(40)} ${JSON.stringify(u.password)} + ${u.securityToken}  [${u.profile}]`),
  ];
  return lines.join('\n');
}

/** Stops the emulator on SIGINT/SIGTERM. */
export function closeOnSignal(em: RunningEmulator): void {
  const stop = () => {
    void em.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function emulatorCommand(): Command {
  return new Command('emulator')
    .description('Run the local Salesforce org emulator (OAuth, REST, SOQL, SOSL, Bulk 2.0)')
    .option('-p, --port <port>', 'login host port (sandbox = port+1, My Domain = port+2; 0 = free ports)', parsePort, 0)
    .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
    .option('-c, --config <file>', 'JSON config: connected apps, users, profiles, custom objects, settings')
    .option('--records <n>', 'number of generated demo records', parseCount)
    .option('--accounts <n>', 'extra Account rows (e.g. 1000000 for benchmarks)', parseCount)
    .option('--seed <n>', 'data generator seed', parseCount)
    .option('--session-timeout <seconds>', 'access token inactivity timeout', parseCount)
    .option('--api-limit <n>', 'daily API request allocation', parseCount)
    .option('--json', 'print one JSON line with URLs and credentials once listening (enables the control API)')
    .option('--control', 'enable the /__emulator/ control API (test mode)')
    .action(async (o: EmulatorCliOptions & { json?: boolean; control?: boolean }) => {
      const em = await startEmulator({ port: o.port, host: o.host, config: emulatorConfigFrom(o), control: Boolean(o.json || o.control) });
      closeOnSignal(em);
      if (o.json) process.stdout.write(JSON.stringify(em.banner) + '\n');
      else process.stdout.write(bannerText(em.banner) + '\n\nPress Ctrl+C to stop.\n');
    });
}
