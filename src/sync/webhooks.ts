/**
 * Webhooks: after a run that changed records (or did not succeed), each matching subscription gets
 * a delivery — `{event, connectionId, runId, status, objects, cursor}` — signed with HMAC-SHA256
 * over `t.body` (header `X-Forcebridge-Signature: t=…,v1=…`, Stripe's scheme, so receivers can
 * reject replays by age). Deliveries are rows: each attempt is recorded, failures are retried with
 * backoff up to a bounded number of attempts, and whichever process runs `deliverDue` (the CLI
 * after a run, `sync --watch`, `serve --sync`) claims a due delivery with one conditional UPDATE so
 * two processes never send the same attempt.
 *
 * Subscribers are https URLs, or http on the loopback interface (local receivers, tests).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Vault } from '../connections/vault.js';
import { ForcebridgeError } from '../errors.js';
import { redactText } from '../log.js';
import type { WebhookDeliveriesTable, WebhooksTable } from '../store/schema.js';
import type { Store } from '../store/types.js';
import { VERSION } from '../version.js';
import type { RunResult } from './engine.js';
import { latestCursor } from './feed.js';

export const WEBHOOK_EVENTS = ['sync.changed', 'sync.failed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const SIGNATURE_HEADER = 'X-Forcebridge-Signature';

/** AAD binding a secret's ciphertext to its row (key rotation rebuilds the same string). */
export const webhookSecretAad = (id: string) => `webhooks.secret:${id}`;

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  /** null: every connection of the organization. */
  connectionId: string | null;
  createdBy: string;
  createdAt: number;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  event: WebhookEvent;
  connectionId: string;
  runId: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

/** What a receiver gets. */
export interface WebhookPayload {
  event: WebhookEvent;
  connectionId: string;
  runId: string;
  status: RunResult['status'] | string;
  objects: { object: string; inserted: number; updated: number; deleted: number }[];
  failures?: { object: string; code: string | undefined; message: string }[];
  /** The change-feed cursor after this run: page `GET …/records/{object}` up to here. */
  cursor: string;
}

export interface WebhookDeps {
  store: Store;
  vault: Vault;
  fetch?: typeof fetch;
  now?: () => number;
  /** Waits before attempt 2, 3, … (the last value repeats). */
  backoffMs?: number[];
  /** Attempts in all, the first included; then the delivery is marked failed. */
  maxAttempts?: number;
  /** Per attempt. */
  timeoutMs?: number;
}

export const DEFAULT_BACKOFF_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000];
export const DEFAULT_MAX_ATTEMPTS = 6;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Checks a subscriber URL: https anywhere, http only on loopback; no credentials in it. */
export function checkWebhookUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ForcebridgeError('webhook.url_invalid', 'invalid_input', `webhook url ${JSON.stringify(raw.slice(0, 200))} is not an absolute URL`, {
      field: 'url',
      hint: 'e.g. https://example.com/forcebridge-hook',
    });
  }
  const loopbackHttp = u.protocol === 'http:' && LOOPBACK.test(u.hostname);
  if (u.protocol !== 'https:' && !loopbackHttp)
    throw new ForcebridgeError('webhook.url_insecure', 'invalid_input', `webhook url must use https (http is allowed only for 127.0.0.1, ::1 or localhost)`, {
      field: 'url',
      hint: 'put the receiver behind TLS, or run it on this machine',
    });
  if (u.username || u.password)
    throw new ForcebridgeError('webhook.url_credentials', 'invalid_input', 'webhook url must not contain a user name or password', {
      field: 'url',
      hint: 'verify deliveries with the signing secret instead',
    });
  if (u.hash) throw new ForcebridgeError('webhook.url_invalid', 'invalid_input', 'webhook url must not have a fragment', { field: 'url' });
  return u.toString();
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>`. */
export function signPayload(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Verifies a signature header the way a receiver should: recompute over `t.body`, compare in
 * constant time, and refuse timestamps older (or newer) than `toleranceSec`.
 */
export function verifySignature(secret: string, headerValue: string, body: string, o: { nowMs?: number; toleranceSec?: number } = {}): boolean {
  const parts = new Map(
    headerValue.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as [string, string];
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs((o.nowMs ?? Date.now()) / 1000 - t) > (o.toleranceSec ?? 300)) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

function toWebhook(r: WebhooksTable): Webhook {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events) as WebhookEvent[],
    connectionId: r.connection_id,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  };
}

function toDelivery(r: WebhookDeliveriesTable): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    event: r.event as WebhookEvent,
    connectionId: r.connection_id,
    runId: r.run_id,
    status: r.status as WebhookDelivery['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
    lastStatus: r.last_status === null ? null : Number(r.last_status),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
  };
}

const notFound = (id: string) =>
  new ForcebridgeError('webhook.not_found', 'not_found', `no webhook "${id}"`, { field: 'id', hint: 'list them with GET /api/v1/webhooks' });

export interface DeliveryReport {
  delivered: number;
  retrying: number;
  failed: number;
}

/** Subscriptions and deliveries of the hub's database. */
export class Webhooks {
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  private readonly backoff: number[];
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;

  constructor(private readonly deps: WebhookDeps) {
    this.now = deps.now ?? Date.now;
    this.fetch = deps.fetch ?? globalThis.fetch;
    this.backoff = deps.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.timeoutMs = deps.timeoutMs ?? 10_000;
  }

  private get db() {
    return this.deps.store.db;
  }

  /** Creates a subscription; the secret is returned only here. */
  async create(
    tenantId: string,
    userId: string,
    input: { url: string; events?: WebhookEvent[]; connectionId?: string | null },
  ): Promise<{ webhook: Webhook; secret: string }> {
    const url = checkWebhookUrl(input.url);
    const events = [...new Set(input.events?.length ? input.events : (['sync.changed'] as WebhookEvent[]))];
    const id = `wh_${randomUUID()}`;
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const row: WebhooksTable = {
      id,
      tenant_id: tenantId,
      connection_id: input.connectionId ?? null,
      url,
      events: JSON.stringify(events),
      secret_enc: this.deps.vault.encrypt(secret, webhookSecretAad(id)),
      created_by: userId,
      created_at: this.now(),
    };
    await this.db.insertInto('webhooks').values(row).execute();
    return { webhook: toWebhook(row), secret };
  }

  async list(tenantId: string): Promise<Webhook[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();
    return rows.map(toWebhook);
  }

  async get(tenantId: string, id: string): Promise<Webhook> {
    const r = await this.db.selectFrom('webhooks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(id);
    return toWebhook(r);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.get(tenantId, id);
    await this.db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    await this.db.deleteFrom('webhooks').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  /** The latest deliveries of one subscription, newest first. */
  async deliveries(tenantId: string, webhookId: string, limit = 50): Promise<WebhookDelivery[]> {
    await this.get(tenantId, webhookId);
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }

  /**
   * Queues deliveries for a finished run: `sync.changed` when it changed records, `sync.failed`
   * when it did not succeed, to every subscription of the tenant for that connection (or all).
   */
  async enqueueRun(tenantId: string, connectionId: string, run: RunResult): Promise<number> {
    const changed = run.objects.filter((o) => o.inserted + o.updated + o.deleted > 0);
    const events: WebhookEvent[] = [];
    if (changed.length) events.push('sync.changed');
    if (run.status !== 'succeeded') events.push('sync.failed');
    if (!events.length) return 0;
    const hooks = (await this.list(tenantId)).filter((h) => h.connectionId === null || h.connectionId === connectionId);
    if (!hooks.length) return 0;
    const cursor = await latestCursor(this.deps.store, connectionId);
    const now = this.now();
    let queued = 0;
    for (const event of events) {
      const payload: WebhookPayload = {
        event,
        connectionId,
        runId: run.runId,
        status: run.status,
        objects: (event === 'sync.changed' ? changed : run.objects).map(({ object, inserted, updated, deleted }) => ({ object, inserted, updated, deleted })),
        ...(event === 'sync.failed'
          ? { failures: run.failures.map((f) => ({ object: f.object, code: (f.error as ForcebridgeError).code, message: redactText(f.error.message) })) }
          : {}),
        cursor,
      };
      const body = JSON.stringify(payload);
      for (const h of hooks.filter((x) => x.events.includes(event))) {
        await this.db
          .insertInto('webhook_deliveries')
          .values({
            id: `whd_${randomUUID()}`,
            webhook_id: h.id,
            event,
            connection_id: connectionId,
            run_id: run.runId,
            payload: body,
            status: 'pending',
            attempts: 0,
            next_attempt_at: now,
            last_status: null,
            last_error: null,
            created_at: now,
            delivered_at: null,
          })
          .execute();
        queued++;
      }
    }
    return queued;
  }

  /** Sends every due pending delivery once (in creation order); returns what happened. */
  async deliverDue(limit = 50): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0 };
    const due = await this.db
      .selectFrom('webhook_deliveries')
      .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
      .select([
        'webhook_deliveries.id as id',
        'webhook_deliveries.attempts as attempts',
        'webhook_deliveries.next_attempt_at as next_attempt_at',
        'webhook_deliveries.payload as payload',
        'webhook_deliveries.event as event',
        'webhooks.id as webhook_id',
        'webhooks.url as url',
        'webhooks.secret_enc as secret_enc',
      ])
      .where('webhook_deliveries.status', '=', 'pending')
      .where('webhook_deliveries.next_attempt_at', '<=', this.now())
      .orderBy('webhook_deliveries.created_at')
      .limit(limit)
      .execute();
    for (const d of due) {
      const outcome = await this.attempt(d);
      if (outcome) report[outcome]++;
    }
    return report;
  }

  private async attempt(d: {
    id: string;
    attempts: number;
    next_attempt_at: number | null;
    payload: string;
    event: string;
    webhook_id: string;
    url: string;
    secret_enc: string;
  }): Promise<keyof DeliveryReport | undefined> {
    const now = this.now();
    // Claim: only the process whose UPDATE matches the row as it read it sends this attempt.
    const claim = await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: now + this.timeoutMs + 5_000 })
      .where('id', '=', d.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', d.attempts)
      .where('next_attempt_at', '=', d.next_attempt_at)
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return undefined;
    const secret = this.deps.vault.decrypt(d.secret_enc, webhookSecretAad(d.webhook_id));
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await this.fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': `forcebridge/${VERSION}`,
          'X-Forcebridge-Event': d.event,
          'X-Forcebridge-Delivery': d.id,
          [SIGNATURE_HEADER]: signPayload(secret, d.payload, this.now()),
        },
        body: d.payload,
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `the receiver answered HTTP ${res.status}`;
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      error = redactText(`could not reach the receiver: ${cause?.code ?? cause?.message ?? (e as Error).message}`).slice(0, 500);
    }
    const attempts = d.attempts + 1;
    const done = this.now();
    if (error === null) {
      await this.db
        .updateTable('webhook_deliveries')
        .set({ status: 'delivered', attempts, next_attempt_at: null, last_status: status, last_error: null, delivered_at: done })
        .where('id', '=', d.id)
        .execute();
      return 'delivered';
    }
    const giveUp = attempts >= this.maxAttempts;
    const wait = this.backoff[Math.min(attempts - 1, this.backoff.length - 1)] ?? 60_000;
    await this.db
      .updateTable('webhook_deliveries')
      .set({ status: giveUp ? 'failed' : 'pending', attempts, next_attempt_at: giveUp ? null : done + wait, last_status: status, last_error: error })
      .where('id', '=', d.id)
      .execute();
    return giveUp ? 'failed' : 'retrying';
  }

  /** When the next pending delivery is due (for a caller deciding whether to wait), or undefined. */
  async nextDueAt(): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
  }
}
