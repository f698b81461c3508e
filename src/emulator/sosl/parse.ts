/**
 * A small SOSL parser: `FIND {term expression} [IN ALL|NAME|EMAIL|PHONE|SIDEBAR FIELDS]
 * [RETURNING Object[(fields [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET n])], ...] [LIMIT n]`.
 *
 * The term expression inside the braces supports words, `"quoted phrases"`, `*` and `?`
 * wildcards, `AND`, `OR`, `AND NOT`, parentheses and backslash escapes of reserved characters.
 * Anything else (WITH …, UPDATE TRACKING, …) is refused with `MALFORMED_SEARCH` naming it, never
 * silently ignored. https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_syntax.htm
 */
import { SfHttpError } from '../http/respond.js';

/** Placeholders for unescaped wildcards inside term text (escaped `\*` stays a literal `*`). */
export const WILD_MANY = '\u0001';
export const WILD_ONE = '\u0002';

export type TermExpr = { kind: 'term'; text: string; phrase: boolean } | { kind: 'and' | 'or' | 'andNot'; left: TermExpr; right: TermExpr };

export type SearchGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';
export const SEARCH_GROUPS: readonly SearchGroup[] = ['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR'];

export interface OrderItem {
  field: string;
  descending: boolean;
  nullsLast: boolean;
}

/** One `RETURNING` entry. */
export interface ReturningSpec {
  object: string;
  fields: string[];
  /** Raw SOQL condition text of a WHERE inside the entry. */
  where?: string;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

export interface SoslQuery {
  search: TermExpr;
  in: SearchGroup;
  /** Empty: every searchable object, returning Id. */
  returning: ReturningSpec[];
  limit?: number;
}

/** The `MALFORMED_SEARCH` 400 every parse error becomes. */
export function malformedSearch(message: string): SfHttpError {
  return SfHttpError.of(400, 'MALFORMED_SEARCH', message);
}

export const NO_SEARCH_TERM = 'No search term found. The search term must be enclosed in braces.';
export const TERM_TOO_SHORT = 'search term must be longer than one character';

/** Parses a SOSL statement; throws `MALFORMED_SEARCH` naming what is wrong. */
export function parseSosl(text: string): SoslQuery {
  const s = text.trim();
  const find = /^FIND\s*/i.exec(s);
  if (!find) throw malformedSearch(`SOSL must begin with FIND: ${s.slice(0, 40)}`);
  let pos = find[0].length;
  if (s[pos] !== '{') throw malformedSearch(NO_SEARCH_TERM);
  const close = closingBrace(s, pos);
  const search = parseTermExpression(s.slice(pos + 1, close));
  pos = close + 1;

  const q: SoslQuery = { search, in: 'ALL', returning: [] };
  const rest = s.slice(pos);
  const clauses = new Scanner(rest);
  const seen = new Set<string>();
  while (!clauses.done()) {
    const word = clauses.word().toUpperCase();
    if (seen.has(word)) throw malformedSearch(`duplicate ${word} clause`);
    seen.add(word);
    switch (word) {
      case 'IN': {
        const group = clauses.word().toUpperCase();
        if (!SEARCH_GROUPS.includes(group as SearchGroup))
          throw malformedSearch(`unknown search group '${group}': use ALL, NAME, EMAIL, PHONE or SIDEBAR FIELDS`);
        if (clauses.word().toUpperCase() !== 'FIELDS') throw malformedSearch(`expected FIELDS after IN ${group}`);
        q.in = group as SearchGroup;
        break;
      }
      case 'RETURNING':
        q.returning = parseReturning(clauses);
        break;
      case 'LIMIT':
        q.limit = clauses.integer('LIMIT');
        break;
      case '':
        throw malformedSearch(`unexpected character '${clauses.peek()}' in SOSL`);
      default:
        throw malformedSearch(`unsupported SOSL clause '${word}': this emulator serves FIND, IN, RETURNING and LIMIT`);
    }
  }
  return q;
}

/** Index of the `}` closing the brace at `open`, honouring backslash escapes. */
function closingBrace(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '}') return i;
  }
  throw malformedSearch(`missing '}' after the search term`);
}

/** Tokens of a term expression. */
type TermToken = { t: 'word'; text: string } | { t: 'phrase'; text: string } | { t: '(' } | { t: ')' } | { t: 'AND' | 'OR' | 'NOT' };

function termTokens(src: string): TermToken[] {
  const out: TermToken[] = [];
  let i = 0;
  const readChar = (): string => {
    const ch = src[i]!;
    if (ch === '\\' && i + 1 < src.length) {
      i += 2;
      return src[i - 1]!;
    }
    i++;
    return ch === '*' ? WILD_MANY : ch === '?' ? WILD_ONE : ch;
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      out.push({ t: ch });
      i++;
    } else if (ch === '"') {
      i++;
      let text = '';
      while (i < src.length && src[i] !== '"') text += readChar();
      if (i >= src.length) throw malformedSearch('unterminated quoted phrase in the search term');
      i++;
      out.push({ t: 'phrase', text });
    } else {
      const start = i;
      let text = '';
      while (i < src.length && !/[\s()"]/.test(src[i]!)) text += readChar();
      const raw = src.slice(start, i);
      if (raw === 'AND' || raw === 'OR' || raw === 'NOT') out.push({ t: raw });
      else out.push({ t: 'word', text });
    }
  }
  return out;
}

/** Parses the text between the braces into an expression tree. */
export function parseTermExpression(src: string): TermExpr {
  const tokens = termTokens(src);
  if (tokens.length === 0) throw malformedSearch(NO_SEARCH_TERM);
  let i = 0;
  const peek = () => tokens[i];

  const primary = (): TermExpr => {
    const tok = tokens[i++];
    if (!tok) throw malformedSearch('the search term ends with an operator');
    if (tok.t === '(') {
      const e = orExpr();
      if (tokens[i++]?.t !== ')') throw malformedSearch(`missing ')' in the search term`);
      return e;
    }
    if (tok.t === 'word' || tok.t === 'phrase') return checkTerm({ kind: 'term', text: tok.text, phrase: tok.t === 'phrase' });
    throw malformedSearch(`unexpected '${tok.t}' in the search term`);
  };
  const andExpr = (): TermExpr => {
    let left = primary();
    for (;;) {
      const tok = peek();
      if (!tok || tok.t === ')' || tok.t === 'OR') return left;
      if (tok.t === 'AND') {
        i++;
        if (peek()?.t === 'NOT') {
          i++;
          left = { kind: 'andNot', left, right: primary() };
        } else left = { kind: 'and', left, right: primary() };
      } else if (tok.t === 'NOT') {
        throw malformedSearch('NOT must follow AND in the search term');
      } else {
        // Adjacent terms without an operator are ANDed, as Salesforce does.
        left = { kind: 'and', left, right: primary() };
      }
    }
  };
  const orExpr = (): TermExpr => {
    let left = andExpr();
    while (peek()?.t === 'OR') {
      i++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const e = orExpr();
  if (i < tokens.length) throw malformedSearch(`unexpected ')' in the search term`);
  return e;
}

/** Salesforce refuses terms with fewer than two searchable characters. */
function checkTerm(t: TermExpr & { kind: 'term' }): TermExpr {
  const letters = t.text.replace(/[^\p{L}\p{N}]/gu, '');
  if (letters.length < 2) throw malformedSearch(TERM_TOO_SHORT);
  return t;
}

/** Splits the SOSL after the braces into words, parenthesised groups and punctuation. */
class Scanner {
  private pos = 0;
  constructor(private readonly s: string) {}

  private skipWs(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos]!)) this.pos++;
  }

  done(): boolean {
    this.skipWs();
    return this.pos >= this.s.length;
  }

  peek(): string {
    this.skipWs();
    return this.s[this.pos] ?? '';
  }

  /** An identifier-like word (letters, digits, `_`, `.`), or '' when none. */
  word(): string {
    this.skipWs();
    const m = /^[A-Za-z0-9_.]+/.exec(this.s.slice(this.pos));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }

  integer(clause: string): number {
    const w = this.word();
    if (!/^\d+$/.test(w)) throw malformedSearch(`${clause} needs a non-negative integer, got '${w}'`);
    return Number(w);
  }

  /** Consumes `ch` if next. */
  take(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  /** The text inside a parenthesised group starting here (quotes respected), consuming it. */
  group(): string {
    this.skipWs();
    const start = this.pos + 1;
    let depth = 0;
    for (let i = this.pos; i < this.s.length; i++) {
      const ch = this.s[i]!;
      if (ch === "'") {
        for (i++; i < this.s.length && this.s[i] !== "'"; i++) if (this.s[i] === '\\') i++;
      } else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) {
        this.pos = i + 1;
        return this.s.slice(start, i);
      }
    }
    throw malformedSearch(`missing ')' in RETURNING`);
  }
}

function parseReturning(sc: Scanner): ReturningSpec[] {
  const out: ReturningSpec[] = [];
  for (;;) {
    const object = sc.word();
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(object)) throw malformedSearch(`expected an object name after RETURNING, got '${object || sc.peek()}'`);
    const spec: ReturningSpec = { object, fields: [], orderBy: [] };
    if (sc.peek() === '(') parseReturningBody(sc.group(), spec);
    out.push(spec);
    if (!sc.take(',')) return out;
  }
}

/** Splits `Id, Name WHERE ... ORDER BY ... LIMIT n OFFSET m` at top-level keywords. */
function parseReturningBody(body: string, spec: ReturningSpec): void {
  const parts = splitKeywords(body);
  const fieldText = parts.get('') ?? '';
  spec.fields = fieldText
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (fieldText.trim() !== '' && spec.fields.length !== fieldText.split(',').length) throw malformedSearch(`empty field name in RETURNING ${spec.object}`);
  for (const f of spec.fields)
    if (!/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/.test(f)) throw malformedSearch(`unsupported field expression '${f}' in RETURNING ${spec.object}`);
  const where = parts.get('WHERE');
  if (where !== undefined) {
    if (where.trim() === '') throw malformedSearch(`empty WHERE in RETURNING ${spec.object}`);
    spec.where = where.trim();
  }
  const order = parts.get('ORDER BY');
  if (order !== undefined) {
    for (const item of order.split(',')) {
      const m = /^\s*([A-Za-z][A-Za-z0-9_.]*)(?:\s+(ASC|DESC))?(?:\s+NULLS\s+(FIRST|LAST))?\s*$/i.exec(item);
      if (!m) throw malformedSearch(`cannot read ORDER BY item '${item.trim()}' in RETURNING ${spec.object}`);
      const descending = m[2]?.toUpperCase() === 'DESC';
      spec.orderBy.push({ field: m[1]!, descending, nullsLast: m[3] ? m[3].toUpperCase() === 'LAST' : descending });
    }
  }
  for (const k of ['LIMIT', 'OFFSET'] as const) {
    const v = parts.get(k);
    if (v === undefined) continue;
    if (!/^\s*\d+\s*$/.test(v)) throw malformedSearch(`${k} needs a non-negative integer in RETURNING ${spec.object}`);
    if (k === 'LIMIT') spec.limit = Number(v);
    else spec.offset = Number(v);
  }
}

const RETURNING_KEYWORDS = ['WHERE', 'ORDER BY', 'LIMIT', 'OFFSET', 'USING', 'WITH'];

/** Splits at the RETURNING sub-clauses, outside quotes and parentheses; '' is the field list. */
function splitKeywords(body: string): Map<string, string> {
  const cuts: { kw: string; at: number; len: number }[] = [];
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "'") {
      for (i++; i < body.length && body[i] !== "'"; i++) if (body[i] === '\\') i++;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (depth !== 0 || (i > 0 && /[A-Za-z0-9_]/.test(body[i - 1]!))) continue;
    for (const kw of RETURNING_KEYWORDS) {
      const m = new RegExp(`^${kw.replace(' ', '\\s+')}(?![A-Za-z0-9_])`, 'i').exec(body.slice(i));
      if (m) {
        cuts.push({ kw, at: i, len: m[0].length });
        i += m[0].length - 1;
        break;
      }
    }
  }
  const out = new Map<string, string>();
  out.set('', body.slice(0, cuts[0]?.at ?? body.length));
  cuts.forEach((c, n) => {
    if (c.kw === 'USING' || c.kw === 'WITH') throw malformedSearch(`${c.kw} inside RETURNING is not supported by this emulator`);
    if (out.has(c.kw)) throw malformedSearch(`duplicate ${c.kw} in RETURNING`);
    out.set(c.kw, body.slice(c.at + c.len, cuts[n + 1]?.at ?? body.length));
  });
  return out;
}
