/**
 * The SOQL guard: agent queries must be plain SELECTs with no side effect. Salesforce SOQL has
 * clauses that write while reading — `FOR VIEW` / `FOR REFERENCE` update the user's recently
 * viewed data, `FOR UPDATE` locks rows, `UPDATE TRACKING` / `UPDATE VIEWSTAT` record article
 * views — and any of them may sit in the outer query, a parent-child subquery or a semi-join.
 *
 * Two independent checks, both must pass: the parsed AST (every nested query's `for`/`update`)
 * and, as defence in depth, a token scan of the text outside string literals (so a parser
 * quirk that drops a clause cannot let it through). Text that does not parse is refused with
 * the parser's message.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_for_view.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_for_update.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_update_tracking.htm
 */
import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { ForcebridgeError } from '../errors.js';

/** The side-effect clauses, as Salesforce spells them. */
export const SIDE_EFFECT_CLAUSES = ['FOR VIEW', 'FOR REFERENCE', 'FOR UPDATE', 'UPDATE TRACKING', 'UPDATE VIEWSTAT'] as const;
export type SideEffectClause = (typeof SIDE_EFFECT_CLAUSES)[number];

/** Longest SOQL Salesforce accepts over REST (100,000 characters). */
export const MAX_SOQL_LENGTH = 100_000;

const HINT = 'agent queries are read-only: remove the clause; forcebridge runs only plain SELECTs';

function refused(message: string, hint = HINT, details?: Record<string, unknown>): ForcebridgeError {
  return new ForcebridgeError('agent.soql_refused', 'invalid_input', message, { field: 'soql', hint, ...(details ? { details } : {}) });
}

/**
 * The text with every string literal blanked (quotes kept, content replaced by spaces), so the
 * token scan only sees SOQL keywords. SOQL strings are single-quoted with backslash escapes. An
 * unterminated string is kept as it is, so its text is scanned too (more refusals, never fewer).
 */
export function blankStringLiterals(soql: string): string {
  let out = '';
  let inString = false;
  let openedAt = 0;
  for (let i = 0; i < soql.length; i++) {
    const ch = soql[i]!;
    if (!inString) {
      out += ch;
      if (ch === "'") {
        inString = true;
        openedAt = out.length;
      }
      continue;
    }
    if (ch === '\\' && i + 1 < soql.length) {
      out += '  ';
      i++;
      continue;
    }
    if (ch === "'") {
      inString = false;
      out += ch;
      continue;
    }
    out += ch === '\n' ? '\n' : ' ';
  }
  return inString ? out.slice(0, openedAt) + soql.slice(openedAt) : out;
}

// Words separated by any whitespace, or anything that is not part of an identifier (comment-looking
// text such as `FOR/**/UPDATE` included), case-insensitive.
const SEP = String.raw`[^A-Za-z0-9_]+`;
const CLAUSE_PATTERNS: [SideEffectClause, RegExp][] = SIDE_EFFECT_CLAUSES.map((c) => {
  const [a, b] = c.split(' ') as [string, string];
  return [c, new RegExp(String.raw`(?<![A-Za-z0-9_.])${a}${SEP}${b}(?![A-Za-z0-9_])`, 'i')];
});

// Comment-looking spans (SOQL has none, but a clause split by one must still be seen).
const COMMENT_LIKE = /\/\*[\s\S]*?\*\/|--[^\n]*|\/\/[^\n]*/g;

/**
 * The side-effect clause found by the token scan outside string literals, if any. The text is
 * scanned as it is and once more with comment-looking spans removed.
 */
export function scanForSideEffects(soql: string): SideEffectClause | undefined {
  const text = blankStringLiterals(soql);
  for (const t of [text, text.replace(COMMENT_LIKE, ' ')]) {
    for (const [clause, re] of CLAUSE_PATTERNS) if (re.test(t)) return clause;
  }
  return undefined;
}

/** Every side-effect clause in the parsed query and all queries nested in it (subqueries, semi-joins). */
export function astSideEffects(q: Query): SideEffectClause[] {
  const found: SideEffectClause[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    const rec = node as Record<string, unknown>;
    // Only query nodes carry these keys in the parser's AST; any non-empty value is refused.
    if (rec.for !== undefined && rec.for !== null) found.push(`FOR ${String(rec.for).toUpperCase()}` as SideEffectClause);
    if (rec.update !== undefined && rec.update !== null) found.push(`UPDATE ${String(rec.update).toUpperCase()}` as SideEffectClause);
    for (const v of Object.values(rec)) walk(v);
  };
  walk(q);
  return found;
}

/** A query the guard let through: the text as given and its parsed form. */
export interface GuardedSoql {
  soql: string;
  ast: Query;
}

/**
 * Parses `soql` and refuses anything but a plain, side-effect-free SELECT with
 * `agent.soql_refused` (field `soql`, the clause named, a hint).
 */
export function guardSoql(soql: string): GuardedSoql {
  if (soql.trim() === '') throw refused('the SOQL query is empty', 'give a SELECT such as SELECT Id, Name FROM Account LIMIT 10');
  if (soql.length > MAX_SOQL_LENGTH)
    throw refused(`the SOQL query is ${soql.length} characters; Salesforce accepts at most ${MAX_SOQL_LENGTH}`, 'shorten the query');
  // The scan runs first and on its own: it does not depend on the parser understanding the text.
  const scanned = scanForSideEffects(soql);
  if (scanned) throw refused(`the SOQL query has a ${scanned} clause, which writes to Salesforce while reading`, HINT, { clause: scanned });
  let ast: Query;
  try {
    ast = parseQuery(soql);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw refused(`the SOQL query does not parse: ${msg}`, 'give one plain SELECT statement (SELECT fields FROM object [WHERE …] [ORDER BY …] [LIMIT n])');
  }
  const inAst = astSideEffects(ast);
  if (inAst.length > 0) {
    throw refused(`the SOQL query has a ${inAst[0]!} clause, which writes to Salesforce while reading`, HINT, { clause: inAst[0]! });
  }
  return { soql, ast };
}
