/**
 * SOQL text → @jetstreamapp/soql-parser-js AST, with parse failures turned into Salesforce's
 * MALFORMED_QUERY caret messages.
 *
 * The parser's errors carry only a message (`... but found: 'FROM'`), not the token position, so
 * the position is recovered by re-parsing prefixes: the offending token is the first occurrence of
 * the found text whose prefix (ending with it) already fails at that token, which is exactly
 * where an LL parser stops. This only runs on the error path.
 */
import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { malformed, tokenOffsets } from './errors.js';

/** The parser lacks the `<>` operator; `!=` has the same length, so offsets stay true. */
function normalizeOperators(soql: string): string {
  if (!soql.includes('<>')) return soql;
  let out = '';
  let inString = false;
  for (let i = 0; i < soql.length; i++) {
    const ch = soql[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += soql[++i] ?? '';
      else if (ch === "'") inString = false;
    } else if (ch === "'") {
      inString = true;
      out += ch;
    } else if (ch === '<' && soql[i + 1] === '>') {
      out += '!=';
      i++;
    } else out += ch;
  }
  return out;
}

/** The token a parse error stopped at ('' for end of input). */
function foundToken(message: string): string {
  const last = message.trim().split('\n').pop() ?? '';
  const m = /but found:?\s*(?:-->\s*)?'?(.*?)'?(?:\s*<--)?\s*$/.exec(last);
  return m ? m[1]! : '';
}

function tryParse(soql: string): { query?: Query; error?: Error } {
  try {
    return { query: parseQuery(soql) };
  } catch (e) {
    return { error: e as Error };
  }
}

/** Parses a SOQL query; throws SfHttpError MALFORMED_QUERY in Salesforce's caret format. */
export function parseSoql(soql: string): Query {
  const text = normalizeOperators(soql);
  const { query, error } = tryParse(text);
  if (query) return query;
  const message = error?.message ?? 'unknown parse error';
  if (error?.name === 'LexingError') {
    // "unexpected character: ->$<- at offset: 221, skipped 1 characters. (1:222)"
    const off = /at offset: (\d+)/.exec(message);
    const at = off ? Number(off[1]) : 0;
    return fail(soql, at, `unexpected token: '${soql[at] ?? '<EOF>'}'`);
  }
  const found = foundToken(message);
  if (!found) return fail(soql, soql.trimEnd().length, `unexpected token: '<EOF>'`);
  for (const at of tokenOffsets(text, found)) {
    const prefix = tryParse(text.slice(0, at + found.length));
    if (prefix.error && foundToken(prefix.error.message) !== '') return fail(soql, at, `unexpected token: '${found}'`);
  }
  return fail(soql, tokenOffsets(text, found)[0] ?? 0, `unexpected token: '${found}'`);
}

function fail(soql: string, at: number, message: string): never {
  throw malformed(message, soql, at);
}
