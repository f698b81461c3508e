/**
 * `GET /search?q=<SOSL>` and `GET|POST /parameterizedSearch` (wire reference §2.7). Both answer
 * `{searchRecords:[...]}` (a bare array before API 37.0, as the older docs show).
 *
 * parameterizedSearch takes its search text as data: the words of `q` are searched literally
 * (only `*` and `?` keep their wildcard meaning), so braces, quotes or `RETURNING` inside it can
 * never change the search.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { parseJsonBody } from '../data/validate.js';
import { REST, type EmuEnv } from '../http/env.js';
import { sfJson } from '../http/respond.js';
import type { Org } from '../org.js';
import { runSearch, type SearchRequest } from '../sosl/execute.js';
import {
  malformedSearch,
  NO_SEARCH_TERM,
  parseSosl,
  SEARCH_GROUPS,
  TERM_TOO_SHORT,
  WILD_MANY,
  WILD_ONE,
  type ReturningSpec,
  type SearchGroup,
  type TermExpr,
} from '../sosl/parse.js';

/** First API version whose search responses wrap records in `searchRecords` (UNCONFIRMED exact switch). */
const SEARCH_RECORDS_FROM_VERSION = 37;

function answer(c: Context<EmuEnv>, org: Org, req: SearchRequest): Response {
  const records = runSearch(org, c.get('principal'), c.get('apiVersion'), req);
  const major = Number(c.get('apiVersion').split('.')[0]);
  return sfJson(c, major >= SEARCH_RECORDS_FROM_VERSION ? { searchRecords: records } : records);
}

/**
 * The search expression for plain text: every word is a literal term (ANDed); `*`/`?` stay
 * wildcards; words with fewer than two letters or digits are dropped.
 */
export function literalTerms(q: string): TermExpr {
  const words = q
    .split(/\s+/)
    .filter((w) => w.replace(/[^\p{L}\p{N}]/gu, '').length >= 2)
    .map((w): TermExpr => ({ kind: 'term', text: w.replace(/\*/g, WILD_MANY).replace(/\?/g, WILD_ONE), phrase: false }));
  if (words.length === 0) throw malformedSearch(q.trim() === '' ? NO_SEARCH_TERM : TERM_TOO_SHORT);
  return words.reduce((left, right) => ({ kind: 'and', left, right }));
}

function searchGroup(v: string | undefined): SearchGroup {
  if (v === undefined || v === '') return 'ALL';
  const g = v.toUpperCase();
  if (!SEARCH_GROUPS.includes(g as SearchGroup)) throw malformedSearch(`'in' must be one of ${SEARCH_GROUPS.join(', ')}: ${v}`);
  return g as SearchGroup;
}

function positiveInt(name: string, v: string | number | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw malformedSearch(`'${name}' must be a non-negative integer: ${v}`);
  return n;
}

const fieldNames = (v: string | string[] | undefined): string[] =>
  (typeof v === 'string' ? v.split(',') : (v ?? [])).map((s) => s.trim()).filter((s) => s !== '');

const postBody = z.object({
  q: z.string(),
  in: z.string().optional(),
  fields: z.array(z.string()).optional(),
  sobjects: z
    .array(
      z.object({
        name: z.string(),
        fields: z.array(z.string()).optional(),
        limit: z.number().int().min(0).optional(),
        where: z.string().optional(),
      }),
    )
    .optional(),
  overallLimit: z.number().int().min(0).optional(),
  defaultLimit: z.number().int().min(0).optional(),
});

export function registerSearch(app: Hono<EmuEnv>, org: Org): void {
  const sosl = (c: Context<EmuEnv>) => {
    const q = c.req.query('q');
    if (q === undefined || q.trim() === '') throw malformedSearch(NO_SEARCH_TERM);
    const parsed = parseSosl(q);
    return answer(c, org, {
      search: parsed.search,
      in: parsed.in,
      returning: parsed.returning,
      ...(parsed.limit !== undefined ? { limit: parsed.limit } : {}),
    });
  };

  const parameterizedGet = (c: Context<EmuEnv>) => {
    const common = fieldNames(c.req.query('fields'));
    const returning: ReturningSpec[] = (c.req.queries('sobject') ?? []).map((name) => {
      const limit = positiveInt(`${name}.limit`, c.req.query(`${name}.limit`));
      const where = c.req.query(`${name}.where`);
      const own = fieldNames(c.req.query(`${name}.fields`));
      return { object: name, fields: own.length ? own : common, orderBy: [], ...(limit !== undefined ? { limit } : {}), ...(where ? { where } : {}) };
    });
    const overallLimit = positiveInt('overallLimit', c.req.query('overallLimit'));
    const defaultLimit = positiveInt('defaultLimit', c.req.query('defaultLimit'));
    return answer(c, org, {
      search: literalTerms(c.req.query('q') ?? ''),
      in: searchGroup(c.req.query('in')),
      returning,
      ...(overallLimit !== undefined ? { limit: overallLimit } : {}),
      ...(defaultLimit !== undefined ? { defaultLimit } : {}),
    });
  };

  const parameterizedPost = async (c: Context<EmuEnv>) => {
    const parsed = postBody.safeParse(parseJsonBody(await c.req.text(), 'ParameterizedSearchRequest'));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw malformedSearch(`invalid parameterizedSearch body: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    const b = parsed.data;
    const common = b.fields ?? [];
    const returning: ReturningSpec[] = (b.sobjects ?? []).map((s) => ({
      object: s.name,
      fields: s.fields?.length ? s.fields : common,
      orderBy: [],
      ...(s.limit !== undefined ? { limit: s.limit } : {}),
      ...(s.where ? { where: s.where } : {}),
    }));
    return answer(c, org, {
      search: literalTerms(b.q),
      in: searchGroup(b.in),
      returning,
      ...(b.overallLimit !== undefined ? { limit: b.overallLimit } : {}),
      ...(b.defaultLimit !== undefined ? { defaultLimit: b.defaultLimit } : {}),
    });
  };

  for (const suffix of ['', '/']) {
    app.get(`${REST}/search${suffix}`, sosl);
    app.get(`${REST}/parameterizedSearch${suffix}`, parameterizedGet);
    app.post(`${REST}/parameterizedSearch${suffix}`, parameterizedPost);
  }
}
