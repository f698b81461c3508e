/**
 * A view of a connection's REST client for one sync run. Every call first asks the API budget for
 * room (so a run pauses between pages and objects, with the cursor committed), and every answer is
 * read for what the run needs without extra calls: `Sforce-Limit-Info` (usage), the `Date` header
 * (the org's clock, which getDeleted windows and phase schedules are measured in) and describe's
 * `replicateable` flag (whether getDeleted serves the object).
 */
import type { ApiRequest, ApiResponse, SalesforceClient } from '../salesforce/client.js';
import { parseLimitInfo } from '../salesforce/limit-info.js';
import { salesforceError } from '../salesforce/errors.js';
import { header, type HttpResponse } from '../salesforce/transport.js';
import { isRequestLimitExceeded, limitExceededPause, type ApiBudget } from './budget.js';

/** The first org time seen after a mark (e.g. the describe that starts an object's read). */
export interface ServerMark {
  first: number | undefined;
}

const DESCRIBE = /\/sobjects\/([^/]+)\/describe\/?$/;

export class ClientTap {
  /** The client to hand to sync code: budget-guarded and observed. */
  readonly client: SalesforceClient;
  private server: { at: number; local: number } | undefined;
  private readonly marks = new Set<ServerMark>();
  private readonly replicateable = new Map<string, boolean>();
  calls = 0;

  constructor(
    private readonly raw: SalesforceClient,
    private readonly budget: ApiBudget,
    private readonly localNow: () => number = Date.now,
  ) {
    const send = async (r: ApiRequest): Promise<HttpResponse> => {
      this.budget.assertRoom();
      this.calls++;
      const res = await raw.send(r);
      this.observe(res);
      return res;
    };
    const request = async <T>(r: ApiRequest): Promise<ApiResponse<T>> => {
      // Salesforce's request() sends through `this.send`, so the proxy's send (guard + observe) runs.
      let res: ApiResponse<T>;
      try {
        res = (await Reflect.apply(raw.request, this.client, [r])) as ApiResponse<T>;
      } catch (e) {
        if (isRequestLimitExceeded(e)) throw limitExceededPause(e, this.budget.usage, this.budget.share);
        throw e;
      }
      const m = DESCRIBE.exec(r.path);
      const rep = (res.json as { replicateable?: unknown } | undefined)?.replicateable;
      if (m && typeof rep === 'boolean') this.replicateable.set(decodeURIComponent(m[1]!).toLowerCase(), rep);
      return res;
    };
    this.client = new Proxy(raw, {
      get(target, prop, receiver) {
        if (prop === 'send') return send;
        if (prop === 'request') return request;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
  }

  private observe(res: HttpResponse): void {
    const usage = parseLimitInfo(header(res, 'sforce-limit-info'));
    if (usage) this.budget.observe(usage);
    const date = header(res, 'date');
    const at = date ? Date.parse(date) : NaN;
    if (!Number.isNaN(at)) {
      this.server = { at, local: this.localNow() };
      for (const m of this.marks) m.first = at;
      this.marks.clear();
    }
  }

  /** The org's clock now (last Date header plus local time since), if any answer was seen. */
  serverNow(): number | undefined {
    return this.server ? this.server.at + (this.localNow() - this.server.local) : undefined;
  }

  /** Starts watching for the next answer's org time. */
  mark(): ServerMark {
    const m: ServerMark = { first: undefined };
    this.marks.add(m);
    return m;
  }

  /** describe's `replicateable` for an object seen in this run, if it was described. */
  replicateableOf(object: string): boolean | undefined {
    return this.replicateable.get(object.toLowerCase());
  }

  /**
   * Refreshes the usage with one call outside the guard (`GET /limits`), used when the stored
   * usage says the budget is spent: the allocation is a rolling 24 hours, so it may have room again.
   */
  async probe(): Promise<void> {
    this.calls++;
    const res = await this.raw.send({ method: 'GET', path: '/limits' });
    this.observe(res);
    if (res.status === 403) {
      const e = salesforceError(res, 'GET /limits');
      if (isRequestLimitExceeded(e)) throw limitExceededPause(e, this.budget.usage, this.budget.share);
    }
  }
}
