/**
 * The OpenAPI 3.1 document, generated from the endpoint list and its zod schemas (z.toJSONSchema),
 * so the document describes exactly what the server validates and answers.
 */
import { z } from 'zod';
import { VERSION } from '../version.js';
import type { Endpoint } from './endpoint.js';
import { errorSchema } from './views.js';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) for a zod schema; named schemas go to components. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  // Schemas named with .meta({id}) come out as $defs; they become shared components.
  const relink = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replace(/"#\/\$defs\//g, '"#/components/schemas/'));
  for (const [name, def] of Object.entries(out.$defs ?? {})) components[name] = relink(def) as JsonSchema;
  delete out.$defs;
  delete out.$schema;
  return relink(out) as JsonSchema;
}

/** Path and query parameters from a zod object schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', components: Record<string, JsonSchema>): JsonSchema[] {
  if (!schema) return [];
  const js = toSchema(schema, 'input', components) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'invalid input; `error.field` names the field',
  '401': 'no API key, or an unknown or revoked one',
  '403': 'not allowed (admin only, or a step-up is needed: auth.step_up_required)',
  '404': 'not found (or not yours)',
  '409': 'conflicts with the current state',
  '502': 'Salesforce answered with an error or broke its protocol',
  '503': 'Salesforce could not be reached',
};

export function openApiDocument(endpoints: Endpoint[], o: { serverUrl?: string } = {}): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const errorRef = toSchema(errorSchema, 'output', components);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const ep of endpoints) {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, r] of Object.entries(ep.responses)) {
      const type = r.contentType ?? 'application/json';
      responses[status] = {
        description: r.description,
        ...(r.schema ? { content: { [type]: { schema: toSchema(r.schema, 'output', components) } } } : r.contentType ? { content: { [type]: {} } } : {}),
      };
    }
    if (ep.errorFormat !== 'html') {
      const relevant = Object.keys(ERROR_RESPONSES).filter((s) => (s !== '401' && s !== '403') || ep.access !== 'public');
      for (const s of relevant) responses[s] ??= { description: ERROR_RESPONSES[s], content: { 'application/json': { schema: errorRef } } };
    }
    const op: JsonSchema = {
      operationId: ep.operationId,
      summary: ep.summary,
      ...(ep.description ? { description: ep.description } : {}),
      tags: [ep.tag],
      security: ep.access === 'public' ? [] : [{ apiKey: [] }],
      parameters: [...parameters(ep.params, 'path', components), ...parameters(ep.query, 'query', components)],
      ...(ep.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(ep.body, 'input', components) } } } } : {}),
      responses,
      'x-forcebridge-access': ep.access,
      ...(ep.stepUp ? { 'x-forcebridge-step-up': ep.stepUp === 'always' ? 'always' : 'when saving secrets' } : {}),
    };
    (paths[ep.path] ??= {})[ep.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'forcebridge hub API',
      version: VERSION,
      description:
        'Integrations, connections and authenticated pass-through calls to Salesforce. Authenticate with `Authorization: Bearer fb_…` API keys; saving secrets needs a step-up (POST /api/v1/auth/step-up) within 5 minutes.',
    },
    ...(o.serverUrl ? { servers: [{ url: o.serverUrl }] } : {}),
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'fb_… API key' } },
      schemas: components,
    },
    paths,
  };
}
