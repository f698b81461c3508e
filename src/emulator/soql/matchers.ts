/**
 * Comparison operators over comparable keys (see values.ts), shared by WHERE and HAVING.
 *
 * Null rules as in SOQL: `= null` / `!= null` test for null; `!=` and NOT IN match rows whose value is
 * null (unlike SQL); every other comparison with a null value is false. A date literal is a range
 * `[lo, hi)`: `=` means inside it, `<` before it, `>` after it.
 */
import { SfHttpError } from '../http/respond.js';

export type Key = string | number | null;
export type Operand = { k: 'point'; key: Key } | { k: 'range'; lo: string | number; hi: string | number };

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function eq(v: Key, o: Operand): boolean {
  if (o.k === 'range') return v !== null && cmp(v, o.lo) >= 0 && cmp(v, o.hi) < 0;
  if (o.key === null) return v === null;
  return v !== null && v === o.key;
}

/** A predicate over a row's key for one operator and its operands. */
export function keyMatcher(operator: string, operands: Operand[]): (v: Key) => boolean {
  const one = operands[0];
  switch (operator) {
    case '=':
      if (operands.length !== 1 || !one) break;
      if (one.k === 'point' && one.key !== null) {
        const want = one.key;
        return (v) => v === want;
      }
      return (v) => eq(v, one);
    case '!=':
      if (operands.length !== 1 || !one) break;
      return (v) => !eq(v, one);
    case 'IN': {
      const points = pointSet(operands);
      if (points) return (v) => points.has(v);
      return (v) => operands.some((o) => eq(v, o));
    }
    case 'NOT IN': {
      const points = pointSet(operands);
      if (points) return (v) => !points.has(v);
      return (v) => !operands.some((o) => eq(v, o));
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (operands.length !== 1 || !one) break;
      if (one.k === 'point' && one.key === null) return () => false;
      const bound = one.k === 'range' ? (operator === '<' || operator === '>=' ? one.lo : one.hi) : one.key!;
      // Against a range: `<` is before its start, `<=` before its end, `>` from its end, `>=` from its start.
      const strict = operator === '<' || operator === '>';
      const below = operator === '<' || operator === '<=';
      if (one.k === 'range') return below ? (v) => v !== null && cmp(v, bound) < 0 : (v) => v !== null && cmp(v, bound) >= 0;
      if (below) return strict ? (v) => v !== null && cmp(v, bound) < 0 : (v) => v !== null && cmp(v, bound) <= 0;
      return strict ? (v) => v !== null && cmp(v, bound) > 0 : (v) => v !== null && cmp(v, bound) >= 0;
    }
  }
  throw SfHttpError.of(400, 'MALFORMED_QUERY', `operator ${operator} needs ${operator.includes('IN') ? 'a list' : 'a single value'}`);
}

function pointSet(operands: Operand[]): Set<Key> | undefined {
  const s = new Set<Key>();
  for (const o of operands) {
    if (o.k !== 'point') return undefined;
    s.add(o.key);
  }
  return s;
}

/** LIKE pattern → anchored, case-insensitive RegExp (`%` any run, `_` one char, `\%` `\_` literal). */
export function likeRegex(pattern: string): RegExp {
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      src += pattern[++i];
    } else if (ch === '%') src += '.*';
    else if (ch === '_') src += '.';
    else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 'is');
}

/** Splits a (lower-cased) multi-select picklist value into its set of values. */
export function multiSet(v: string): Set<string> {
  return new Set(
    v
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/**
 * INCLUDES / EXCLUDES / = / != on a multi-select picklist: each operand `'a;b'` means "both a and b";
 * INCLUDES matches when any operand is fully contained; `=` when the sets are equal.
 */
export function multiMatcher(operator: string, operands: string[]): (v: Key) => boolean {
  const sets = operands.map(multiSet);
  const includes = (v: Key): boolean => {
    if (v === null) return false;
    const have = multiSet(String(v));
    return sets.some((s) => [...s].every((x) => have.has(x)));
  };
  const equals = (v: Key): boolean => {
    if (v === null) return sets.length === 0;
    const have = multiSet(String(v));
    return sets.some((s) => s.size === have.size && [...s].every((x) => have.has(x)));
  };
  switch (operator) {
    case 'INCLUDES':
      return includes;
    case 'EXCLUDES':
      return (v) => !includes(v);
    case '=':
    case 'IN':
      return equals;
    case '!=':
    case 'NOT IN':
      return (v) => !equals(v);
  }
  throw SfHttpError.of(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid operator on multipicklist field`);
}
