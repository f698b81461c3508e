/**
 * Records as agent tools return them: Salesforce's `attributes` (type and url) reduced to the
 * type, for the record and every nested parent record and child result, so a model's context is
 * not spent on URLs.
 */
import type { SfRecord } from './sf-answers.js';

/** A record with `attributes` reduced to `{type}` at every level. */
export function cleanRecord(r: SfRecord): SfRecord {
  const out: SfRecord = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'attributes') {
      const type = v !== null && typeof v === 'object' ? (v as { type?: unknown }).type : undefined;
      if (typeof type === 'string') out.attributes = { type };
      continue;
    }
    out[k] = cleanValue(v);
  }
  return out;
}

function cleanValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  // A child subquery result: keep its counts and clean its records.
  if (Array.isArray(o.records) && typeof o.totalSize === 'number') {
    return {
      totalSize: o.totalSize,
      done: o.done,
      records: (o.records as unknown[]).map((c) => (c !== null && typeof c === 'object' ? cleanRecord(c as SfRecord) : c)),
    };
  }
  if ('attributes' in o) return cleanRecord(o);
  // Compound values (address, location) stay as they are.
  return v;
}
