/**
 * `search`: keyword search across objects through `parameterizedSearch`. The term travels as
 * data in a JSON body — no SOSL string is built — so quotes, braces or `RETURNING` in it can
 * never change the search (no SOSL injection).
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_search_parameterized.htm
 */
import { z } from 'zod';
import { ForcebridgeError, invalidInput } from '../../errors.js';
import type { AgentContext } from '../context.js';
import { describeFor, describeGlobalFor, findField } from '../describe-cache.js';
import { cleanRecord } from '../records.js';
import { checked, searchAnswerSchema } from '../sf-answers.js';
import { defineTool, READ_ONLY } from '../tool.js';

/** Searched when the caller names no objects (those of them the user can search). */
export const DEFAULT_SEARCH_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'];

const objectSpec = z.object({
  name: z.string().min(1).max(80).meta({ description: 'sObject API name' }),
  fields: z.array(z.string().min(1).max(120)).max(50).optional().meta({ description: 'fields to return besides Id and the name field' }),
  limit: z.number().int().min(1).max(200).optional().meta({ description: 'hits of this object' }),
});

const hit = z.object({ object: z.string(), id: z.string(), name: z.string().nullable(), fields: z.record(z.string(), z.unknown()) });

interface Plan {
  name: string;
  nameField: string | undefined;
  fields: string[];
  limit: number;
}

async function planFor(ctx: AgentContext, spec: z.infer<typeof objectSpec>, i: number, defaultLimit: number): Promise<Plan> {
  const d = await describeFor(ctx, spec.name, `objects.${i}.name`);
  if (!d.searchable) throw invalidInput('agent.not_searchable', `objects.${i}.name`, `${d.name} is not searchable`, 'use query with a WHERE clause instead');
  const nameField = d.fields.find((f) => f.nameField)?.name;
  const fields = (spec.fields ?? []).map((n, j) => {
    const f = findField(d, n);
    if (!f)
      throw invalidInput(
        'agent.unknown_field',
        `objects.${i}.fields.${j}`,
        `${d.name} has no field "${n}" that the connected user can see`,
        `see the fields with describe_object {"object": "${d.name}"}`,
      );
    return f.name;
  });
  return { name: d.name, nameField, fields: [...new Set(['Id', ...(nameField ? [nameField] : []), ...fields])], limit: spec.limit ?? defaultLimit };
}

export const search = defineTool({
  name: 'search',
  title: 'Search Salesforce records by keyword',
  description:
    'Keyword search (Salesforce search index) across objects as the connected user. `term` is plain text (every word must match; * and ? are wildcards). ' +
    '`objects` picks the objects, fields and per-object limits (default: Account, Contact, Lead, Opportunity, Case where searchable). Returns object, Id, record name and the requested fields of each hit. Reads only; changes nothing.',
  input: z.object({
    term: z.string().min(2).max(4000).meta({ description: 'words to search for' }),
    objects: z.array(objectSpec).min(1).max(20).optional(),
    limit: z.number().int().min(1).max(200).default(50).meta({ description: 'hits overall' }),
  }),
  output: z.object({ hits: z.array(hit) }),
  annotations: READ_ONLY,
  async run(ctx, input) {
    let specs = input.objects;
    if (!specs) {
      const visible = new Map((await describeGlobalFor(ctx)).filter((o) => o.searchable).map((o) => [o.name.toLowerCase(), o.name]));
      specs = DEFAULT_SEARCH_OBJECTS.filter((n) => visible.has(n.toLowerCase())).map((name) => ({ name }));
      if (specs.length === 0)
        throw invalidInput(
          'agent.not_searchable',
          'objects',
          'none of the default objects is searchable for the connected user',
          'name the objects to search in `objects`',
        );
    }
    const plans: Plan[] = [];
    for (const [i, s] of specs.entries()) plans.push(await planFor(ctx, s, i, input.limit));
    let res;
    try {
      res = await ctx.client.request({
        method: 'POST',
        path: '/parameterizedSearch',
        body: { q: input.term, sobjects: plans.map((p) => ({ name: p.name, fields: p.fields, limit: p.limit })), fields: ['Id'], overallLimit: input.limit },
        // A search changes nothing, so it is safe to retry.
        retryUnsafe: true,
      });
    } catch (e) {
      if (e instanceof ForcebridgeError && e.salesforce?.errorCode === 'MALFORMED_SEARCH') {
        throw invalidInput(
          'agent.search_refused',
          'term',
          `Salesforce refused the search term: ${e.salesforce.message ?? 'malformed search'}`,
          'use words of at least two letters or digits',
        );
      }
      throw e;
    }
    const byName = new Map(plans.map((p) => [p.name.toLowerCase(), p]));
    const hits = checked(searchAnswerSchema, res.json, 'parameterizedSearch').searchRecords.map((r, i) => {
      const type = (r.attributes as { type?: unknown } | undefined)?.type;
      if (typeof type !== 'string' || typeof r.Id !== 'string') {
        throw new ForcebridgeError(
          'agent.unexpected_answer',
          'remote_protocol',
          `Salesforce's parameterizedSearch answer has a hit without attributes.type or Id at "searchRecords.${i}"`,
        );
      }
      const plan = byName.get(type.toLowerCase());
      const { attributes: _a, Id: _id, ...rest } = cleanRecord(r);
      const nameValue = plan?.nameField ? r[plan.nameField] : undefined;
      if (plan?.nameField) delete rest[plan.nameField];
      return { object: type, id: r.Id, name: typeof nameValue === 'string' ? nameValue : null, fields: rest };
    });
    return { hits };
  },
});
