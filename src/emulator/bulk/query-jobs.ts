/**
 * Creating Bulk 2.0 query jobs for an org: the SOQL is parsed, permission-checked and run once at
 * creation (so malformed or Bulk-unsupported SOQL fails the create call with 400, as on
 * Salesforce); the rows then stay with the job while it "processes" on timers.
 */
import type { OrgData } from '../data/org-data.js';
import type { Org } from '../org.js';
import type { Principal } from '../perms/access.js';
import { prepareQuery } from '../soql/execute.js';
import type { ObjectDef } from '../schema/types.js';
import type { PreparedQuery } from '../soql/types.js';
import { QueryJobStore, type QueryJob } from './job.js';
import type { QueryJobRequest } from './job-request.js';

/** Key prefix of Bulk jobs (`750…`). */
const JOB_KEY_PREFIX = '750';

/**
 * Standard objects Bulk 2.0 PK-chunks (subset of Salesforce's list that the emulator models);
 * custom objects are always chunked. https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm
 */
const PK_CHUNKED_STANDARD = new Set(['Account', 'Case', 'CaseComment', 'Contact', 'EmailMessage', 'Event', 'Lead', 'Opportunity', 'Task', 'User']);

function pkChunkingSupported(def: ObjectDef): boolean {
  return def.flags.custom || PK_CHUNKED_STANDARD.has(def.name);
}

const stores = new WeakMap<Org, { data: OrgData; store: QueryJobStore }>();

/**
 * The org's job store. An org reset replaces `org.data` and restarts id counters; jobs made before
 * it hold rows of the old data and could collide with new job ids, so they are dropped with it.
 */
export function jobStore(org: Org): QueryJobStore {
  const held = stores.get(org);
  if (held && held.data === org.data) return held.store;
  held?.store.dispose();
  const store = new QueryJobStore(org.clock, () => org.settings.bulkProcessingDelayMs);
  stores.set(org, { data: org.data, store });
  return store;
}

/**
 * Output column order: the SELECT order from API v50, alphabetical before (wire reference §3).
 * Returns indexes into `columns`.
 */
function columnOrder(columns: readonly string[], apiVersion: string): number[] {
  const order = columns.map((_, i) => i);
  if (Number.parseFloat(apiVersion) >= 50) return order;
  return order.sort((a, b) => {
    const x = columns[a]!.toLowerCase();
    const y = columns[b]!.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Header and row accessor of a prepared query in output column order. */
function csvShape(q: PreparedQuery, apiVersion: string): Pick<QueryJob, 'header' | 'row' | 'size'> {
  const order = columnOrder(q.columns, apiVersion);
  const identity = order.every((v, i) => v === i);
  return {
    header: order.map((i) => q.columns[i]!),
    row: identity
      ? (i) => q.flatRow(i)
      : (i) => {
          const cells = q.flatRow(i);
          return order.map((c) => cells[c] ?? null);
        },
    size: q.totalSize,
  };
}

/** Runs the job's query for `principal` and stores the new job (state `UploadComplete`). */
export function createQueryJob(org: Org, principal: Principal, req: QueryJobRequest, apiVersion: string): QueryJob {
  const prepared = prepareQuery(org, principal, req.query, {
    includeDeleted: req.operation === 'queryAll',
    apiVersion,
    mode: 'bulk',
  });
  const now = org.clock.now();
  return jobStore(org).add({
    id: org.ids.next(JOB_KEY_PREFIX),
    operation: req.operation,
    object: prepared.object.name,
    createdById: principal.userId,
    createdDate: now,
    apiVersion,
    columnDelimiter: req.columnDelimiter,
    lineEnding: req.lineEnding,
    query: req.query,
    ...csvShape(prepared, apiVersion),
    isPkChunkingSupported: pkChunkingSupported(prepared.object),
  });
}
