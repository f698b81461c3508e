/**
 * `list_objects`: the sObjects the connected Salesforce user can access, from describeGlobal,
 * with what the user may do on each.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_describeGlobal.htm
 */
import { z } from 'zod';
import { describeGlobalFor } from '../describe-cache.js';
import { defineTool, READ_ONLY } from '../tool.js';

const objectSummary = z.object({
  name: z.string(),
  label: z.string(),
  custom: z.boolean(),
  queryable: z.boolean(),
  searchable: z.boolean(),
  createable: z.boolean(),
  updateable: z.boolean(),
  deletable: z.boolean(),
});

export const listObjects = defineTool({
  name: 'list_objects',
  title: 'List Salesforce objects',
  description:
    'Lists the Salesforce objects (sObjects) the connected user can access, with whether each is queryable, searchable, createable, updateable and deletable for that user. ' +
    'Optional `filter` keeps objects whose API name or label contains the text (case-insensitive). Reads only; changes nothing.',
  input: z.object({
    filter: z.string().max(200).optional().meta({ description: 'text the API name or label must contain, case-insensitive' }),
  }),
  output: z.object({ objects: z.array(objectSummary), total: z.number().int() }),
  annotations: READ_ONLY,
  async run(ctx, input) {
    const all = await describeGlobalFor(ctx);
    const f = input.filter?.trim().toLowerCase();
    const objects = all
      .filter((o) => !f || o.name.toLowerCase().includes(f) || o.label.toLowerCase().includes(f))
      .map((o) => ({
        name: o.name,
        label: o.label,
        custom: o.custom,
        queryable: o.queryable,
        searchable: o.searchable,
        createable: o.createable,
        updateable: o.updateable,
        deletable: o.deletable,
      }));
    return { objects, total: objects.length };
  },
});
