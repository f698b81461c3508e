/**
 * The agent audit log: one row per tool call (the tool runner's `onCall` hook calls
 * {@link recordToolCall}) and per proposal transition. Inputs are summarised: long strings are
 * cut, and values under secret-looking keys are replaced, so the log never holds a credential.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Hub } from '../connections/hub.js';
import type { AgentAuditTable, HubDatabase } from '../store/schema.js';

export type AuditKind = 'tool_call' | 'proposal_transition';

export interface AuditEntry {
  tenantId: string;
  userId: string;
  connectionId?: string | null | undefined;
  /** Tool name or transition name (`prepared`, `approved`, `executed`, `stale`, …). */
  name: string;
  input?: unknown;
  outcome: 'ok' | 'error';
  errorCode?: string | null | undefined;
  proposalId?: string | null | undefined;
  at?: number;
}

export interface AuditRow {
  id: string;
  tenantId: string;
  userId: string;
  connectionId: string | null;
  kind: AuditKind;
  name: string;
  input: unknown;
  outcome: 'ok' | 'error';
  errorCode: string | null;
  proposalId: string | null;
  at: number;
}

const SECRET_KEY = /pass(word)?|secret|token|authorization|api[-_]?key|private|credential|session/i;
const MAX_STRING = 200;
const MAX_DEPTH = 4;
const MAX_ITEMS = 50;

/** A copy of `v` safe to store: secret-looking keys redacted, long strings and lists cut. */
export function summarizeInput(v: unknown, depth = 0): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}… (${v.length} chars)` : v;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(v)) {
    const items = v.slice(0, MAX_ITEMS).map((x) => summarizeInput(x, depth + 1));
    return v.length > MAX_ITEMS ? [...items, `… ${v.length - MAX_ITEMS} more`] : items;
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>).slice(0, MAX_ITEMS))
      out[k] = SECRET_KEY.test(k) ? '[redacted]' : summarizeInput(x, depth + 1);
    return out;
  }
  return String(v);
}

let seq = 0;
/** Random per process, so ids of processes writing in the same millisecond never collide. */
const PROCESS_TAG = randomBytes(4).toString('hex');

/**
 * Time-ordered ids (`aud_{ms}{process sequence}{process tag}`, base 36): rows written by one
 * process sort in the order they were written, even within one millisecond.
 */
function auditId(at: number): string {
  seq = (seq + 1) % 36 ** 6;
  return `aud_${at.toString(36).padStart(9, '0')}${seq.toString(36).padStart(6, '0')}${PROCESS_TAG}`;
}

async function insert(db: Kysely<HubDatabase>, kind: AuditKind, e: AuditEntry): Promise<void> {
  const at = e.at ?? Date.now();
  const row: AgentAuditTable = {
    id: auditId(at),
    tenant_id: e.tenantId,
    user_id: e.userId,
    connection_id: e.connectionId ?? null,
    kind,
    name: e.name,
    input_json: JSON.stringify(summarizeInput(e.input ?? {}) ?? {}),
    outcome: e.outcome,
    error_code: e.errorCode ?? null,
    proposal_id: e.proposalId ?? null,
    at,
  };
  await db.insertInto('agent_audit').values(row).execute();
}

/** Records one agent tool call; the shape of the tool runner's `onCall` hook. */
export async function recordToolCall(hub: Hub, entry: AuditEntry): Promise<void> {
  await insert(hub.store.db, 'tool_call', entry);
}

/** Records one proposal transition. */
export async function recordTransition(hub: Hub, entry: AuditEntry & { proposalId: string }): Promise<void> {
  await insert(hub.store.db, 'proposal_transition', entry);
}

export interface AuditFilters {
  kind?: AuditKind | undefined;
  proposalId?: string | undefined;
  userId?: string | undefined;
  /** Only rows of these connections (the connections the caller may use). */
  connectionIds?: string[] | undefined;
  since?: number | undefined;
  limit?: number | undefined;
}

/** Audit rows of one tenant, oldest first. */
export async function listAudit(hub: Hub, tenantId: string, f: AuditFilters = {}): Promise<AuditRow[]> {
  if (f.connectionIds && f.connectionIds.length === 0) return [];
  let q = hub.store.db.selectFrom('agent_audit').selectAll().where('tenant_id', '=', tenantId);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.proposalId) q = q.where('proposal_id', '=', f.proposalId);
  if (f.userId) q = q.where('user_id', '=', f.userId);
  if (f.connectionIds) q = q.where('connection_id', 'in', f.connectionIds);
  if (f.since !== undefined) q = q.where('at', '>=', f.since);
  const rows = await q
    .orderBy('at', 'asc')
    .orderBy('id', 'asc')
    .limit(f.limit ?? 500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    userId: r.user_id,
    connectionId: r.connection_id,
    kind: r.kind as AuditKind,
    name: r.name,
    input: JSON.parse(r.input_json) as unknown,
    outcome: r.outcome as 'ok' | 'error',
    errorCode: r.error_code,
    proposalId: r.proposal_id,
    at: Number(r.at),
  }));
}
