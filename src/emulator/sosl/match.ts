/**
 * Term matching for SOSL: text is split into lower-case word tokens (letters and digits); a term
 * (a word such as `ada@example.com`, or a quoted phrase) matches a field when its tokens appear
 * consecutively in that field's tokens; `*` matches any run of letters/digits and `?` exactly one.
 * AND/OR/AND NOT combine terms over the whole record, as Salesforce's search index does.
 */
import { WILD_MANY, WILD_ONE, type TermExpr } from './parse.js';

/** Tokens of each searched field of one record. */
export type SearchDoc = string[][];

const WORDS = /[\p{L}\p{N}]+/gu;

/** Lower-case word tokens of a text. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORDS) ?? [];
}

/** Tokens of a phone number: its words plus its digits run together, so `4155551212` finds `(415) 555-1212`. */
export function phoneTokens(text: string): string[] {
  const digits = text.replace(/\D/g, '');
  return digits ? [...tokenize(text), digits] : tokenize(text);
}

type TokenTest = (token: string) => boolean;

function tokenTest(pattern: string): TokenTest {
  if (!pattern.includes(WILD_MANY) && !pattern.includes(WILD_ONE)) return (t) => t === pattern;
  const source = [...pattern]
    .map((ch) => (ch === WILD_MANY ? '[\\p{L}\\p{N}]*' : ch === WILD_ONE ? '[\\p{L}\\p{N}]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`, 'u');
  return (t) => re.test(t);
}

/** A term's token tests (wildcards kept inside tokens). */
function termTests(text: string): TokenTest[] {
  const parts = text.toLowerCase().match(new RegExp(`[\\p{L}\\p{N}${WILD_MANY}${WILD_ONE}]+`, 'gu')) ?? [];
  return parts.map(tokenTest);
}

function fieldContains(tokens: string[], tests: TokenTest[]): boolean {
  if (tests.length === 0) return false;
  outer: for (let i = 0; i + tests.length <= tokens.length; i++) {
    for (let k = 0; k < tests.length; k++) if (!tests[k]!(tokens[i + k]!)) continue outer;
    return true;
  }
  return false;
}

/** Compiles a term expression into a predicate over a record's searched fields. */
export function compileTerms(expr: TermExpr): (doc: SearchDoc) => boolean {
  switch (expr.kind) {
    case 'term': {
      const tests = termTests(expr.text);
      return (doc) => doc.some((tokens) => fieldContains(tokens, tests));
    }
    case 'and': {
      const l = compileTerms(expr.left);
      const r = compileTerms(expr.right);
      return (doc) => l(doc) && r(doc);
    }
    case 'or': {
      const l = compileTerms(expr.left);
      const r = compileTerms(expr.right);
      return (doc) => l(doc) || r(doc);
    }
    case 'andNot': {
      const l = compileTerms(expr.left);
      const r = compileTerms(expr.right);
      return (doc) => l(doc) && !r(doc);
    }
  }
}
