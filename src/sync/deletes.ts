/**
 * Deletes beyond what the read sees. Soft deletes arrive through queryAll as IsDeleted rows; rows
 * purged from the recycle bin (hard deletes) never do. For replicateable objects getDeleted lists
 * them within its window (wire reference §2.6: minute granularity, about 15 days back); past the
 * window — and for objects getDeleted does not serve or catalog entries with `deletes: 'reconcile'`
 * — a periodic id reconciliation reads every live Id and marks rows not seen as deleted. Both run
 * on their own schedules, not every cycle. Rows are marked with the time forcebridge saw the delete.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_getdeleted.htm
 */
import { sql } from 'kysely';
import { ForcebridgeError, remoteProtocol } from '../errors.js';
import { DAY, MINUTE, due, orgNow, saveObjectState, truncMinute, type PhaseContext, type PhaseInput } from './phase.js';
import { queryPages } from './rest-reader.js';

/** getDeleted's window in a production org (shorter when the recycle bin is emptied early). */
export const DELETED_WINDOW_DAYS = 15;

export interface DeletesOutcome {
  method: 'none' | 'getDeleted' | 'reconcile';
  /** Rows newly marked deleted. */
  deleted: number;
  /** Why reconciliation ran instead of getDeleted. */
  reason?: string;
}

interface DeletedAnswer {
  ids: string[];
  earliest: number;
  latestCovered: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function checkDeletedAnswer(json: unknown, object: string): DeletedAnswer {
  const what = `getDeleted of ${object}`;
  const b = json as { deletedRecords?: unknown; earliestDateAvailable?: unknown; latestDateCovered?: unknown } | undefined;
  if (!b || !Array.isArray(b.deletedRecords)) throw remoteProtocol('salesforce.get_deleted_invalid', `${what}: "deletedRecords" must be a list`);
  const ids = b.deletedRecords.map((r: unknown, i) => {
    const id = (r as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') throw remoteProtocol('salesforce.get_deleted_invalid', `${what}: "deletedRecords[${i}].id" must be a string`);
    return id;
  });
  const date = (name: 'earliestDateAvailable' | 'latestDateCovered') => {
    const v = b[name];
    const ms = typeof v === 'string' ? Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
    if (Number.isNaN(ms)) throw remoteProtocol('salesforce.get_deleted_invalid', `${what}: "${name}" must be a datetime`);
    return ms;
  };
  return { ids, earliest: date('earliestDateAvailable'), latestCovered: date('latestDateCovered') };
}

/** Salesforce refusing the window or the object (past the window, not replicateable, too many ids). */
function replicationRefused(e: unknown): string | undefined {
  const code = e instanceof ForcebridgeError ? e.salesforce?.errorCode : undefined;
  if (code === 'INVALID_REPLICATION_DATE' || code === 'INVALID_TYPE_FOR_OPERATION' || code === 'EXCEEDED_ID_LIMIT')
    return `getDeleted refused (${code}${e instanceof ForcebridgeError && e.salesforce?.message ? `: ${e.salesforce.message}` : ''})`;
  return undefined;
}

/**
 * Finds hard deletes of one object after its read, if a check is due. Full-mode objects are
 * re-read whole every run and mark missing ids there, so they need nothing here.
 */
export async function findDeletes(ctx: PhaseContext, input: PhaseInput, o: { windowDays?: number } = {}): Promise<DeletesOutcome> {
  const { entry, state } = input;
  const none: DeletesOutcome = { method: 'none', deleted: 0 };
  if (entry.deletes === 'none' || entry.mode === 'full') return none;
  const now = orgNow(ctx);
  // This run's describe says, or the last one (a run without changes skips describe).
  const replicateable = ctx.tap.replicateableOf(entry.object) ?? (state.replicateable == null ? undefined : state.replicateable === 1);
  const replication = entry.deletes === 'replication' && replicateable !== false;

  if (!replication) {
    if (input.force.reconcile) return reconcile(ctx, input, 'forced');
    if (state.reconciled_at === null && input.wholeRead) {
      // The first load saw every live row: nothing to reconcile yet.
      await saveObjectState(ctx, entry.object, { reconciled_at: input.readStart });
      return none;
    }
    if (!input.force.deletes && !due(state.reconciled_at, entry.reconcileMinutes, now)) return none;
    return reconcile(ctx, input, entry.deletes === 'reconcile' ? 'scheduled' : 'getDeleted does not serve this object');
  }

  const from = state.deletes_checked_at;
  if (input.force.reconcile) return reconcile(ctx, input, 'forced');
  if (from === null) {
    if (input.wholeRead) {
      // Deletes before the read are in it (IsDeleted rows) or gone; getDeleted covers from here on.
      await saveObjectState(ctx, entry.object, { deletes_checked_at: truncMinute(input.readStart) });
      return none;
    }
    return reconcile(ctx, input, 'no earlier delete check to start getDeleted from');
  }
  if (!input.force.deletes && !due(from, entry.deletesCheckMinutes, now)) return none;
  const end = truncMinute(now);
  if (end - from < MINUTE) return none;
  if (from < end - (o.windowDays ?? DELETED_WINDOW_DAYS) * DAY) return reconcile(ctx, input, 'the last delete check is older than the getDeleted window');

  let answer: DeletedAnswer;
  try {
    const res = await ctx.client.request({
      method: 'GET',
      path: `/sobjects/${encodeURIComponent(entry.object)}/deleted/`,
      query: { start: iso(from), end: iso(end) },
    });
    answer = checkDeletedAnswer(res.json, entry.object);
  } catch (e) {
    const refused = replicationRefused(e);
    if (refused) return reconcile(ctx, input, refused);
    throw e;
  }
  // The recycle bin was emptied past our last check: deletes in between are unknowable here.
  if (answer.earliest > from) return reconcile(ctx, input, 'the org’s earliest available delete is after the last check');
  const deleted = await markDeleted(ctx, input, answer.ids);
  await saveObjectState(ctx, entry.object, { deletes_checked_at: answer.latestCovered });
  return { method: 'getDeleted', deleted };
}

async function markDeleted(ctx: PhaseContext, input: PhaseInput, ids: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 5000)
    n += await ctx.writer.markDeleted({
      connectionId: ctx.connectionId,
      object: input.entry.object,
      table: input.table,
      ids: ids.slice(i, i + 5000),
      at: ctx.now(),
    });
  return n;
}

/**
 * Reads every live Id (`SELECT Id FROM X`, REST pages; the entry's filter applies, so rows that
 * left its scope go too) and marks rows of the table not among them as deleted.
 */
export async function reconcile(ctx: PhaseContext, input: PhaseInput, reason: string): Promise<DeletesOutcome> {
  const { entry } = input;
  const mark = ctx.tap.mark();
  const seen = new Set<string>();
  const soql = `SELECT Id FROM ${entry.object}${entry.where ? ` WHERE ${entry.where}` : ''}`;
  for await (const page of queryPages(ctx.client, soql, { batchSize: ctx.batchSize ?? 2000 })) for (const rec of page.records) seen.add(String(rec.Id));
  const at = mark.first ?? orgNow(ctx);
  const live = await sql<{ id: string }>`select id from ${sql.id(input.table)} where _fb_deleted_at is null`.execute(ctx.store.db);
  const deleted = await markDeleted(
    ctx,
    input,
    live.rows.map((r) => r.id).filter((id) => !seen.has(id)),
  );
  await saveObjectState(ctx, entry.object, {
    reconciled_at: at,
    ...(entry.deletes === 'replication' ? { deletes_checked_at: truncMinute(at) } : {}),
  });
  return { method: 'reconcile', deleted, reason };
}
