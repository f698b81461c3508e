/**
 * `forcebridge api <connection> <METHOD> <path>`: one authenticated call through the connection
 * (session renewed on 401, retries with backoff on 5xx/429, the integration's timeout). Status and
 * the org's API usage (Sforce-Limit-Info, also recorded on the connection) go to stderr, the body
 * to stdout, so `| jq` works.
 */
import { Command } from 'commander';
import { ForcebridgeError, invalidInput } from '../../errors.js';
import { parseLimitInfo } from '../../salesforce/limit-info.js';
import { header } from '../../salesforce/transport.js';
import { processIo, readAll, withHub, type CliIo } from '../io.js';

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD'];

export interface ApiOptions {
  data?: string;
  dataStdin?: boolean;
  apiVersion?: string;
}

async function body(io: CliIo, o: ApiOptions): Promise<string | undefined> {
  if (o.data !== undefined && o.dataStdin) throw invalidInput('cli.api_body', '--data', 'give either --data or --data-stdin, not both');
  const text = o.dataStdin ? await readAll(io.stdin, 50 * 1024 * 1024) : o.data;
  if (text === undefined) return undefined;
  try {
    JSON.parse(text);
  } catch {
    throw invalidInput('cli.api_body', o.dataStdin ? '--data-stdin' : '--data', 'the request body is not valid JSON', `e.g. --data '{"Name":"Acme"}'`);
  }
  return text;
}

/** Runs the call; returns the HTTP status (the command exits non-zero for 4xx/5xx). */
export async function apiCall(io: CliIo, connection: string, method: string, path: string, o: ApiOptions): Promise<number> {
  const m = method.toUpperCase();
  if (!METHODS.includes(m)) throw invalidInput('cli.api_method', 'METHOD', `unknown method "${method}"`, `use one of ${METHODS.join(', ')}`);
  if (!path.startsWith('/'))
    throw invalidInput('cli.api_path', 'path', `the path must start with / (got "${path}")`, 'e.g. /services/data/v62.0/limits or /limits');
  const data = await body(io, o);
  return withHub(io, async (hub) => {
    const { client, connection: conn } = await hub.service.client(hub.tenant.id, connection, {
      user: hub.admin,
      ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}),
    });
    const res = await client.send({ method: m, path, ...(data !== undefined ? { body: data } : {}) });
    const limit = header(res, 'sforce-limit-info');
    const usage = parseLimitInfo(limit);
    // Recorded here as well as by the client's callback, and awaited, so it lands before the hub closes.
    if (usage) await hub.connections.recordApiUsage(hub.tenant.id, conn.id, usage.used, usage.max);
    io.err(`HTTP ${res.status}\n`);
    if (usage) io.err(`API usage: ${usage.used}/${usage.max} (Sforce-Limit-Info: ${limit})\n`);
    let out = res.body;
    if (String(header(res, 'content-type') ?? '').includes('json') && out) {
      try {
        out = JSON.stringify(JSON.parse(out), null, 2);
      } catch {
        // Not JSON after all: print as received.
      }
    }
    if (out) io.out(out.endsWith('\n') ? out : `${out}\n`);
    return res.status;
  });
}

export function apiCommand(io: CliIo = processIo()): Command {
  return new Command('api')
    .description('Call the Salesforce API through a connection (refresh, retries, API usage recorded)')
    .argument('<connection>', 'connection name or id')
    .argument('<method>', METHODS.join('|'))
    .argument('<path>', 'e.g. /services/data/v62.0/limits, or /limits relative to the API version')
    .option('--data <json>', 'JSON request body')
    .option('--data-stdin', 'read the JSON request body from stdin')
    .option('--api-version <version>', 'API version for relative paths (default 62.0)')
    .action(async (connection: string, method: string, path: string, o: ApiOptions) => {
      const status = await apiCall(io, connection, method, path, o);
      if (status >= 400) {
        throw new ForcebridgeError('cli.api_status', 'remote_error', `Salesforce answered ${status}`, { hint: 'see the error body above' });
      }
    });
}
