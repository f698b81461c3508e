/**
 * Secrets reach the CLI only through a hidden prompt or as JSON on standard input — never argv,
 * which shell history, `ps` and CI logs keep. Flags that look like secrets are refused before
 * commander parses anything, with the way to do it instead.
 */
import { readFileSync } from 'node:fs';
import * as p from '@clack/prompts';
import { FLOW_SECRETS, type Flow, type IntegrationSecrets } from '../connections/integration.js';
import { ForcebridgeError, invalidInput } from '../errors.js';
import { readAll, type CliIo } from './io.js';

export const SECRET_NAMES = [
  'clientSecret',
  'password',
  'securityToken',
  'privateKeyPem',
  'refreshToken',
] as const satisfies readonly (keyof IntegrationSecrets)[];
type SecretName = (typeof SECRET_NAMES)[number];

const LABELS: Record<SecretName, string> = {
  clientSecret: 'Consumer secret (client secret) of the connected app',
  password: 'Salesforce password of the user',
  securityToken: 'Security token of the user (empty if the IP is trusted)',
  privateKeyPem: 'Path to the JWT private key file (PEM)',
  refreshToken: 'Refresh token',
};

const SECRET_FLAG = /^--(?:no-)?[a-z-]*(secret|password|passwd|token|private-key|pem|master-key|api-key|credential)[a-z-]*$/i;
const ALLOWED = new Set(['--secrets-stdin']);

export const SECRETS_HINT =
  'pipe them as JSON: echo \'{"clientSecret":"…","password":"…"}\' | forcebridge … --secrets-stdin (a PEM key: jq -Rs \'{privateKeyPem: .}\' server.key | …), or run in a terminal to be prompted';

/** Throws when argv carries a flag that looks like a secret (before `--`). */
export function refuseSecretFlags(argv: string[]): void {
  for (const a of argv) {
    if (a === '--') return;
    const flag = a.split('=')[0]!;
    if (ALLOWED.has(flag) || !SECRET_FLAG.test(flag)) continue;
    throw new ForcebridgeError(
      'cli.secret_in_argv',
      'invalid_input',
      `${flag} would put a secret on the command line, where shell history and process lists keep it`,
      {
        field: flag,
        hint: SECRETS_HINT,
      },
    );
  }
}

/** Parses `{"clientSecret":"…",…}`; errors name the key, never a value. */
export function parseSecretsJson(text: string): IntegrationSecrets {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalidInput('cli.secrets_json', '--secrets-stdin', 'standard input is not a JSON object of secrets', SECRETS_HINT);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw invalidInput('cli.secrets_json', '--secrets-stdin', 'standard input must be a JSON object of secrets', SECRETS_HINT);
  const out: IntegrationSecrets = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(SECRET_NAMES as readonly string[]).includes(k))
      throw invalidInput('cli.secrets_json', k, `unknown secret "${k}" on standard input`, `use only ${SECRET_NAMES.join(', ')}`);
    if (v === null || v === '') continue;
    if (typeof v !== 'string') throw invalidInput('cli.secrets_json', k, `secret "${k}" must be a string`);
    out[k as SecretName] = v;
  }
  return out;
}

function cancelled(): never {
  throw new ForcebridgeError('cli.cancelled', 'invalid_input', 'cancelled; nothing was saved');
}

/** Asks for each named secret with a hidden prompt; optional ones may be left empty. */
export async function promptSecrets(names: SecretName[], required: SecretName[]): Promise<IntegrationSecrets> {
  const out: IntegrationSecrets = {};
  for (const name of names) {
    const need = required.includes(name);
    if (name === 'privateKeyPem') {
      // A PEM is multi-line: ask for the file's path (not a secret) and read it.
      const path = await p.text({ message: LABELS[name], placeholder: './server.key', validate: (v) => (need && !v ? 'required for this flow' : undefined) });
      if (p.isCancel(path)) cancelled();
      if (path) out.privateKeyPem = readKeyFile(path);
      continue;
    }
    const v = await p.password({
      message: `${LABELS[name]}${need ? '' : ' (optional)'}`,
      mask: '•',
      validate: (x) => (need && !x ? 'required for this flow' : undefined),
    });
    if (p.isCancel(v)) cancelled();
    if (v) out[name] = v;
  }
  return out;
}

function readKeyFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw invalidInput('cli.key_file', 'privateKeyPem', `cannot read the private key file ${path}`, 'give the path of the PEM file made with openssl');
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw invalidInput('cli.key_file', 'privateKeyPem', `${path} is not a PEM private key`, 'use the key (server.key), not the certificate (server.crt)');
  return pem;
}

/**
 * The secrets for a flow: JSON from stdin with `--secrets-stdin`, else hidden prompts when a person
 * is there, else none (the caller's checkSecrets then says what is missing and how to pass it).
 */
export async function collectSecrets(
  io: CliIo,
  flow: Flow,
  o: { secretsStdin?: boolean; interactive: boolean; only?: SecretName[] },
): Promise<IntegrationSecrets> {
  if (o.secretsStdin) return parseSecretsJson(await readAll(io.stdin, 256 * 1024));
  if (!o.interactive) return {};
  const { required, optional } = FLOW_SECRETS[flow];
  const names = (o.only ?? [...required, ...optional]) as SecretName[];
  return promptSecrets(names, required as SecretName[]);
}
