/**
 * The test control API under `/__emulator/`, answered only when the org runs in test/demo mode.
 * It lets tests drive what a real org does on its own: sessions expiring, tokens revoked, faults,
 * data reset, clock moves, schema drift, and it reads back ground truth and the request log.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { customFieldSchema, describeIssues, settingsSchema } from '../config.js';
import { faultSchema } from '../faults/faults.js';
import type { EmuEnv } from '../http/env.js';
import { JSON_TYPE } from '../http/respond.js';
import type { Org } from '../org.js';
import { customField } from '../schema/custom.js';
import type { StoredRecord } from '../schema/types.js';

function json(c: Context, body: unknown, status = 200): Response {
  return c.body(JSON.stringify(body), status as 200, { 'Content-Type': JSON_TYPE });
}

function bad(c: Context, message: string): Response {
  return json(c, { error: 'bad_request', message }, 400);
}

async function parse<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; res: Response }> {
  let raw: unknown = {};
  const text = await c.req.text();
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, res: bad(c, 'body must be JSON') };
    }
  }
  const r = schema.safeParse(raw);
  if (!r.success) return { ok: false, res: bad(c, `invalid body:\n${describeIssues(r.error)}`) };
  return { ok: true, value: r.data };
}

const updateSchema = z.object({
  ids: z.array(z.string()).optional(),
  /** Without ids: the first `limit` live rows in storage order. */
  limit: z.number().int().positive().optional(),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  /** Timestamp for SystemModstamp (ISO string or epoch ms); default now. */
  at: z.union([z.string(), z.number()]).optional(),
  /** true: only SystemModstamp moves (system/automation change); false: a user edit. */
  systemOnly: z.boolean().default(false),
});

export function registerControl(app: Hono<EmuEnv>, org: Org): void {
  app.use('/__emulator/*', async (c, next) => {
    if (!org.controlEnabled) return json(c, { error: 'control_disabled', message: 'start the emulator in test or demo mode to use /__emulator/' }, 404);
    await next();
  });

  app.get('/__emulator/', (c) =>
    json(c, {
      orgId: org.orgId,
      urls: org.urls,
      apiUsage: org.apiUsage.used,
      dailyApiLimit: org.settings.dailyApiLimit,
      tokens: org.tokens.counts(),
      now: org.clock.now(),
    }),
  );

  app.post('/__emulator/sessions/expire', (c) => json(c, { expired: org.tokens.expireAllAccess() }));

  app.post('/__emulator/users/:username/revoke', (c) => {
    const u = org.usersByName.get(c.req.param('username').toLowerCase());
    if (!u) return json(c, { error: 'not_found', message: `no user ${c.req.param('username')}` }, 404);
    return json(c, { revoked: org.tokens.revokeUser(u.id) });
  });

  app.get('/__emulator/faults', (c) =>
    json(
      c,
      org.faults.list().map(({ regex: _r, ...f }) => f),
    ),
  );
  app.delete('/__emulator/faults', (c) => {
    org.faults.clear();
    return json(c, { cleared: true });
  });
  app.post('/__emulator/faults', async (c) => {
    const p = await parse(c, z.union([faultSchema, z.array(faultSchema)]));
    if (!p.ok) return p.res;
    try {
      const added = (Array.isArray(p.value) ? p.value : [p.value]).map((f) => org.faults.add(f).id);
      return json(c, { ids: added });
    } catch (e) {
      return bad(c, (e as Error).message);
    }
  });

  app.post('/__emulator/reset', async (c) => {
    const p = await parse(
      c,
      z.object({ records: z.number().int().min(0).optional(), seed: z.number().int().optional(), extraAccounts: z.number().int().min(0).optional() }),
    );
    if (!p.ok) return p.res;
    if (p.value.records !== undefined) org.settings.records = p.value.records;
    if (p.value.seed !== undefined) org.settings.seed = p.value.seed;
    if (p.value.extraAccounts !== undefined) org.settings.extraAccounts = p.value.extraAccounts;
    org.reset();
    return json(c, { reset: true, counts: truthCounts(org) });
  });

  app.patch('/__emulator/settings', async (c) => {
    const p = await parse(c, settingsSchema.partial());
    if (!p.ok) return p.res;
    const given = Object.fromEntries(Object.entries(p.value).filter(([, v]) => v !== undefined));
    Object.assign(org.settings, given);
    return json(c, org.settings);
  });

  app.post('/__emulator/api-usage', async (c) => {
    const p = await parse(c, z.object({ used: z.number().int().min(0) }));
    if (!p.ok) return p.res;
    org.apiUsage.used = p.value.used;
    return json(c, { used: org.apiUsage.used, max: org.settings.dailyApiLimit });
  });

  app.post('/__emulator/clock', async (c) => {
    const p = await parse(c, z.object({ advanceMs: z.number().int().optional(), pinMs: z.number().int().nullable().optional() }));
    if (!p.ok) return p.res;
    if (p.value.pinMs !== undefined) org.clock.pin(p.value.pinMs ?? undefined);
    if (p.value.advanceMs) org.clock.advance(p.value.advanceMs);
    return json(c, { now: org.clock.now() });
  });

  app.get('/__emulator/truth', (c) => {
    const only = c.req.query('object');
    const withIds = c.req.query('ids') !== 'false';
    const out: Record<string, unknown> = {};
    for (const def of org.schema.all()) {
      if (only && def.name.toLowerCase() !== only.toLowerCase()) continue;
      const table = org.data.table(def.name);
      const live: string[] = [];
      const deleted: string[] = [];
      for (const r of table.rows.values()) (r.IsDeleted ? deleted : live).push(r.Id as string);
      const purged = [...org.data.deletions.values()].filter((d) => d.object === def.name && d.purged).map((d) => d.id);
      out[def.name] = withIds
        ? { count: live.length, deletedCount: deleted.length, ids: live, deletedIds: deleted, purgedIds: purged }
        : { count: live.length, deletedCount: deleted.length, purgedCount: purged.length };
    }
    return json(c, out);
  });

  app.get('/__emulator/records/:object/:id', (c) => {
    const found = org.data.find(c.req.param('id'));
    if (!found || found.table.def.name.toLowerCase() !== c.req.param('object').toLowerCase()) return json(c, { error: 'not_found' }, 404);
    return json(c, found.record);
  });

  app.post('/__emulator/records/:object/update', async (c) => {
    const def = org.schema.get(c.req.param('object'));
    if (!def) return bad(c, `no object ${c.req.param('object')}`);
    const p = await parse(c, updateSchema);
    if (!p.ok) return p.res;
    const at = p.value.at === undefined ? org.clock.now() : typeof p.value.at === 'number' ? p.value.at : Date.parse(p.value.at);
    if (Number.isNaN(at)) return bad(c, '"at" must be an ISO datetime or epoch ms');
    const table = org.data.table(def.name);
    const targets: StoredRecord[] = [];
    if (p.value.ids) {
      for (const id of p.value.ids) {
        const f = org.data.find(id);
        if (f && f.table === table) targets.push(f.record);
      }
    } else {
      for (const r of table.live()) {
        targets.push(r);
        if (p.value.limit && targets.length >= p.value.limit) break;
      }
    }
    const adminId = [...org.users.values()][0]!.id;
    for (const r of targets) {
      if (p.value.systemOnly) org.data.touchSystem(r, p.value.values, at);
      else org.data.update(r, p.value.values, adminId, at);
    }
    return json(c, { updated: targets.length, ids: targets.map((r) => r.Id) });
  });

  app.post('/__emulator/records/:object/purge', async (c) => {
    const p = await parse(c, z.object({ ids: z.array(z.string()), forgetDeletion: z.boolean().default(false) }));
    if (!p.ok) return p.res;
    let n = 0;
    for (const id of p.value.ids) if (org.data.purge(id, org.clock.now(), p.value.forgetDeletion)) n++;
    return json(c, { purged: n });
  });

  app.post('/__emulator/schema/:object/fields', async (c) => {
    if (!org.schema.get(c.req.param('object'))) return bad(c, `no object ${c.req.param('object')}`);
    const p = await parse(c, customFieldSchema);
    if (!p.ok) return p.res;
    org.schema.addField(c.req.param('object'), customField(p.value), org.clock.now());
    return json(c, { added: p.value.name });
  });

  app.delete('/__emulator/schema/:object/fields/:field', (c) => {
    const removed = org.schema.removeField(c.req.param('object'), c.req.param('field'), org.clock.now());
    return json(c, { removed }, removed ? 200 : 404);
  });

  app.get('/__emulator/requests', (c) => json(c, org.requestLog.since(Number(c.req.query('since') ?? 0))));
  app.delete('/__emulator/requests', (c) => {
    org.requestLog.clear();
    return json(c, { cleared: true });
  });

  app.get('/__emulator/apps/:clientId/jwt-key', (c) => {
    const a = org.apps.get(c.req.param('clientId'));
    if (!a?.jwtPrivateKeyPem) return json(c, { error: 'not_found', message: 'no emulator-generated JWT key for this app' }, 404);
    return c.body(a.jwtPrivateKeyPem, 200, { 'Content-Type': 'application/x-pem-file' });
  });
}

/** Live and deleted record counts per object. */
export function truthCounts(org: Org): Record<string, { count: number; deletedCount: number }> {
  const out: Record<string, { count: number; deletedCount: number }> = {};
  for (const def of org.schema.all()) {
    let live = 0;
    let deleted = 0;
    for (const r of org.data.table(def.name).rows.values()) {
      if (r.IsDeleted) deleted++;
      else live++;
    }
    out[def.name] = { count: live, deletedCount: deleted };
  }
  return out;
}
