/**
 * The parser hands WHERE/HAVING over as a right-leaning chain (`{left, operator, right}`) whose
 * parentheses are counts on the conditions (`openParen: 2`). This module turns that chain back into
 * a real boolean tree.
 *
 * SOQL rules kept here: NOT applies to the next condition or parenthesised group; AND and OR may
 * not be mixed at one level without parentheses (Salesforce answers `unexpected token`), so the
 * emulator never has to guess a precedence.
 */
import { malformed } from './errors.js';

export type BoolTree<C> = { op: 'and' | 'or'; kids: BoolTree<C>[] } | { op: 'not'; kid: BoolTree<C> } | { op: 'leaf'; cond: C };

interface Chain {
  left?: unknown;
  operator?: string;
  right?: Chain;
}

type Tok<C> = { t: '(' } | { t: ')' } | { t: 'AND' } | { t: 'OR' } | { t: 'NOT' } | { t: 'leaf'; cond: C };

function isNegation(left: object): boolean {
  return 'openParen' in left && !('field' in left) && !('fn' in left) && !('operator' in left);
}

function tokens<C>(chain: Chain): Tok<C>[] {
  const out: Tok<C>[] = [];
  for (let node: Chain | undefined = chain; node; node = node.right) {
    const left = node.left as (C & { openParen?: number; closeParen?: number }) | null | undefined;
    if (left && isNegation(left)) {
      for (let i = 0; i < (left.openParen ?? 0); i++) out.push({ t: '(' });
    } else if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) out.push({ t: '(' });
      out.push({ t: 'leaf', cond: left });
      for (let i = 0; i < (left.closeParen ?? 0); i++) out.push({ t: ')' });
    }
    const op = node.operator?.toUpperCase();
    if (op === 'AND' || op === 'OR' || op === 'NOT') out.push({ t: op });
  }
  return out;
}

/** Builds the boolean tree of a WHERE or HAVING clause. */
export function boolTree<C>(clause: object): BoolTree<C> {
  const toks = tokens<C>(clause as Chain);
  let i = 0;
  const bad = (what: string): never => {
    throw malformed(`unexpected token: '${what}'`);
  };
  const unary = (): BoolTree<C> => {
    const tok = toks[i++];
    if (!tok) return bad('<EOF>');
    if (tok.t === 'NOT') return { op: 'not', kid: unary() };
    if (tok.t === '(') {
      const inner = expr();
      if (toks[i++]?.t !== ')') bad('(');
      return inner;
    }
    if (tok.t === 'leaf') return { op: 'leaf', cond: tok.cond };
    return bad(tok.t);
  };
  const expr = (): BoolTree<C> => {
    const first = unary();
    const kids = [first];
    let op: 'AND' | 'OR' | undefined;
    while (i < toks.length) {
      const tok = toks[i]!;
      if (tok.t !== 'AND' && tok.t !== 'OR') break;
      if (op && op !== tok.t) bad(tok.t);
      op = tok.t;
      i++;
      kids.push(unary());
    }
    return op ? { op: op === 'AND' ? 'and' : 'or', kids } : first;
  };
  const tree = expr();
  if (i < toks.length) bad(toks[i]!.t === 'leaf' ? 'condition' : (toks[i] as { t: string }).t);
  return tree;
}

/** Compiles a boolean tree into one predicate, compiling each leaf once. */
export function compileBool<C, R>(tree: BoolTree<C>, leaf: (cond: C) => (row: R) => boolean): (row: R) => boolean {
  switch (tree.op) {
    case 'leaf':
      return leaf(tree.cond);
    case 'not': {
      const kid = compileBool(tree.kid, leaf);
      return (r) => !kid(r);
    }
    case 'and': {
      const kids = tree.kids.map((k) => compileBool(k, leaf));
      if (kids.length === 2) {
        const [a, b] = kids as [(r: R) => boolean, (r: R) => boolean];
        return (r) => a(r) && b(r);
      }
      return (r) => kids.every((k) => k(r));
    }
    case 'or': {
      const kids = tree.kids.map((k) => compileBool(k, leaf));
      return (r) => kids.some((k) => k(r));
    }
  }
}
