/**
 * SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER, ...) as half-open UTC ranges
 * `[startMs, endMs)`, evaluated against the org clock.
 *
 * Assumptions (the emulator's org runs in UTC, en_US): weeks start on Sunday; the fiscal year is the
 * calendar year (Salesforce's default fiscal settings), so FISCAL literals equal calendar ones.
 * Semantics follow Salesforce's "Date Formats and Date Literals" page: LAST_N_DAYS:n covers today
 * and the n days before it; NEXT_N_DAYS:n starts tomorrow; LAST_N_WEEKS/MONTHS/... cover whole
 * past units before the current one; NEXT_N_... whole units after the current one.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
 */

export interface DateRange {
  startMs: number;
  endMs: number;
}

const DAY = 86_400_000;

function dayStart(ms: number): number {
  return ms - (((ms % DAY) + DAY) % DAY);
}

function monthStart(y: number, m: number): number {
  return Date.UTC(y, m, 1);
}

type Unit = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';

/** Start of the unit containing `now`, and a function stepping `k` units from it. */
function unitOf(now: number, unit: Unit): (k: number) => number {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (unit) {
    case 'DAY': {
      const s = dayStart(now);
      return (k) => s + k * DAY;
    }
    case 'WEEK': {
      const s = dayStart(now) - d.getUTCDay() * DAY;
      return (k) => s + k * 7 * DAY;
    }
    case 'MONTH':
      return (k) => monthStart(y, m + k);
    case 'QUARTER':
      return (k) => monthStart(y, m - (m % 3) + 3 * k);
    case 'YEAR':
      return (k) => monthStart(y + k, 0);
  }
}

const SIMPLE: Record<string, [Unit, number, number]> = {
  // literal: [unit, first unit offset, last unit offset (inclusive)]
  YESTERDAY: ['DAY', -1, -1],
  TODAY: ['DAY', 0, 0],
  TOMORROW: ['DAY', 1, 1],
  LAST_WEEK: ['WEEK', -1, -1],
  THIS_WEEK: ['WEEK', 0, 0],
  NEXT_WEEK: ['WEEK', 1, 1],
  LAST_MONTH: ['MONTH', -1, -1],
  THIS_MONTH: ['MONTH', 0, 0],
  NEXT_MONTH: ['MONTH', 1, 1],
  LAST_90_DAYS: ['DAY', -90, 0],
  NEXT_90_DAYS: ['DAY', 1, 90],
  LAST_QUARTER: ['QUARTER', -1, -1],
  THIS_QUARTER: ['QUARTER', 0, 0],
  NEXT_QUARTER: ['QUARTER', 1, 1],
  LAST_YEAR: ['YEAR', -1, -1],
  THIS_YEAR: ['YEAR', 0, 0],
  NEXT_YEAR: ['YEAR', 1, 1],
  LAST_FISCAL_QUARTER: ['QUARTER', -1, -1],
  THIS_FISCAL_QUARTER: ['QUARTER', 0, 0],
  NEXT_FISCAL_QUARTER: ['QUARTER', 1, 1],
  LAST_FISCAL_YEAR: ['YEAR', -1, -1],
  THIS_FISCAL_YEAR: ['YEAR', 0, 0],
  NEXT_FISCAL_YEAR: ['YEAR', 1, 1],
};

const N_UNITS: Record<string, Unit> = {
  DAYS: 'DAY',
  WEEKS: 'WEEK',
  MONTHS: 'MONTH',
  QUARTERS: 'QUARTER',
  FISCAL_QUARTERS: 'QUARTER',
  YEARS: 'YEAR',
  FISCAL_YEARS: 'YEAR',
};

/**
 * The range of a date literal such as `TODAY` or `LAST_N_DAYS:5` at time `now` (epoch ms);
 * undefined when the literal is unknown or its `n` is not a non-negative integer.
 */
export function dateLiteralRange(literal: string, now: number): DateRange | undefined {
  const upper = literal.toUpperCase();
  const simple = SIMPLE[upper];
  if (simple) {
    const step = unitOf(now, simple[0]);
    return { startMs: step(simple[1]), endMs: step(simple[2] + 1) };
  }
  const ago = /^N_([A-Z_]+)_AGO:(\d+)$/.exec(upper);
  if (ago) {
    const unit = N_UNITS[ago[1]!];
    if (!unit) return undefined;
    const step = unitOf(now, unit);
    const n = Number(ago[2]);
    return { startMs: step(-n), endMs: step(-n + 1) };
  }
  const m = /^(LAST|NEXT)_N_([A-Z_]+):(\d+)$/.exec(upper);
  if (!m) return undefined;
  const unit = N_UNITS[m[2]!];
  const n = Number(m[3]);
  if (!unit || !Number.isSafeInteger(n)) return undefined;
  const step = unitOf(now, unit);
  if (m[1] === 'LAST') {
    // LAST_N_DAYS includes today; LAST_N_WEEKS/MONTHS/... are whole units before the current one.
    return unit === 'DAY' ? { startMs: step(-n), endMs: step(1) } : { startMs: step(-n), endMs: step(0) };
  }
  return { startMs: step(1), endMs: step(n + 1) };
}
