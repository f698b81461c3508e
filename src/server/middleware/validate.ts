/**
 * Validates path params, query and JSON body with the endpoint's zod schemas. The error names the
 * first bad field (`field`) and lists every problem in the message.
 */
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { ForcebridgeError } from '../../errors.js';
import type { Endpoint } from '../endpoint.js';
import type { ServerEnv } from '../env.js';

function parsePart(schema: z.ZodType | undefined, value: unknown, where: 'path' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  // An unknown key is named by the key itself (e.g. a secret sent outside `secrets`).
  const name = (i: z.core.$ZodIssue) => [...i.path.map(String), ...(i.code === 'unrecognized_keys' ? [i.keys[0]!] : [])].join('.') || where;
  const first = r.error.issues[0]!;
  const all = r.error.issues.map((i) => `${name(i)}: ${i.message}`).join('; ');
  throw new ForcebridgeError('request.invalid', 'invalid_input', `invalid request ${where} — ${all}`, {
    field: name(first),
    hint: 'see GET /api/v1/openapi.json for the expected shape',
  });
}

async function readJson(text: string): Promise<unknown> {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ForcebridgeError('request.invalid_json', 'invalid_input', 'the request body is not valid JSON', {
      field: 'body',
      hint: 'send a JSON object with Content-Type: application/json',
    });
  }
}

export function validate(ep: Endpoint): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const params = parsePart(ep.params, c.req.param(), 'path');
    const query = parsePart(ep.query, c.req.query(), 'query');
    const body = ep.body ? parsePart(ep.body, await readJson(await c.req.text()), 'body') : undefined;
    c.set('input', { params, query, body });
    await next();
  };
}
