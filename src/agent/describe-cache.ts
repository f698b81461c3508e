/**
 * describeGlobal and sObject describe for agent tools, cached briefly in memory per hub, per
 * connection and per hub user, so a query, a search or a prepare does not re-describe each time
 * (each describe is an API call against the org's daily budget). Field-level security differs per
 * Salesforce user, so an entry is never shared between connections; entries expire after
 * `DESCRIBE_TTL_MS` so schema changes show up within a minute.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
import type { Hub } from '../connections/hub.js';
import { ForcebridgeError, invalidInput } from '../errors.js';
import type { AgentContext } from './context.js';
import { checked, describeGlobalSchema, describeSchema, type FieldDescribe, type GlobalEntry, type ObjectDescribe } from './sf-answers.js';

export const DESCRIBE_TTL_MS = 60_000;
/** Entries kept per hub; the oldest go first. */
export const DESCRIBE_CACHE_MAX = 500;

const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** Checks an sObject API name before it goes into a URL path. */
export function checkObjectName(name: string, field = 'object'): string {
  if (!OBJECT_NAME.test(name)) {
    throw invalidInput('agent.object_name', field, `"${name}" is not an sObject API name`, 'use the API name from list_objects, e.g. Account or Invoice__c');
  }
  return name;
}

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/** The cache of one hub; `clear()` forgets everything, `forget(connectionId)` one connection. */
export class DescribeCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly now: () => number = Date.now) {}

  /** The cached value for `key`, or `load()`'s (a failed load is not kept). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < DESCRIBE_TTL_MS) return hit.value as Promise<T>;
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > DESCRIBE_CACHE_MAX) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  forget(connectionId: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(`${connectionId}|`)) this.entries.delete(k);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

const caches = new WeakMap<Hub, DescribeCache>();

/** The describe cache of `hub` (created on first use). */
export function describeCache(hub: Hub): DescribeCache {
  let c = caches.get(hub);
  if (!c) {
    c = new DescribeCache();
    caches.set(hub, c);
  }
  return c;
}

const keyOf = (ctx: AgentContext, what: string) => `${ctx.connection.id}|${ctx.user.id}|${what.toLowerCase()}`;

/** The objects the connection's Salesforce user can access (`GET /sobjects`), cached. */
export function describeGlobalFor(ctx: AgentContext): Promise<GlobalEntry[]> {
  return describeCache(ctx.hub).get(keyOf(ctx, '*global'), async () => {
    const res = await ctx.client.request({ method: 'GET', path: '/sobjects' });
    return checked(describeGlobalSchema, res.json, 'describeGlobal').sobjects;
  });
}

/**
 * The parsed describe of `object` for the connection's Salesforce user (fields hidden by
 * field-level security are absent, createable/updateable are this user's), cached. An object
 * the user cannot see is `agent.object_not_found` naming it.
 */
export function describeFor(ctx: AgentContext, object: string, field = 'object'): Promise<ObjectDescribe> {
  checkObjectName(object, field);
  return describeCache(ctx.hub).get(keyOf(ctx, object), async () => {
    try {
      const res = await ctx.client.request({ method: 'GET', path: `/sobjects/${object}/describe` });
      return checked(describeSchema, res.json, `describe of ${object}`);
    } catch (e) {
      const code = e instanceof ForcebridgeError ? e.salesforce?.errorCode : undefined;
      if (e instanceof ForcebridgeError && (e.salesforce?.status === 404 || code === 'NOT_FOUND' || code === 'INVALID_TYPE')) {
        throw new ForcebridgeError('agent.object_not_found', 'not_found', `no object "${object}" that the connected Salesforce user can access`, {
          field,
          hint: 'check the API name with list_objects; custom objects end in __c',
          salesforce: e.salesforce,
          cause: e,
        });
      }
      throw e;
    }
  });
}

/** The field of `d` named `name` (case-insensitive), if the user can see it. */
export function findField(d: ObjectDescribe, name: string): FieldDescribe | undefined {
  const n = name.toLowerCase();
  return d.fields.find((f) => f.name.toLowerCase() === n);
}
