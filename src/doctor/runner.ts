/**
 * `doctor`: resolves the target (a connection, else an integration), runs the checks in order and
 * returns structured results. A check whose prerequisites did not pass is skipped with the reason,
 * so one cause shows up once, with its fix, instead of as a cascade of failures.
 */
import { PRODUCTION_LOGIN, SANDBOX_LOGIN } from '../auth/login-host.js';
import type { Connection } from '../connections/connections-repo.js';
import { ForcebridgeError } from '../errors.js';
import { redactText } from '../log.js';
import { DEFAULT_API_VERSION } from '../salesforce/client.js';
import { apiDescribe, apiEnabled, apiObjects, apiQuery } from './checks/api.js';
import { oauthCallback } from './checks/callback.js';
import { configCallback, configFlow, configHost, configScopes } from './checks/config.js';
import { connectionScopes, connectionState } from './checks/connection.js';
import { hostReachable } from './checks/host.js';
import { tokenCheck } from './checks/token.js';
import type { Check, CheckResult, DoctorContext, DoctorDeps, DoctorOptions, DoctorReport } from './types.js';

/** Every check, in the order they run. */
export const CHECKS: Check[] = [
  configHost,
  configFlow,
  configScopes,
  configCallback,
  hostReachable,
  oauthCallback,
  tokenCheck,
  apiEnabled,
  apiObjects,
  apiDescribe,
  apiQuery,
  connectionScopes,
  connectionState,
];

const title = (c: Check, ctx: DoctorContext) => (typeof c.title === 'function' ? c.title(ctx) : c.title);

/** Runs checks over a context; exported for tests that build a context by hand. */
export async function runChecks(ctx: DoctorContext, checks: Check[] = CHECKS): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const byId = new Map<string, CheckResult>();
  for (const check of checks) {
    const base = { id: check.id, title: title(check, ctx) };
    const blocked = (check.needs ?? []).map((id) => byId.get(id)).find((r) => r && (r.status === 'fail' || r.status === 'skipped'));
    let result: CheckResult;
    const notApplicable = check.notApplicable?.(ctx);
    if (notApplicable) result = { ...base, status: 'skipped', detail: notApplicable };
    else if (blocked) result = { ...base, status: 'skipped', detail: `skipped: “${blocked.title}” did not pass` };
    else {
      try {
        const o = await check.run(ctx);
        result = { ...base, status: o.status, detail: redactText(o.detail), ...(o.fix ? { fix: redactText(o.fix) } : {}) };
      } catch (e) {
        // A check that throws is a finding too: show it rather than abort the whole checklist.
        const fe = e instanceof ForcebridgeError ? e : undefined;
        result = {
          ...base,
          status: 'fail',
          detail: redactText(fe?.message ?? `unexpected error: ${(e as Error).message}`),
          ...(fe?.hint ? { fix: redactText(fe.hint) } : {}),
        };
      }
    }
    results.push(result);
    byId.set(check.id, result);
  }
  return results;
}

/**
 * Diagnoses a connection or an integration (by id or name, within the tenant). Connections win
 * when both have the name (a service connection is named after its integration).
 */
export async function runDoctor(deps: DoctorDeps, tenantId: string, target: string, opts: DoctorOptions = {}): Promise<DoctorReport> {
  let connection: Connection | undefined;
  try {
    connection = await deps.connections.get(tenantId, target);
  } catch (e) {
    if (!(e instanceof ForcebridgeError && e.code === 'connection.not_found')) throw e;
  }
  let integration;
  try {
    integration = await deps.integrations.get(tenantId, connection?.integrationId ?? target);
  } catch (e) {
    if (e instanceof ForcebridgeError && e.code === 'integration.not_found' && !connection) {
      throw new ForcebridgeError('doctor.target_not_found', 'not_found', `no connection or integration "${target}"`, {
        hint: 'name a connection or an integration: `forcebridge integrations list` shows them',
      });
    }
    throw e;
  }
  const ctx: DoctorContext = {
    deps,
    tenantId,
    integration,
    secrets: await deps.integrations.secrets(tenantId, integration.id),
    connection,
    loginHosts: opts.loginHosts ?? { production: PRODUCTION_LOGIN, sandbox: SANDBOX_LOGIN },
    apiVersion: opts.apiVersion ?? DEFAULT_API_VERSION,
    probe: opts.probe ?? { object: 'Account', fields: ['Id', 'Name'] },
    facts: {},
  };
  const results = await runChecks(ctx);
  return {
    target: connection
      ? { kind: 'connection', id: connection.id, name: connection.name, integration: integration.name, flow: integration.flow }
      : { kind: 'integration', id: integration.id, name: integration.name, integration: integration.name, flow: integration.flow },
    results,
    ok: !results.some((r) => r.status === 'fail'),
  };
}
