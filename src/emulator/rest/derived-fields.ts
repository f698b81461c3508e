/**
 * Values Salesforce derives on save rather than accepting from the caller: a person's full `Name`,
 * Opportunity `IsClosed`/`IsWon`/`Probability`/`ForecastCategoryName` from `StageName`, and Case
 * `IsClosed`/`ClosedDate` from `Status`. Applied by every write path (rest/dml.ts) so records read
 * back the same however they were written. Fields an object does not declare are left alone.
 */
import type { ObjectDef, StoredRecord } from '../schema/types.js';

interface StageFacts {
  probability: number;
  forecast: string;
  closed: boolean;
  won: boolean;
}

/** The default sales process's stages (Setup → Opportunity Stages in a fresh org). */
const STAGES: Record<string, StageFacts> = {
  Prospecting: { probability: 10, forecast: 'Pipeline', closed: false, won: false },
  Qualification: { probability: 10, forecast: 'Pipeline', closed: false, won: false },
  'Needs Analysis': { probability: 20, forecast: 'Pipeline', closed: false, won: false },
  'Value Proposition': { probability: 50, forecast: 'Pipeline', closed: false, won: false },
  'Id. Decision Makers': { probability: 60, forecast: 'Pipeline', closed: false, won: false },
  'Perception Analysis': { probability: 70, forecast: 'Pipeline', closed: false, won: false },
  'Proposal/Price Quote': { probability: 75, forecast: 'Pipeline', closed: false, won: false },
  'Negotiation/Review': { probability: 90, forecast: 'Pipeline', closed: false, won: false },
  'Closed Won': { probability: 100, forecast: 'Closed', closed: true, won: true },
  'Closed Lost': { probability: 0, forecast: 'Omitted', closed: true, won: false },
};

/** Case statuses that count as closed. */
const CLOSED_CASE_STATUSES = new Set(['Closed']);

function has(def: ObjectDef, name: string): boolean {
  return def.fields.some((f) => f.name === name);
}

/**
 * Adds derived values to `changes` (the validated values about to be written). `before` is the
 * stored record for updates, undefined for inserts; `now` the write time.
 */
export function applyDerivedValues(def: ObjectDef, changes: StoredRecord, before: StoredRecord | undefined, now: number): void {
  const after = { ...before, ...changes };
  const touched = (f: string) => before === undefined || f in changes;

  if (has(def, 'FirstName') && has(def, 'LastName') && has(def, 'Name') && (touched('FirstName') || touched('LastName'))) {
    const name = [after.FirstName, after.LastName].filter((p) => typeof p === 'string' && p !== '').join(' ');
    changes.Name = name === '' ? null : name;
  }

  if (def.name === 'Opportunity' && touched('StageName') && typeof after.StageName === 'string') {
    const stage = STAGES[after.StageName];
    const closed = stage?.closed ?? /^closed/i.test(after.StageName);
    const won = stage?.won ?? (closed && /won/i.test(after.StageName));
    if (has(def, 'IsClosed')) changes.IsClosed = closed;
    if (has(def, 'IsWon')) changes.IsWon = won;
    // Probability and forecast category follow the stage unless the caller set them in this write.
    if (stage && has(def, 'Probability') && !('Probability' in changes)) changes.Probability = stage.probability;
    if (stage && has(def, 'ForecastCategoryName') && !('ForecastCategoryName' in changes)) changes.ForecastCategoryName = stage.forecast;
  }

  if (def.name === 'Case' && touched('Status')) {
    const closed = typeof after.Status === 'string' && CLOSED_CASE_STATUSES.has(after.Status);
    const wasClosed = before?.IsClosed === true;
    if (has(def, 'IsClosed')) changes.IsClosed = closed;
    if (has(def, 'ClosedDate')) {
      if (closed && !wasClosed) changes.ClosedDate = now;
      else if (!closed) changes.ClosedDate = null;
    }
  }
}
