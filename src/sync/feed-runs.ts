/**
 * How change-feed entries are stored: in runs. One `sync_changes` row covers the consecutive seqs
 * `seq - n + 1 … seq` of one op on one object — its key is the run's last seq — with the record ids
 * comma-separated in `ids` (a run of one keeps its id in `record_id` only). A Bulk page of 10,000
 * inserts is ten rows instead of 10,000: measured on a 1M-row load into PostgreSQL, the per-entry
 * feed cost ~2 s of server CPU and a b-tree entry per record. Rows written before runs existed
 * are runs of one (`n` defaults to 1).
 */
import type { ChangeOp } from './feed.js';

/** Ids per stored run (a row stays ~19 KB; a feed page of at most 1,000 entries reads ≤ 2 runs). */
export const FEED_RUN_MAX = 1000;

/** A `sync_changes` row as written. */
export interface FeedRunRow {
  connection_id: string;
  object: string;
  /** The run's last seq. */
  seq: number;
  n: number;
  op: ChangeOp;
  /** The run's first id. */
  record_id: string;
  /** Every id of the run, comma-separated; null for a run of one. */
  ids: string | null;
  at: number;
}

/** One feed entry. */
export interface FeedEntry {
  seq: number;
  op: ChangeOp;
  id: string;
  at: number;
}

/**
 * The rows for `groups` (each an op and its ids, in order), numbered on from `first`: the seqs
 * follow the groups' order, `FEED_RUN_MAX` ids to a row.
 */
export function feedRunRows(
  connectionId: string,
  object: string,
  at: number,
  first: number,
  groups: readonly (readonly [ChangeOp, readonly string[]])[],
): FeedRunRow[] {
  const rows: FeedRunRow[] = [];
  let seq = first;
  for (const [op, ids] of groups) {
    for (let s = 0; s < ids.length; s += FEED_RUN_MAX) {
      const part = ids.slice(s, s + FEED_RUN_MAX);
      seq += part.length;
      rows.push({
        connection_id: connectionId,
        object,
        seq: seq - 1,
        n: part.length,
        op,
        record_id: part[0]!,
        ids: part.length > 1 ? part.join(',') : null,
        at,
      });
    }
  }
  return rows;
}

/** How many entries `groups` hold. */
export const entryCount = (groups: readonly (readonly [ChangeOp, readonly string[]])[]): number => groups.reduce((n, [, ids]) => n + ids.length, 0);

/** The entries of a stored run with seqs after `after`, in order. Drivers may hand numbers back as text. */
export function expandRun(
  r: { seq: number | string | bigint; n: number | string; op: string; record_id: string; ids: string | null; at: number | string },
  after = 0,
): FeedEntry[] {
  const last = Number(r.seq);
  const n = Number(r.n);
  const ids = n > 1 && r.ids !== null ? r.ids.split(',') : [r.record_id];
  if (ids.length !== n) throw new Error(`feed run ending at seq ${last} holds ${ids.length} ids, not ${n}`);
  const out: FeedEntry[] = [];
  const at = Number(r.at);
  for (let k = Math.max(0, after - (last - n + 1) + 1); k < n; k++) out.push({ seq: last - n + 1 + k, op: r.op as ChangeOp, id: ids[k]!, at });
  return out;
}
