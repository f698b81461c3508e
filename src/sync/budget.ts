/**
 * The org's API budget during a sync. Salesforce's daily allocation is shared by everyone using
 * the org — people, agents, other integrations — so a sync stops well before it is spent: when
 * `used / max` reaches a configurable share (default 0.8), the run pauses (object state
 * `paused_quota`, run status `paused`) and the next run resumes from the committed cursor.
 * Usage comes from every answer's `Sforce-Limit-Info`; a 403 `REQUEST_LIMIT_EXCEEDED` is the same
 * pause. See https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm
 */
import { ForcebridgeError } from '../errors.js';
import type { ApiUsage } from '../salesforce/limit-info.js';

export const DEFAULT_API_BUDGET_SHARE = 0.8;

/** Error code of a quota pause (a ForcebridgeError the engine turns into state, not a failure). */
export const QUOTA_PAUSE_CODE = 'sync.paused_quota';

export class ApiBudget {
  private last: ApiUsage | undefined;

  constructor(
    readonly share: number = DEFAULT_API_BUDGET_SHARE,
    initial?: ApiUsage,
  ) {
    if (!(share > 0 && share <= 1))
      throw new ForcebridgeError('sync.invalid_budget_share', 'invalid_input', `apiBudgetShare must be above 0 and at most 1 (got ${share})`, {
        field: 'apiBudgetShare',
        hint: 'use a fraction of the daily API limit, e.g. 0.8',
      });
    if (initial) this.observe(initial);
  }

  /** The latest usage seen (from any answer's Sforce-Limit-Info or the stored connection). */
  get usage(): ApiUsage | undefined {
    return this.last;
  }

  observe(u: ApiUsage): void {
    if (u.max > 0) this.last = { used: u.used, max: u.max };
  }

  /** True once usage has reached the share of the daily limit. */
  over(): boolean {
    return this.last !== undefined && this.last.used / this.last.max >= this.share;
  }

  /** Throws the quota pause when no room is left; called before every API call of a run. */
  assertRoom(): void {
    if (this.over()) throw quotaPause(this.last!, this.share);
  }
}

export function quotaPause(usage: ApiUsage | undefined, share: number, cause?: unknown): ForcebridgeError {
  const pct = Math.round(share * 100);
  const seen = usage ? `${usage.used} of ${usage.max} daily API calls used` : 'the daily API limit is spent';
  return new ForcebridgeError(QUOTA_PAUSE_CODE, 'unavailable', `sync paused: ${seen}, at or above the ${pct}% share kept for sync`, {
    hint: `the next run resumes from the saved cursor once usage is below ${pct}%; raise apiBudgetShare to let sync use more`,
    details: { share, ...(usage ? { used: usage.used, max: usage.max } : {}) },
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** The pause for Salesforce's own 403 REQUEST_LIMIT_EXCEEDED, naming that answer. */
export function limitExceededPause(e: ForcebridgeError, usage: ApiUsage | undefined, share: number): ForcebridgeError {
  const said = e.salesforce?.message ? ` (${e.salesforce.message})` : '';
  const seen = usage ? `; ${usage.used} of ${usage.max} daily API calls used` : '';
  return new ForcebridgeError(QUOTA_PAUSE_CODE, 'unavailable', `sync paused: Salesforce answered REQUEST_LIMIT_EXCEEDED${said}${seen}`, {
    hint: 'the org’s API allocation (or a concurrency limit) is spent; the next run resumes from the saved cursor',
    details: { share, ...(usage ? { used: usage.used, max: usage.max } : {}) },
    ...(e.salesforce ? { salesforce: e.salesforce } : {}),
    cause: e,
  });
}

export function isQuotaPause(e: unknown): e is ForcebridgeError {
  return e instanceof ForcebridgeError && e.code === QUOTA_PAUSE_CODE;
}

/** Salesforce's own "daily limit spent" answer (403 REQUEST_LIMIT_EXCEEDED). */
export function isRequestLimitExceeded(e: unknown): e is ForcebridgeError {
  return e instanceof ForcebridgeError && e.salesforce?.errorCode === 'REQUEST_LIMIT_EXCEEDED';
}
