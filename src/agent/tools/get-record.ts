/**
 * `get_record`: one record by object and Id, with chosen fields or every field the connected user
 * can see (from describe). Unknown or hidden fields are refused naming the field before anything
 * is sent.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_get_field_values.htm
 */
import { z } from 'zod';
import { ForcebridgeError, invalidInput } from '../../errors.js';
import { describeFor, findField } from '../describe-cache.js';
import { checkRecordId } from '../record-id.js';
import { cleanRecord } from '../records.js';
import { checked, recordSchema } from '../sf-answers.js';
import { defineTool, READ_ONLY } from '../tool.js';

/** Past this, the all-fields list is left to Salesforce (a GET without `fields` returns every visible field). */
const MAX_FIELDS_PARAM = 6000;

export const getRecord = defineTool({
  name: 'get_record',
  title: 'Get one Salesforce record',
  description:
    'Reads one record by object API name and Id (15 or 18 characters) as the connected user: the chosen `fields`, or every field the user can see. Reads only; changes nothing.',
  input: z.object({
    object: z.string().min(1).max(80).meta({ description: 'sObject API name, e.g. Account' }),
    id: z.string().min(1).max(18).meta({ description: '15- or 18-character record Id' }),
    fields: z.array(z.string().min(1).max(120)).min(1).max(500).optional().meta({ description: 'field API names; all visible fields when absent' }),
  }),
  output: z.object({ object: z.string(), id: z.string(), record: z.record(z.string(), z.unknown()) }),
  annotations: READ_ONLY,
  async run(ctx, input) {
    const id = checkRecordId(input.id);
    const d = await describeFor(ctx, input.object);
    if (d.keyPrefix && !id.startsWith(d.keyPrefix)) {
      throw invalidInput(
        'agent.invalid_id',
        'id',
        `"${input.id}" is not a ${d.name} id (${d.name} ids start with ${d.keyPrefix})`,
        'check the object, or find the record with search or query',
      );
    }
    let names: string[];
    if (input.fields) {
      names = input.fields.map((n, i) => {
        const f = findField(d, n);
        if (!f)
          throw invalidInput(
            'agent.unknown_field',
            `fields.${i}`,
            `${d.name} has no field "${n}" that the connected user can see`,
            `see the fields with describe_object {"object": "${d.name}"}`,
          );
        return f.name;
      });
    } else {
      names = d.fields.map((f) => f.name);
    }
    // Id always comes back, whatever was asked for.
    const list = [...new Set(['Id', ...names])].join(',');
    try {
      const res = await ctx.client.request({
        method: 'GET',
        path: `/sobjects/${d.name}/${id}`,
        ...(list.length <= MAX_FIELDS_PARAM ? { query: { fields: list } } : {}),
      });
      return { object: d.name, id, record: cleanRecord(checked(recordSchema, res.json, `${d.name} record`)) };
    } catch (e) {
      if (e instanceof ForcebridgeError && e.salesforce?.status === 404) {
        throw new ForcebridgeError('agent.record_not_found', 'not_found', `no ${d.name} record ${id} that the connected user can see`, {
          field: 'id',
          hint: 'it may be deleted, or shared with other users only; find records with search or query',
          cause: e,
        });
      }
      throw e;
    }
  },
});
