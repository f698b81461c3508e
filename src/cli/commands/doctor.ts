/**
 * `forcebridge doctor <connection|integration>`: runs Salesforce's connection test (config, host,
 * token, API enabled, list/describe/query, scopes, state) and prints a checklist with the fix under
 * every failure, or `--json`. Exits 1 when any check fails. Never prints a secret or token.
 */
import { Command } from 'commander';
import { formatReport } from '../../doctor/format.js';
import { runDoctor } from '../../doctor/runner.js';
import type { DoctorOptions } from '../../doctor/types.js';
import { invalidInput } from '../../errors.js';
import { printJson, processIo, withHub, type CliIo } from '../io.js';

export interface DoctorCliOptions {
  json?: boolean;
  object?: string;
  fields?: string;
  apiVersion?: string;
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Doctor options from the flags; names are checked so they can go into SOQL safely. */
export function doctorOptions(o: DoctorCliOptions): DoctorOptions {
  const object = o.object ?? 'Account';
  if (!API_NAME.test(object))
    throw invalidInput('cli.doctor_object', '--object', `"${object}" is not an object API name`, 'e.g. --object Account or --object Invoice__c');
  const fields = (o.fields ?? 'Id,Name')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const bad = fields.find((f) => !API_NAME.test(f));
  if (bad !== undefined || fields.length === 0)
    throw invalidInput('cli.doctor_fields', '--fields', `"${bad ?? ''}" is not a field API name`, 'e.g. --fields Id,Name,Industry');
  if (o.apiVersion !== undefined && !/^\d{2}\.0$/.test(o.apiVersion))
    throw invalidInput('cli.doctor_api_version', '--api-version', 'the API version looks like 62.0');
  return { probe: { object, fields }, ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}) };
}

/** Runs the doctor and prints the report; returns the exit code (1 when a check failed). */
export async function doctor(io: CliIo, target: string, o: DoctorCliOptions, extra: DoctorOptions = {}): Promise<number> {
  const opts = { ...doctorOptions(o), ...extra };
  return withHub(io, async (hub) => {
    const report = await runDoctor(hub, hub.tenant.id, target, opts);
    if (o.json) printJson(io, report);
    else io.out(formatReport(report) + '\n');
    return report.ok ? 0 : 1;
  });
}

export function doctorCommand(io: CliIo = processIo()): Command {
  return new Command('doctor')
    .description('Test a connection (or an integration) the way Salesforce describes, and say how to fix what fails')
    .argument('<target>', 'connection or integration, by name or id')
    .option('--json', 'print the results as JSON')
    .option('--object <name>', 'object to describe and query (default Account)')
    .option('--fields <list>', 'comma-separated fields the product needs (default Id,Name)')
    .option('--api-version <version>', 'REST API version to test (default 62.0)')
    .action(async (target: string, o: DoctorCliOptions) => {
      process.exitCode = await doctor(io, target, o);
    });
}
