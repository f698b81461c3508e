/**
 * getUpdated / getDeleted: `GET /sobjects/{X}/updated/?start=&end=` → `{ids, latestDateCovered}`
 * and `GET /sobjects/{X}/deleted/?start=&end=` → `{deletedRecords, earliestDateAvailable,
 * latestDateCovered}` (wire reference §2.6). Times are truncated to the minute; windows
 * (settings.updatedWindowDays / deletedWindowDays) are measured from the org clock. Updated keys
 * off SystemModstamp of live rows the caller can see; deleted reads the org's deletion log, which
 * keeps purged (hard-deleted) records until the window passes.
 */
import type { Context, Hono } from 'hono';
import { formatDateTime, parseDateTime } from '../format.js';
import { REST, type EmuEnv } from '../http/env.js';
import { SfHttpError, sfJson } from '../http/respond.js';
import type { Org } from '../org.js';
import { canReadRecord } from '../perms/access.js';
import type { ObjectDef } from '../schema/types.js';
import { requireObject } from './sobject-http.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Most ids one getUpdated/getDeleted call may return. */
export const MAX_REPLICATION_IDS = 600_000;

/** Error texts of replication calls (all but `tooShort` UNCONFIRMED against a real org). */
const REPLICATION_MSG = {
  missing: (name: string) => `The '${name}' parameter is required`,
  badDate: (name: string, value: string) => `The '${name}' parameter is not a valid datetime: ${value}`,
  /** OBSERVED (restforce#667). */
  tooShort: 'startDate must be at least one minute greater than endDate',
  beforeWindow: (days: number) => `startDate cannot be more than ${days} days ago`,
  beforeEarliest: (earliest: number) => `startDate is before the earliest date available: ${formatDateTime(earliest)}`,
  tooMany: (max: number) => `record limit reached. cannot submit more than ${max} records into this call`,
  notReplicateable: (object: string) => `entity type ${object} does not support replication`,
};

const truncMinute = (ms: number) => ms - (((ms % MINUTE) + MINUTE) % MINUTE);

/**
 * Reads `start`/`end`: ISO-8601 with `Z` or an offset. An unencoded `+00:00` arrives as
 * ` 00:00` after form decoding; it is read back as `+` (simple-salesforce style clients).
 */
function replicationDate(c: Context<EmuEnv>, name: 'start' | 'end'): number {
  const text = c.req.query(name);
  if (text === undefined || text === '') throw SfHttpError.of(400, 'MISSING_ARGUMENT', REPLICATION_MSG.missing(name));
  const ms = parseDateTime(text.replace(/ (\d{2}:?\d{2})$/, '+$1'));
  if (ms === undefined) throw SfHttpError.of(400, 'INVALID_REPLICATION_DATE', REPLICATION_MSG.badDate(name, text));
  return truncMinute(ms);
}

interface Window {
  def: ObjectDef;
  start: number;
  /** End of the covered range (exclusive): the requested end, never past the current minute. */
  covered: number;
  now: number;
}

function window(c: Context<EmuEnv>, org: Org): Window {
  const def = requireObject(org, c.get('principal'), c.req.param('object') ?? '');
  if (!def.replicateable) throw SfHttpError.of(400, 'INVALID_TYPE_FOR_OPERATION', REPLICATION_MSG.notReplicateable(def.name));
  const start = replicationDate(c, 'start');
  const end = replicationDate(c, 'end');
  if (end - start < MINUTE) throw SfHttpError.of(400, 'INVALID_REPLICATION_DATE', REPLICATION_MSG.tooShort);
  const now = org.clock.now();
  return { def, start, covered: Math.min(end, truncMinute(now)), now };
}

function tooMany(n: number): void {
  if (n > MAX_REPLICATION_IDS) throw SfHttpError.of(400, 'EXCEEDED_ID_LIMIT', REPLICATION_MSG.tooMany(MAX_REPLICATION_IDS));
}

export function registerUpdatedDeleted(app: Hono<EmuEnv>, org: Org): void {
  const updated = (c: Context<EmuEnv>) => {
    const w = window(c, org);
    const days = org.settings.updatedWindowDays;
    if (w.start < truncMinute(w.now - days * DAY)) throw SfHttpError.of(400, 'INVALID_REPLICATION_DATE', REPLICATION_MSG.beforeWindow(days));
    const principal = c.get('principal');
    const hits: { id: string; at: number }[] = [];
    for (const rec of org.data.table(w.def.name).live()) {
      const at = (rec.SystemModstamp ?? rec.LastModifiedDate) as number | null;
      if (typeof at !== 'number' || at < w.start || at >= w.covered) continue;
      if (!canReadRecord(principal, w.def, rec, org.data)) continue;
      hits.push({ id: rec.Id as string, at });
    }
    tooMany(hits.length);
    hits.sort((a, b) => a.at - b.at);
    return sfJson(c, { ids: hits.map((h) => h.id), latestDateCovered: formatDateTime(w.covered) });
  };

  const deleted = (c: Context<EmuEnv>) => {
    const w = window(c, org);
    const earliest = truncMinute(w.now - org.settings.deletedWindowDays * DAY);
    if (w.start < earliest) throw SfHttpError.of(400, 'INVALID_REPLICATION_DATE', REPLICATION_MSG.beforeEarliest(earliest));
    const out: { id: string; deletedDate: number }[] = [];
    for (const d of org.data.deletions.values()) {
      if (d.object !== w.def.name || d.deletedDate < w.start || d.deletedDate >= w.covered) continue;
      out.push({ id: d.id, deletedDate: d.deletedDate });
    }
    tooMany(out.length);
    out.sort((a, b) => a.deletedDate - b.deletedDate);
    return sfJson(c, {
      deletedRecords: out.map((d) => ({ id: d.id, deletedDate: formatDateTime(d.deletedDate) })),
      earliestDateAvailable: formatDateTime(earliest),
      latestDateCovered: formatDateTime(w.covered),
    });
  };

  for (const suffix of ['', '/']) {
    app.get(`${REST}/sobjects/:object/updated${suffix}`, updated);
    app.get(`${REST}/sobjects/:object/deleted${suffix}`, deleted);
  }
}
