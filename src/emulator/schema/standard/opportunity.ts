/**
 * Opportunity. Stage drives IsClosed, IsWon, the default Probability and the forecast category
 * as in Salesforce; those derived fields are computed on read so they stay right after a stage
 * change. ExpectedRevenue is the standard formula Amount × Probability / 100.
 */
import { bool, currency, date, datetime, field, int, object, owner, percent, picklist, ref, text, textarea } from '../define.js';
import type { ObjectDef, StoredRecord, StoredValue } from '../types.js';
import { audit, LEAD_SOURCES, ro } from './common.js';

/** A stage of the default sales process: its probability, forecast category and closed/won flags. */
export interface Stage {
  name: string;
  probability: number;
  forecastCategoryName: 'Pipeline' | 'Best Case' | 'Commit' | 'Closed' | 'Omitted';
  closed: boolean;
  won: boolean;
}

/** Salesforce's default opportunity stages, in sales-process order. */
export const STAGES: readonly Stage[] = [
  { name: 'Prospecting', probability: 10, forecastCategoryName: 'Pipeline', closed: false, won: false },
  { name: 'Qualification', probability: 10, forecastCategoryName: 'Pipeline', closed: false, won: false },
  { name: 'Needs Analysis', probability: 20, forecastCategoryName: 'Pipeline', closed: false, won: false },
  { name: 'Value Proposition', probability: 50, forecastCategoryName: 'Pipeline', closed: false, won: false },
  { name: 'Id. Decision Makers', probability: 60, forecastCategoryName: 'Pipeline', closed: false, won: false },
  { name: 'Perception Analysis', probability: 70, forecastCategoryName: 'Pipeline', closed: false, won: false },
  { name: 'Proposal/Price Quote', probability: 75, forecastCategoryName: 'Pipeline', closed: false, won: false },
  { name: 'Negotiation/Review', probability: 90, forecastCategoryName: 'Pipeline', closed: false, won: false },
  { name: 'Closed Won', probability: 100, forecastCategoryName: 'Closed', closed: true, won: true },
  { name: 'Closed Lost', probability: 0, forecastCategoryName: 'Omitted', closed: true, won: false },
];

const STAGE_BY_NAME = new Map(STAGES.map((s) => [s.name, s]));

/** Forecast category API values (`ForecastCategory`) for each category name. */
const FORECAST_CATEGORY: Record<string, string> = {
  Omitted: 'Omitted',
  Pipeline: 'Pipeline',
  'Best Case': 'BestCase',
  Commit: 'Forecast',
  Closed: 'Closed',
};

export const OPPORTUNITY_TYPES = ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer'] as const;

const stageOf = (r: StoredRecord) => (typeof r.StageName === 'string' ? STAGE_BY_NAME.get(r.StageName) : undefined);

/** Stored value when set (a user may override the stage default), else the stage's default. */
function probability(r: StoredRecord): StoredValue {
  const v = r.Probability;
  if (typeof v === 'number') return v;
  return stageOf(r)?.probability ?? null;
}

function forecastCategoryName(r: StoredRecord): StoredValue {
  const v = r.ForecastCategoryName;
  if (typeof v === 'string') return v;
  return stageOf(r)?.forecastCategoryName ?? null;
}

/** Calendar fiscal year (the org's FiscalYearStartMonth is 1). */
function closeParts(r: StoredRecord): { year: number; quarter: number } | undefined {
  if (typeof r.CloseDate !== 'string') return undefined;
  const year = Number(r.CloseDate.slice(0, 4));
  const month = Number(r.CloseDate.slice(5, 7));
  return { year, quarter: Math.floor((month - 1) / 3) + 1 };
}

export function opportunity(): ObjectDef {
  const a = audit('Opportunity');
  return object({
    name: 'Opportunity',
    keyPrefix: '006',
    sharingModel: 'Private',
    noSystemFields: true,
    fields: [
      a.Id,
      a.IsDeleted,
      ref('AccountId', ['Account'], { label: 'Account ID', childRelationshipName: 'Opportunities', cascadeDelete: true }),
      text('Name', 120, { nillable: false, nameField: true }),
      textarea('Description', 32000),
      picklist(
        'StageName',
        STAGES.map((s) => s.name),
        { label: 'Stage', nillable: false, restrictedPicklist: true },
      ),
      currency('Amount', 16, 2),
      percent('Probability', 3, 0, { label: 'Probability (%)', defaultedOnCreate: true, compute: probability }),
      currency('ExpectedRevenue', 16, 2, {
        label: 'Expected Amount',
        calculated: true,
        calculatedFormula: 'Amount * Probability / 100',
        ...ro,
        compute: (r) => {
          const amount = r.Amount;
          const p = probability(r);
          return typeof amount === 'number' && typeof p === 'number' ? Math.round(amount * p) / 100 : null;
        },
      }),
      field('TotalOpportunityQuantity', 'double', { label: 'Quantity', precision: 18, scale: 2 }),
      date('CloseDate', { label: 'Close Date', nillable: false }),
      picklist('Type', OPPORTUNITY_TYPES, { label: 'Opportunity Type' }),
      text('NextStep', 255, { label: 'Next Step' }),
      picklist('LeadSource', LEAD_SOURCES, { label: 'Lead Source' }),
      bool('IsClosed', false, { label: 'Closed', ...ro, compute: (r) => stageOf(r)?.closed ?? false }),
      bool('IsWon', false, { label: 'Won', ...ro, compute: (r) => stageOf(r)?.won ?? false }),
      picklist('ForecastCategory', ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'], {
        label: 'Forecast Category',
        ...ro,
        nillable: false,
        defaultedOnCreate: true,
        compute: (r) => {
          const name = forecastCategoryName(r);
          return typeof name === 'string' ? (FORECAST_CATEGORY[name] ?? null) : null;
        },
      }),
      picklist('ForecastCategoryName', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], {
        label: 'Forecast Category',
        defaultedOnCreate: true,
        restrictedPicklist: true,
        compute: forecastCategoryName,
      }),
      bool('HasOpportunityLineItem', false, { label: 'Has Line Item', ...ro }),
      owner(),
      a.CreatedDate,
      a.CreatedById,
      a.LastModifiedDate,
      a.LastModifiedById,
      a.SystemModstamp,
      date('LastActivityDate', { label: 'Last Activity', ...ro }),
      int('FiscalQuarter', { label: 'Fiscal Quarter', digits: 1, ...ro, compute: (r) => closeParts(r)?.quarter ?? null }),
      int('FiscalYear', { label: 'Fiscal Year', digits: 4, ...ro, compute: (r) => closeParts(r)?.year ?? null }),
      text('Fiscal', 6, {
        label: 'Fiscal Period',
        ...ro,
        compute: (r) => {
          const p = closeParts(r);
          return p ? `${p.year} ${p.quarter}` : null;
        },
      }),
      datetime('LastViewedDate', { label: 'Last Viewed Date', ...ro }),
      datetime('LastReferencedDate', { label: 'Last Referenced Date', ...ro }),
      bool('HasOpenActivity', false, { label: 'Has Open Activity', ...ro }),
      bool('HasOverdueTask', false, { label: 'Has Overdue Task', ...ro }),
    ],
  });
}
