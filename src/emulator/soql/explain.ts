/**
 * `GET /query?explain=<SOQL>`: a plausible query plan. The emulator has no indexes, so the plan is
 * an Index plan for filters on Id and a TableScan otherwise, with cardinalities taken from the real
 * data. Relative costs are invented but monotonic in the number of rows read (UNCONFIRMED shape
 * beyond the documented field names).
 */
import type { Org } from '../org.js';
import type { Principal } from '../perms/access.js';
import { prepareQuery } from './execute.js';
import type { QueryOptions } from './types.js';

export interface QueryPlan {
  cardinality: number;
  fields: string[];
  leadingOperationType: 'Index' | 'TableScan' | 'Other';
  notes: { description: string; fields: string[]; tableEnumOrId: string }[];
  relativeCost: number;
  sobjectCardinality: number;
  sobjectType: string;
}

export function explainQuery(org: Org, principal: Principal, soql: string, opts: QueryOptions): { plans: QueryPlan[]; sourceQuery: string } {
  const prepared = prepareQuery(org, principal, soql, opts);
  const def = prepared.object;
  let sobjectCardinality = 0;
  for (const r of org.data.table(def.name).rows.values()) if (r.IsDeleted !== true) sobjectCardinality++;
  const byId = /\bwhere\b[\s\S]*\bid\s*(=|in\b)/i.test(soql);
  const cardinality = prepared.totalSize;
  const plan: QueryPlan = {
    cardinality,
    fields: byId ? ['Id'] : [],
    leadingOperationType: byId ? 'Index' : 'TableScan',
    notes: [],
    relativeCost: byId
      ? Math.round((cardinality / Math.max(1, sobjectCardinality)) * 1000) / 1000
      : Math.round((1 + sobjectCardinality / 100_000) * 1000) / 1000,
    sobjectCardinality,
    sobjectType: def.name,
  };
  return { plans: [plan], sourceQuery: soql };
}
