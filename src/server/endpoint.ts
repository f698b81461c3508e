/**
 * One endpoint as data: method, OpenAPI path, who may call it, zod schemas for its params, query,
 * body and responses, and the handler. The app registers endpoints from this description and the
 * OpenAPI document is generated from the same schemas, so the two cannot drift apart.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { ServerEnv } from './env.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** `public`: no API key (the OAuth callback); `user`: any API key; `admin`: an admin's key. */
export type Access = 'public' | 'user' | 'admin';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
}

export interface EndpointInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

export interface Endpoint<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: Method;
  /** OpenAPI form, e.g. `/api/v1/integrations/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  /**
   * Fresh password re-authentication needed: always, or when the parsed input asks for it
   * (e.g. an integration created with secrets).
   */
  stepUp?: 'always' | ((input: EndpointInput<z.output<P>, z.output<Q>, z.output<B>>) => boolean);
  /** Routes that browsers open answer errors with an HTML page. */
  errorFormat?: 'json' | 'html';
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseSpec>;
  handle(c: Context<ServerEnv>, input: EndpointInput<z.output<P>, z.output<Q>, z.output<B>>): Response | Promise<Response>;
}

/** Declares an endpoint with its input types inferred from the schemas. */
export function endpoint<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  e: Endpoint<P, Q, B>,
): Endpoint {
  return e as unknown as Endpoint;
}

/** `/a/{id}/b` → `/a/:id/b` (Hono's syntax). */
export function honoPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}
