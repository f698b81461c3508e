/**
 * What Bulk API 2.0 query jobs refuse (shared/reference/salesforce-wire.md §3): GROUP BY, OFFSET,
 * TYPEOF, aggregate functions (COUNT() included), parent-to-child subqueries, compound fields and
 * objects the Bulk API does not serve.
 *
 * Observed messages are used where the reference has them ("Selecting compound data not supported
 * in Bulk Query", "Aggregate Relationships not supported in Bulk V2 Query with CSV content type.",
 * INVALIDENTITY "... is not supported by the Bulk API"). The other texts and the `API_ERROR` code
 * are UNCONFIRMED: kept in this one table so they are easy to correct.
 */
import type { Query } from '@jetstreamapp/soql-parser-js';
import { SfHttpError } from '../http/respond.js';
import type { ObjectDef } from '../schema/types.js';

export const BULK_MESSAGES = {
  entity: (name: string) => `Entity '${name}' is not supported by the Bulk API.`,
  aggregate: 'Aggregate functions are not supported in Bulk Query',
  groupBy: 'GROUP BY is not supported in Bulk Query',
  offset: 'OFFSET is not supported in Bulk Query',
  typeOf: 'TYPEOF is not supported in Bulk Query',
  children: 'Aggregate Relationships not supported in Bulk V2 Query with CSV content type.',
  compound: 'Selecting compound data not supported in Bulk Query',
} as const;

/** UNCONFIRMED error code of Bulk 2.0 query validation failures (other than INVALIDENTITY). */
export const BULK_ERROR_CODE = 'API_ERROR';

const refuse = (message: string) => SfHttpError.of(400, BULK_ERROR_CODE, message);

/** The Bulk refusal for this query, if any (compound fields are checked after field resolution). */
export function bulkRefusal(def: ObjectDef, q: Query, countOnly: boolean, aggregate: boolean): SfHttpError | undefined {
  if (!def.bulkQueryable) return SfHttpError.of(400, 'INVALIDENTITY', BULK_MESSAGES.entity(def.name));
  const fields = q.fields ?? [];
  if (q.groupBy) return refuse(BULK_MESSAGES.groupBy);
  if (countOnly || aggregate) return refuse(BULK_MESSAGES.aggregate);
  if (q.offset !== undefined) return refuse(BULK_MESSAGES.offset);
  if (fields.some((f) => f.type === 'FieldTypeof')) return refuse(BULK_MESSAGES.typeOf);
  if (fields.some((f) => f.type === 'FieldSubquery')) return refuse(BULK_MESSAGES.children);
  return undefined;
}
