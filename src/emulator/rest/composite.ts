/**
 * `POST /composite` (up to 25 subrequests with `@{ref.path}` references and `allOrNone`),
 * `POST /composite/batch` (independent subrequests, `haltOnError`) and the sObject Collections
 * routes (rest/collections.ts). Subrequests are dispatched to the same app as synthetic requests
 * carrying the caller's Authorization header, so every resource behaves exactly as when called
 * directly; they are not counted against the API limit again, and their writes go to one journal
 * so `allOrNone` can roll them all back. Wire reference §2.10.
 */
import type { Context, Hono } from 'hono';
import { parseJsonBody } from '../data/validate.js';
import { REST, type EmuEnv } from '../http/env.js';
import { uncountedRequests } from '../http/middleware.js';
import { SfHttpError, sfJson } from '../http/respond.js';
import type { Org } from '../org.js';
import { registerCollections } from './collections.js';
import { Journal } from './dml.js';
import { subrequestJournals } from './sobject-http.js';

/** Subrequests per composite or batch call. */
export const MAX_SUBREQUESTS = 25;

/** Error texts of composite requests (UNCONFIRMED wording unless noted). */
const COMPOSITE_MSG = {
  tooMany: (max: number) => `The number of subrequests exceeds the maximum of ${max}`,
  missing: (what: string) => `Composite request is missing required field: ${what}`,
  duplicateRef: (ref: string) => `Duplicate referenceId provided in the request: ${ref}`,
  badRef: (ref: string) => `Invalid referenceId: ${ref}. Use letters, digits and underscores, starting with a letter`,
  badUrl: (url: string) => `The subrequest URL must start with /services/data/vXX.X/: ${url}`,
  nested: 'Composite subrequests cannot call composite resources',
  rolledBack: 'The transaction was rolled back since another operation in the same transaction failed.',
  unresolved: (expr: string, ref: string) =>
    `Invalid reference specified. No value for ${expr} found in ${ref}. Provided referenceId ('${ref}') must match a referenceId in a previous subrequest.`,
  batchHalted: 'Batch processing halted per request',
};

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
}

/** Headers of a subresponse worth reporting (Salesforce omits Content-Length and friends). */
const REPORTED_HEADERS = ['Location', 'ETag', 'Last-Modified'];

/** Dispatches one subrequest to the app as the caller. */
async function dispatch(
  app: Hono<EmuEnv>,
  c: Context<EmuEnv>,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  journal: Journal,
): Promise<SubResult> {
  const url = new URL(path, c.req.url);
  const init: RequestInit = {
    method,
    headers: { ...headers, Authorization: c.req.header('authorization') ?? '', 'Content-Type': 'application/json' },
  };
  if (body !== undefined && body !== null && method !== 'GET' && method !== 'HEAD') init.body = JSON.stringify(body);
  const req = new Request(url, init);
  uncountedRequests.add(req);
  subrequestJournals.set(req, journal);
  const res = await app.fetch(req, c.env);
  const text = await res.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const httpHeaders: Record<string, string> = {};
  for (const h of REPORTED_HEADERS) {
    const v = res.headers.get(h);
    if (v !== null) httpHeaders[h] = v;
  }
  return { body: parsed, httpHeaders, httpStatusCode: res.status };
}

/** Reads `a.b[0].c` from a subresponse body. */
function readPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const REF = /@\{([A-Za-z][A-Za-z0-9_]*)((?:\.[^}.[\]]+|\[\d+\])+)\}/g;

class Unresolved extends Error {
  constructor(
    readonly expr: string,
    readonly ref: string,
  ) {
    super(`unresolved ${expr}`);
  }
}

/** Replaces `@{ref.path}` in a string; a string that is only a reference takes the value as is. */
function substitute(s: string, results: Map<string, SubResult>): unknown {
  const whole = /^@\{([A-Za-z][A-Za-z0-9_]*)((?:\.[^}.[\]]+|\[\d+\])+)\}$/.exec(s);
  const resolve = (ref: string, path: string): unknown => {
    const r = results.get(ref);
    const v = r && r.httpStatusCode < 400 ? readPath(r.body, path) : undefined;
    if (v === undefined) throw new Unresolved(`${ref}${path}`, ref);
    return v;
  };
  if (whole) return resolve(whole[1]!, whole[2]!);
  return s.replace(REF, (_m, ref: string, path: string) => String(resolve(ref, path)));
}

function substituteDeep(v: unknown, results: Map<string, SubResult>): unknown {
  if (typeof v === 'string') return substitute(v, results);
  if (Array.isArray(v)) return v.map((x) => substituteDeep(x, results));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteDeep(x, results)]));
  }
  return v;
}

interface SubRequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders: Record<string, string>;
}

function subrequests(body: Record<string, unknown>): SubRequest[] {
  const list = body.compositeRequest;
  if (!Array.isArray(list) || list.length === 0) throw SfHttpError.of(400, 'JSON_PARSER_ERROR', COMPOSITE_MSG.missing('compositeRequest'));
  if (list.length > MAX_SUBREQUESTS) throw SfHttpError.of(400, 'INVALID_BATCH_REQUEST', COMPOSITE_MSG.tooMany(MAX_SUBREQUESTS));
  const seen = new Set<string>();
  return list.map((raw: unknown) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    for (const k of ['method', 'url', 'referenceId']) {
      if (typeof r[k] !== 'string' || r[k] === '') throw SfHttpError.of(400, 'JSON_PARSER_ERROR', COMPOSITE_MSG.missing(k));
    }
    const ref = r.referenceId as string;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(ref)) throw SfHttpError.of(400, 'INVALID_BATCH_REQUEST', COMPOSITE_MSG.badRef(ref));
    if (seen.has(ref)) throw SfHttpError.of(400, 'INVALID_BATCH_REQUEST', COMPOSITE_MSG.duplicateRef(ref));
    seen.add(ref);
    const headers = (r.httpHeaders ?? {}) as Record<string, unknown>;
    return {
      method: (r.method as string).toUpperCase(),
      url: r.url as string,
      referenceId: ref,
      ...(r.body !== undefined ? { body: r.body } : {}),
      httpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
    };
  });
}

/** Why a subrequest URL cannot be served, or undefined when it can. */
function urlProblem(url: string): string | undefined {
  if (!/^\/services\/data\/v\d+\.\d\//.test(url)) return COMPOSITE_MSG.badUrl(url);
  if (/^\/services\/data\/v\d+\.\d\/composite(?:\/(?:batch|tree|graph))?\/?(?:\?|$)/.test(url)) return COMPOSITE_MSG.nested;
  return undefined;
}

const halted = (message: string): SubResult => ({ body: [{ errorCode: 'PROCESSING_HALTED', message }], httpHeaders: {}, httpStatusCode: 400 });

export function registerComposite(app: Hono<EmuEnv>, org: Org): void {
  registerCollections(app, org);

  app.post(`${REST}/composite`, async (c) => {
    const body = parseJsonBody(await c.req.text(), 'CompositeRequest');
    const allOrNone = body.allOrNone === true;
    const subs = subrequests(body);
    const journal = new Journal();
    const results = new Map<string, SubResult>();
    const out: (SubResult & { referenceId: string })[] = [];
    let failed = false;
    for (const sub of subs) {
      if (failed && allOrNone) {
        out.push({ ...halted(COMPOSITE_MSG.rolledBack), referenceId: sub.referenceId });
        continue;
      }
      let result: SubResult;
      try {
        const url = String(substitute(sub.url, results));
        const problem = urlProblem(url);
        result = problem
          ? { body: [{ errorCode: 'INVALID_BATCH_REQUEST', message: problem }], httpHeaders: {}, httpStatusCode: 400 }
          : await dispatch(app, c, sub.method, url, substituteDeep(sub.body, results), sub.httpHeaders, journal);
      } catch (e) {
        if (!(e instanceof Unresolved)) throw e;
        result = halted(COMPOSITE_MSG.unresolved(e.expr, e.ref));
      }
      results.set(sub.referenceId, result);
      out.push({ ...result, referenceId: sub.referenceId });
      if (result.httpStatusCode >= 400) failed = true;
    }
    if (failed && allOrNone) {
      journal.rollbackTo();
      // Every subrequest that had succeeded is reported as rolled back.
      for (const [i, r] of out.entries()) if (r.httpStatusCode < 400) out[i] = { ...halted(COMPOSITE_MSG.rolledBack), referenceId: r.referenceId };
    }
    return sfJson(c, { compositeResponse: out });
  });

  app.post(`${REST}/composite/batch`, async (c) => {
    const body = parseJsonBody(await c.req.text(), 'BatchRequest');
    const list = body.batchRequests;
    if (!Array.isArray(list) || list.length === 0) throw SfHttpError.of(400, 'JSON_PARSER_ERROR', COMPOSITE_MSG.missing('batchRequests'));
    if (list.length > MAX_SUBREQUESTS) throw SfHttpError.of(400, 'INVALID_BATCH_REQUEST', COMPOSITE_MSG.tooMany(MAX_SUBREQUESTS));
    const haltOnError = body.haltOnError === true;
    const results: { statusCode: number; result: unknown }[] = [];
    let halt = false;
    for (const raw of list as Record<string, unknown>[]) {
      if (halt) {
        results.push({ statusCode: 412, result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: COMPOSITE_MSG.batchHalted }] });
        continue;
      }
      const method = typeof raw?.method === 'string' ? raw.method.toUpperCase() : '';
      const rel = typeof raw?.url === 'string' ? raw.url.replace(/^\//, '') : '';
      const url = rel.startsWith('services/data/') ? `/${rel}` : `/services/data/${rel}`;
      const problem = !method || !rel ? COMPOSITE_MSG.missing(!method ? 'method' : 'url') : urlProblem(url);
      // Batch subrequests are independent: each commits on its own (a fresh journal, never rolled back).
      const r = problem
        ? { body: [{ errorCode: 'INVALID_BATCH_REQUEST', message: problem }], httpHeaders: {}, httpStatusCode: 400 }
        : await dispatch(app, c, method, url, raw.richInput, {}, new Journal());
      results.push({ statusCode: r.httpStatusCode, result: r.body });
      if (r.httpStatusCode >= 400 && haltOnError) halt = true;
    }
    return sfJson(c, { hasErrors: results.some((r) => r.statusCode >= 400), results });
  });
}
