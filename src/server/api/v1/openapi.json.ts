/**
 * `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of every endpoint. Public, like any API
 * description; it holds no data.
 */
import { endpoint } from '../../endpoint.js';
import { openApiDocument } from '../../openapi.js';

export const openApiEndpoint = endpoint({
  method: 'get',
  path: '/api/v1/openapi.json',
  operationId: 'openApi',
  summary: 'This API’s OpenAPI 3.1 document',
  tag: 'Meta',
  access: 'public',
  responses: { 200: { description: 'the OpenAPI document' } },
  async handle(c) {
    // Imported lazily: routes.ts imports this file, so a static import would be circular.
    const { ENDPOINTS } = await import('../../routes.js');
    return c.json(openApiDocument(ENDPOINTS, { serverUrl: c.get('deps').baseUrl }));
  },
});
