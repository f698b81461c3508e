/**
 * Formula and roll-up freshness. A formula's value can change without its record's
 * SystemModstamp moving (a parent field it reads, TODAY(), a roll-up summary), so the keyset read
 * never sees it. On its own schedule (`formulaRefreshMinutes`, or when forced) this phase reads
 * `SELECT Id, <formula fields> FROM X` and writes only the rows whose values changed, each with an
 * 'update' feed entry. A whole read (first load, full re-read) counts as a refresh.
 */
import type { SyncField } from './fields.js';
import { due, orgNow, saveObjectState, type PhaseContext, type PhaseInput } from './phase.js';
import { queryPages } from './rest-reader.js';
import { rowFromRest } from './values.js';

export interface FormulaOutcome {
  refreshed: boolean;
  /** Rows whose formula values changed. */
  updated: number;
  /** Formula fields read. */
  fields: number;
}

const ID_FIELD: SyncField = { field: 'Id', column: 'id', sfType: 'id', kind: 'text', calculated: false };

/** The calculated fields of a synced object (from sync_fields; removed ones excluded). */
export async function formulaFields(ctx: PhaseContext, object: string): Promise<SyncField[]> {
  const rows = await ctx.store.db
    .selectFrom('sync_fields')
    .select(['field', 'column_name', 'sf_type', 'kind'])
    .where('connection_id', '=', ctx.connectionId)
    .where('object', '=', object)
    .where('calculated', '=', 1)
    .where('removed_at', 'is', null)
    .orderBy('field')
    .execute();
  return rows.map((r) => ({ field: r.field, column: r.column_name, sfType: r.sf_type, kind: r.kind as SyncField['kind'], calculated: true }));
}

export async function refreshFormulas(ctx: PhaseContext, input: PhaseInput): Promise<FormulaOutcome> {
  const { entry, state } = input;
  const skip: FormulaOutcome = { refreshed: false, updated: 0, fields: 0 };
  if (entry.mode === 'full') return skip;
  if (input.wholeRead && !input.force.formulas) {
    await saveObjectState(ctx, entry.object, { formulas_refreshed_at: input.readStart });
    return skip;
  }
  const wanted = input.force.formulas || (entry.formulaRefreshMinutes > 0 && due(state.formulas_refreshed_at, entry.formulaRefreshMinutes, orgNow(ctx)));
  if (!wanted) return skip;
  const formulas = await formulaFields(ctx, entry.object);
  if (!formulas.length) {
    await saveObjectState(ctx, entry.object, { formulas_refreshed_at: orgNow(ctx) });
    return skip;
  }
  const fields = [ID_FIELD, ...formulas];
  const byName = new Map(fields.map((f) => [f.field.toLowerCase(), f]));
  const soql = `SELECT ${fields.map((f) => f.field).join(', ')} FROM ${entry.object}${entry.where ? ` WHERE ${entry.where}` : ''}`;
  const mark = ctx.tap.mark();
  let updated = 0;
  for await (const page of queryPages(ctx.client, soql, { batchSize: ctx.batchSize ?? 2000 })) {
    const rows = page.records.map((rec) => rowFromRest(fields, rec, byName));
    updated += await ctx.writer.updateColumns({ connectionId: ctx.connectionId, object: entry.object, table: input.table, fields, rows, now: ctx.now() });
  }
  await saveObjectState(ctx, entry.object, { formulas_refreshed_at: mark.first ?? orgNow(ctx) });
  return { refreshed: true, updated, fields: formulas.length };
}
