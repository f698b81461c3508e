/**
 * The API checks Salesforce's own connection test makes: the REST API answers (versions, limits),
 * objects can be listed, a known object described and a record queried. Permission errors name
 * the object or field and the permission to grant.
 */
import { ForcebridgeError } from '../../errors.js';
import { SalesforceClient } from '../../salesforce/client.js';
import type { Check, DoctorContext, Outcome } from '../types.js';
import { networkFix } from './host.js';

/** A client over the session the token check established (no renewal: that was the token check's job). */
function client(ctx: DoctorContext): SalesforceClient {
  const s = ctx.facts.session!;
  return new SalesforceClient({
    transport: ctx.deps.transport,
    apiVersion: ctx.apiVersion,
    timeoutMs: Math.max(ctx.integration.authTimeoutMs, 30_000),
    maxRetries: 1,
    session: {
      current: async () => ({ ...s, version: 0 }),
      renew: () =>
        Promise.reject(new ForcebridgeError('doctor.session_refused', 'remote_error', 'Salesforce refused the session the token check had just verified')),
    },
  });
}

const who = (ctx: DoctorContext) => ctx.facts.who ?? 'the connected user';

/** Fix text for a REST error, naming the object or field and the permission. */
export function apiErrorOutcome(ctx: DoctorContext, e: unknown, what: { object: string; fields?: string[] }): Outcome {
  if (!(e instanceof ForcebridgeError)) throw e;
  if (e.kind === 'unavailable') return networkFix(e, ctx.facts.session?.instanceUrl ?? '');
  const code = e.salesforce?.errorCode;
  const message = e.salesforce?.message ?? e.message;
  switch (code) {
    case 'API_DISABLED_FOR_ORG':
      return {
        status: 'fail',
        detail: `${e.message} (for ${who(ctx)})`,
        fix: `grant the "API Enabled" permission to ${who(ctx)}’s profile or a permission set (Setup → Profiles → System Permissions → API Enabled); some editions (Professional without the API add-on) have no API access`,
      };
    case 'REQUEST_LIMIT_EXCEEDED':
      return {
        status: 'fail',
        detail: e.message,
        fix: 'the org used its daily API requests: wait for the rolling 24-hour window, or raise the allocation with Salesforce',
      };
    case 'INVALID_TYPE':
    case 'NOT_FOUND':
      return {
        status: 'fail',
        detail: `${what.object}: ${code}: ${message}`,
        fix: `object permission missing: grant Read on ${what.object} to ${who(ctx)}’s profile or a permission set (Object Settings → ${what.object} → Read)`,
      };
    case 'INVALID_FIELD': {
      const field = /No such column '([^']+)'/.exec(message)?.[1] ?? what.fields?.find((f) => message.includes(f)) ?? 'the field';
      return {
        status: 'fail',
        detail: `${what.object}.${field}: INVALID_FIELD: ${message.split('\n').pop()}`,
        fix: `field permission missing: grant Read access on ${what.object}.${field} in field-level security for ${who(ctx)}’s profile or a permission set`,
      };
    }
    case 'INSUFFICIENT_ACCESS':
      return { status: 'fail', detail: e.message, fix: e.hint ?? 'grant the missing permission' };
    default:
      return { status: 'fail', detail: e.message, fix: e.hint ?? 'see Salesforce’s message above' };
  }
}

export const apiEnabled: Check = {
  id: 'api.enabled',
  title: 'API enabled',
  needs: ['token'],
  async run(ctx) {
    const c = client(ctx);
    let versions: { version: string }[];
    try {
      versions = (await c.request<{ version: string }[]>({ method: 'GET', path: '/services/data/' })).json ?? [];
    } catch (e) {
      return apiErrorOutcome(ctx, e, { object: '' });
    }
    try {
      const limits = await c.request<{ DailyApiRequests?: { Max: number; Remaining: number } }>({ method: 'GET', path: '/limits' });
      const daily = limits.json?.DailyApiRequests;
      const listed = versions.some((v) => v.version === ctx.apiVersion);
      const usage = daily ? `; ${daily.Max - daily.Remaining} of ${daily.Max} daily API requests used` : '';
      if (!listed) {
        return {
          status: 'warn',
          detail: `v${ctx.apiVersion} is not among the ${versions.length} versions the org lists${usage}`,
          fix: 'the org may be on an older release: use a listed version',
        };
      }
      if (daily && daily.Remaining <= daily.Max * 0.05) {
        return { status: 'warn', detail: `REST API v${ctx.apiVersion} answers${usage}`, fix: 'the daily API allocation is nearly used up' };
      }
      return { status: 'ok', detail: `REST API v${ctx.apiVersion} answers${usage}` };
    } catch (e) {
      return apiErrorOutcome(ctx, e, { object: '' });
    }
  },
};

export const apiObjects: Check = {
  id: 'api.objects',
  title: 'List objects',
  needs: ['api.enabled'],
  async run(ctx) {
    const object = ctx.probe.object;
    try {
      const res = await client(ctx).request<{ sobjects: { name: string }[] }>({ method: 'GET', path: '/sobjects' });
      const names = (res.json?.sobjects ?? []).map((o) => o.name);
      if (!names.some((n) => n.toLowerCase() === object.toLowerCase())) {
        return {
          status: 'fail',
          detail: `${names.length} objects visible, but not ${object}`,
          fix: `object permission missing: grant Read on ${object} to ${who(ctx)}’s profile or a permission set (Object Settings → ${object} → Read), or check the object’s API name`,
        };
      }
      return { status: 'ok', detail: `${names.length} objects visible, including ${object}` };
    } catch (e) {
      return apiErrorOutcome(ctx, e, { object });
    }
  },
};

export const apiDescribe: Check = {
  id: 'api.describe',
  title: (ctx) => `Describe ${ctx.probe.object}`,
  needs: ['api.objects'],
  async run(ctx) {
    const { object, fields } = ctx.probe;
    try {
      const res = await client(ctx).request<{ fields: { name: string }[] }>({ method: 'GET', path: `/sobjects/${encodeURIComponent(object)}/describe` });
      const visible = new Set((res.json?.fields ?? []).map((f) => f.name.toLowerCase()));
      const hidden = fields.filter((f) => !visible.has(f.toLowerCase()));
      if (hidden.length) {
        const names = hidden.map((f) => `${object}.${f}`).join(', ');
        return {
          status: 'fail',
          detail: `${object} has ${visible.size} visible fields; ${names} ${hidden.length === 1 ? 'is' : 'are'} missing`,
          fix: `field permission missing: grant Read access on ${names} in field-level security for ${who(ctx)}’s profile or a permission set (or check the field names)`,
        };
      }
      return { status: 'ok', detail: `${object} has ${visible.size} visible fields, including ${fields.join(', ')}` };
    } catch (e) {
      return apiErrorOutcome(ctx, e, { object, fields });
    }
  },
};

export const apiQuery: Check = {
  id: 'api.query',
  title: (ctx) => `Query one ${ctx.probe.object} record`,
  needs: ['api.describe'],
  async run(ctx) {
    const { object, fields } = ctx.probe;
    const soql = `SELECT ${fields.join(', ')} FROM ${object} LIMIT 1`;
    try {
      const res = await client(ctx).request<{ totalSize: number; records: unknown[] }>({ method: 'GET', path: '/query', query: { q: soql } });
      const n = res.json?.records?.length ?? 0;
      return n
        ? { status: 'ok', detail: `${soql} returned a record` }
        : { status: 'ok', detail: `${soql} ran; no ${object} records are visible to ${who(ctx)} (none exist, or sharing hides them)` };
    } catch (e) {
      return apiErrorOutcome(ctx, e, { object, fields });
    }
  },
};
