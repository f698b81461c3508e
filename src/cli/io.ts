/**
 * What every hub command shares: where output goes, whether a person is there to answer prompts,
 * opening and closing the hub, and how errors are shown (`forcebridge: <message>` and the fix).
 */
import { openHub, hubOptionsFromEnv, type Hub } from '../connections/hub.js';
import { ForcebridgeError } from '../errors.js';
import { redactText } from '../log.js';

/** Output and input of one command run; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  stdin: NodeJS.ReadableStream;
  /** A person can answer prompts (stdin and stdout are terminals). */
  tty: boolean;
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    stdin: process.stdin,
    tty: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    env: process.env,
  };
}

/** Prompts are allowed unless `--yes` was given or nobody is at a terminal (CI). */
export function isInteractive(io: CliIo, o: { yes?: boolean }): boolean {
  return io.tty && !o.yes;
}

/** Opens the hub from the environment (FORCEBRIDGE_DATABASE_URL, _DATA_DIR, _MASTER_KEY), runs `fn`, closes it. */
export async function withHub<T>(io: CliIo, fn: (hub: Hub) => Promise<T>): Promise<T> {
  const hub = await openHub(hubOptionsFromEnv(io.env));
  try {
    return await fn(hub);
  } finally {
    await hub.close();
  }
}

/** Integration fields → the flag that sets them, so errors name what to type. */
const FIELD_FLAGS: Record<string, string> = {
  name: '--name',
  environment: '--environment',
  clientId: '--client-id',
  loginHost: '--login-host',
  flow: '--flow',
  scopes: '--scopes',
  authTimeoutMs: '--auth-timeout',
  callbackUrl: '--callback-url',
  username: '--username',
  group: '--group',
};

/** `forcebridge: <message>` plus `  fix: <hint>`; free text from elsewhere is redacted. */
export function formatError(e: unknown): string {
  if (e instanceof ForcebridgeError) {
    const lines = [`forcebridge: ${redactText(e.message)}`];
    if (e.field) lines.push(`  field: ${e.field}${FIELD_FLAGS[e.field] ? ` (${FIELD_FLAGS[e.field]})` : ''}`);
    if (e.hint) lines.push(`  fix: ${redactText(e.hint)}`);
    return lines.join('\n') + '\n';
  }
  return `forcebridge: ${redactText(e instanceof Error ? e.message : String(e))}\n`;
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2) + '\n');
}

/** A plain aligned table (no colours, so output stays readable in logs and pipes). */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** `key : value` lines. */
export function fields(pairs: [string, string | number | null | undefined][]): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `  ${k.padEnd(w)} : ${v ?? '-'}`).join('\n') + '\n';
}

/** Reads all of stdin (bounded, so a wrong pipe cannot eat memory). */
export async function readAll(stdin: NodeJS.ReadableStream, limitBytes = 1024 * 1024, what = 'standard input'): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > limitBytes) throw new ForcebridgeError('cli.stdin_too_large', 'invalid_input', `${what} is larger than ${limitBytes} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a positive number of seconds (`10`, `2.5`) into milliseconds. */
export function secondsToMs(value: string, flag: string): number {
  const n = Number(value.replace(/s$/, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new ForcebridgeError('cli.invalid_number', 'invalid_input', `${flag} must be a number of seconds (got "${value}")`, { field: flag });
  return Math.round(n * 1000);
}
