/**
 * The describe facts proposals validate against, fetched as the connection's Salesforce user: an
 * sObject Describe is per user, so fields hidden by field-level security are absent and read-only
 * fields answer `createable/updateable: false`. The answer is parsed field by field; anything
 * missing is Salesforce breaking its own protocol, not a reason to guess.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
import { z } from 'zod';
import { ForcebridgeError, remoteProtocol } from '../../errors.js';
import type { AgentContext } from '../context.js';

const picklistEntry = z.object({ value: z.string(), active: z.boolean(), label: z.string().nullable().optional() });

const fieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  length: z.number().int().min(0),
  precision: z.number().int().min(0).optional().default(0),
  scale: z.number().int().min(0).optional().default(0),
  digits: z.number().int().min(0).optional().default(0),
  createable: z.boolean(),
  updateable: z.boolean(),
  nillable: z.boolean(),
  defaultedOnCreate: z.boolean(),
  calculated: z.boolean(),
  externalId: z.boolean().optional().default(false),
  idLookup: z.boolean().optional().default(false),
  restrictedPicklist: z.boolean().optional().default(false),
  picklistValues: z.array(picklistEntry).optional().default([]),
  referenceTo: z.array(z.string()).optional().default([]),
});

const describeSchema = z.object({
  name: z.string(),
  label: z.string(),
  keyPrefix: z.string().nullable().optional(),
  createable: z.boolean(),
  updateable: z.boolean(),
  deletable: z.boolean(),
  undeletable: z.boolean(),
  retrieveable: z.boolean().optional().default(true),
  fields: z.array(fieldSchema),
});

export type DescribeField = z.output<typeof fieldSchema>;
export type ObjectDescribe = z.output<typeof describeSchema>;

/** Checks a describe answer; the message names the first bad property. */
export function parseDescribe(object: string, body: unknown): ObjectDescribe {
  const r = describeSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw remoteProtocol('agent.describe_unexpected', `describe of ${object}: "${path.replace(/^\./, '')}" ${issue.message}`, { object });
  }
  return r.data;
}

/** Describe of `object` as the connection's user; an unknown or unreadable object is not_found. */
export async function describeObject(ctx: AgentContext, object: string): Promise<ObjectDescribe> {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(object)) {
    throw new ForcebridgeError('agent.object_invalid', 'invalid_input', `"${object}" is not an object API name`, {
      field: 'object',
      hint: 'use the API name from list_objects, e.g. Account or Invoice__c',
    });
  }
  try {
    const res = await ctx.client.request<unknown>({ method: 'GET', path: `/sobjects/${encodeURIComponent(object)}/describe` });
    return parseDescribe(object, res.json);
  } catch (e) {
    if (e instanceof ForcebridgeError && (e.salesforce?.errorCode === 'NOT_FOUND' || e.salesforce?.errorCode === 'INVALID_TYPE')) {
      throw new ForcebridgeError('agent.object_not_found', 'not_found', `object ${object} does not exist or the connection's Salesforce user cannot see it`, {
        field: 'object',
        hint: 'check the API name with list_objects; custom objects end in __c',
        salesforce: e.salesforce,
      });
    }
    throw e;
  }
}

/** A field by API name, case-insensitively (Salesforce names are case-insensitive). */
export function findField(d: ObjectDescribe, name: string): DescribeField | undefined {
  const low = name.toLowerCase();
  return d.fields.find((f) => f.name.toLowerCase() === low);
}
