/**
 * Test control for Bulk 2.0 query jobs (only when the org's control API is enabled):
 * - `POST /__emulator/bulk/fail-next {count?, message?}`: the next `count` (default 1) jobs created
 *   end `Failed`, with `errorMessage` when a message is given;
 * - `DELETE /__emulator/bulk/fail-next`: forget failures not yet used;
 * - `GET /__emulator/bulk/jobs`: every job of the org (ground truth, all users).
 * Registered with the Bulk routes, so it answers on the instance (My Domain) host.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { describeIssues } from '../config.js';
import type { EmuEnv } from '../http/env.js';
import { JSON_TYPE } from '../http/respond.js';
import type { Org } from '../org.js';
import { jobStore } from './query-jobs.js';

function json(c: Context, body: unknown, status = 200): Response {
  return c.body(JSON.stringify(body), status as 200, { 'Content-Type': JSON_TYPE });
}

const failNextSchema = z.object({
  count: z.number().int().min(1).default(1),
  message: z.string().optional(),
});

export function registerBulkControl(app: Hono<EmuEnv>, org: Org): void {
  app.use('/__emulator/bulk/*', async (c, next) => {
    if (!org.controlEnabled) return json(c, { error: 'control_disabled', message: 'start the emulator in test or demo mode to use /__emulator/' }, 404);
    await next();
  });

  app.post('/__emulator/bulk/fail-next', async (c) => {
    const text = await c.req.text();
    let raw: unknown = {};
    try {
      raw = text.trim() ? JSON.parse(text) : {};
    } catch {
      return json(c, { error: 'bad_request', message: 'body must be JSON' }, 400);
    }
    const r = failNextSchema.safeParse(raw);
    if (!r.success) return json(c, { error: 'bad_request', message: `invalid body:\n${describeIssues(r.error)}` }, 400);
    return json(c, { pending: jobStore(org).failNext(r.data.count, r.data.message) });
  });

  app.delete('/__emulator/bulk/fail-next', (c) => {
    jobStore(org).clearFailures();
    return json(c, { cleared: true });
  });

  app.get('/__emulator/bulk/jobs', (c) =>
    json(
      c,
      jobStore(org)
        .all()
        .map((j) => ({
          id: j.id,
          state: j.state,
          operation: j.operation,
          object: j.object,
          createdById: j.createdById,
          apiVersion: j.apiVersion,
          rows: j.size,
        })),
    ),
  );
}
