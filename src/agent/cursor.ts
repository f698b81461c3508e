/**
 * Opaque query cursors: where the next `query` call continues, sealed with the hub vault
 * (AES-256-GCM) and bound by its additional data to the tenant, the connection and the hub user.
 * A cursor cannot be read, altered or replayed on another connection or by another user: any of
 * that fails authentication and is refused as `agent.cursor_invalid`. Nothing is stored
 * server-side, so cursors work across server processes sharing the master key.
 */
import { z } from 'zod';
import type { Vault } from '../connections/vault.js';
import { ForcebridgeError, invalidInput } from '../errors.js';

const PREFIX = 'fbq1.';
/** Cursor lifetime; Salesforce's query locators themselves expire after 15 idle minutes. */
export const CURSOR_TTL_MS = 60 * 60_000;

export const cursorStateSchema = z.discriminatedUnion('kind', [
  /** Continue at absolute row `at` of a Salesforce query locator (`{base}-{at}`). */
  z.object({
    kind: z.literal('locator'),
    base: z.string().regex(/^\/services\/data\/v\d+\.\d+\/query\/[0-9A-Za-z]{15,18}$/),
    at: z.number().int().min(0),
    totalSize: z.number().int().min(0),
  }),
  /**
   * The whole answer was one page without a locator and the call stopped inside it: run the
   * query again and skip `skip` rows (refused as stale if the row count or the last row changed).
   */
  z.object({
    kind: z.literal('rerun'),
    soql: z.string(),
    includeDeleted: z.boolean(),
    skip: z.number().int().min(0),
    totalSize: z.number().int().min(0),
    /** Id of the last row returned, checked on the re-run (rows without Id: only the count is). */
    lastId: z.string().optional(),
  }),
]);
export type CursorState = z.infer<typeof cursorStateSchema>;

/** Who a cursor belongs to. */
export interface CursorOwner {
  tenantId: string;
  connectionId: string;
  userId: string;
}

const aadOf = (o: CursorOwner) => `agent.cursor:${o.tenantId}:${o.connectionId}:${o.userId}`;

const envelopeSchema = z.object({ v: z.literal(1), exp: z.number(), s: cursorStateSchema });

/** Seals `state` for `owner`. */
export function encodeCursor(vault: Vault, owner: CursorOwner, state: CursorState, now = Date.now()): string {
  const sealed = vault.encrypt(JSON.stringify({ v: 1, exp: now + CURSOR_TTL_MS, s: state }), aadOf(owner));
  return PREFIX + Buffer.from(sealed, 'utf8').toString('base64url');
}

function invalid(): ForcebridgeError {
  return invalidInput(
    'agent.cursor_invalid',
    'cursor',
    'the cursor is not valid for this connection and user (altered, truncated, or made for another connection)',
    'pass the cursor exactly as the previous query call returned it, on the same connection; or run the query again',
  );
}

/** Opens a cursor sealed for `owner`; anything else is `agent.cursor_invalid`, an old one `agent.cursor_expired`. */
export function decodeCursor(vault: Vault, owner: CursorOwner, cursor: string, now = Date.now()): CursorState {
  if (!cursor.startsWith(PREFIX)) throw invalid();
  let plain: string;
  try {
    plain = vault.decrypt(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'), aadOf(owner));
  } catch {
    throw invalid();
  }
  let parsed: z.infer<typeof envelopeSchema>;
  try {
    parsed = envelopeSchema.parse(JSON.parse(plain));
  } catch {
    throw invalid();
  }
  if (parsed.exp <= now) throw cursorExpired();
  return parsed.s;
}

export function cursorExpired(cause?: unknown): ForcebridgeError {
  return new ForcebridgeError('agent.cursor_expired', 'invalid_input', 'the cursor has expired (Salesforce keeps a query’s results for 15 idle minutes)', {
    field: 'cursor',
    hint: 'run the query again without the cursor',
    ...(cause !== undefined ? { cause } : {}),
  });
}
