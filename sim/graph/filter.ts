/**
 * The OData `$filter` subset Graph answers for events and users: comparisons, `and`/`or`/`not`,
 * `in`, `startswith`/`endswith`/`contains`, and lambdas such as
 * `singleValueExtendedProperties/Any(ep: ep/id eq '...' and ep/value eq '...')` [notes
 * "Idempotency, tagging, lookup"]. Parsing is generic; each resource says which paths, operators
 * and functions it allows (FilterRules), and refuses the rest before anything is evaluated.
 */
export type Literal = string | number | boolean | null;
export type FilterNode =
  | { k: 'lit'; v: Literal }
  | { k: 'path'; p: string[] }
  | { k: 'cmp'; op: CompareOp; l: FilterNode; r: FilterNode }
  | { k: 'in'; l: FilterNode; list: FilterNode[] }
  | { k: 'and' | 'or'; l: FilterNode; r: FilterNode }
  | { k: 'not'; e: FilterNode }
  | { k: 'call'; fn: string; args: FilterNode[] }
  | { k: 'any'; p: string[]; v: string; body: FilterNode | null };
export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export class FilterSyntaxError extends Error {}
/** A well-formed filter the resource does not support (an unknown property, operator or function). */
export class FilterUnsupportedError extends Error {}

type Token = { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'date'; v: string } | { t: 'word'; v: string } | { t: 'punct'; v: string };

const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if ('(),:'.includes(c)) { out.push({ t: 'punct', v: c }); i++; continue; }
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError('unterminated string literal');
        if (text[i] === "'") {
          if (text[i + 1] === "'") { v += "'"; i += 2; continue; }
          i++;
          break;
        }
        v += text[i++];
      }
      out.push({ t: 'str', v });
      continue;
    }
    const date = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?/.exec(text.slice(i));
    if (date) { out.push({ t: 'date', v: date[0] }); i += date[0].length; continue; }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num) { out.push({ t: 'num', v: Number(num[0]) }); i += num[0].length; continue; }
    const word = /^[A-Za-z_$@][\w.$@]*(\/[A-Za-z_][\w.]*)*/.exec(text.slice(i));
    if (word) { out.push({ t: 'word', v: word[0] }); i += word[0].length; continue; }
    throw new FilterSyntaxError(`unexpected '${c}' at position ${i}`);
  }
  return out;
}

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (v: string): boolean => { const t = peek(); return t?.t === 'word' && t.v === v; };
  const isPunct = (v: string): boolean => { const t = peek(); return t?.t === 'punct' && t.v === v; };
  const expect = (v: string): void => {
    if (!isPunct(v)) throw new FilterSyntaxError(`expected '${v}'`);
    pos++;
  };

  const or = (): FilterNode => {
    let l = and();
    while (isWord('or')) { pos++; l = { k: 'or', l, r: and() }; }
    return l;
  };
  const and = (): FilterNode => {
    let l = unary();
    while (isWord('and')) { pos++; l = { k: 'and', l, r: unary() }; }
    return l;
  };
  const unary = (): FilterNode => {
    if (isWord('not')) { pos++; return { k: 'not', e: unary() }; }
    return comparison();
  };
  const comparison = (): FilterNode => {
    const l = primary();
    const t = peek();
    if (t?.t === 'word' && COMPARE.has(t.v)) { pos++; return { k: 'cmp', op: t.v as CompareOp, l, r: primary() }; }
    if (t?.t === 'word' && t.v === 'in') {
      pos++;
      expect('(');
      const list = [primary()];
      while (isPunct(',')) { pos++; list.push(primary()); }
      expect(')');
      return { k: 'in', l, list };
    }
    return l;
  };
  const primary = (): FilterNode => {
    const t = peek();
    if (!t) throw new FilterSyntaxError('unexpected end of the expression');
    pos++;
    if (t.t === 'punct' && t.v === '(') { const e = or(); expect(')'); return e; }
    if (t.t === 'str' || t.t === 'date') return { k: 'lit', v: t.v };
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t !== 'word') throw new FilterSyntaxError(`unexpected '${t.v}'`);
    if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
    if (t.v === 'null') return { k: 'lit', v: null };
    const segments = t.v.split('/');
    const last = segments.at(-1)!.toLowerCase();
    if (isPunct('(') && segments.length > 1 && (last === 'any' || last === 'all')) {
      if (last === 'all') throw new FilterUnsupportedError('all() is not supported');
      pos++;
      if (isPunct(')')) { pos++; return { k: 'any', p: segments.slice(0, -1), v: '', body: null }; }
      const variable = peek();
      if (variable?.t !== 'word' || variable.v.includes('/')) throw new FilterSyntaxError('expected a lambda variable');
      pos++;
      expect(':');
      const body = or();
      expect(')');
      return { k: 'any', p: segments.slice(0, -1), v: variable.v, body };
    }
    if (isPunct('(') && segments.length === 1) {
      pos++;
      const args = [or()];
      while (isPunct(',')) { pos++; args.push(or()); }
      expect(')');
      return { k: 'call', fn: t.v.toLowerCase(), args };
    }
    return { k: 'path', p: segments };
  };

  const node = or();
  if (pos < tokens.length) throw new FilterSyntaxError(`unexpected '${String(tokens[pos]!.v)}'`);
  return node;
}

/** What a resource lets a filter use. Paths are joined with '/'; lambda bodies have their own paths. */
export interface FilterRules {
  paths: Set<string>;
  operators: Set<string>;
  functions: Set<string>;
  lambdas: Record<string, { paths: Set<string>; operators: Set<string>; functions: Set<string> }>;
}

/** Refuses what the rules do not allow (FilterUnsupportedError), before any evaluation. */
export function checkFilter(node: FilterNode, rules: FilterRules, variable?: string): void {
  const scope = variable ? rules.lambdas[variable]! : rules;
  const path = (p: string[]): void => {
    const inner = variable && p[0] === variable ? p.slice(1) : p;
    if (variable && p[0] !== variable) throw new FilterUnsupportedError(`'${p.join('/')}' is not the lambda variable`);
    if (!scope.paths.has(inner.join('/'))) throw new FilterUnsupportedError(`unknown property '${p.join('/')}'`);
  };
  switch (node.k) {
    case 'lit': return;
    case 'path': return path(node.p);
    case 'cmp':
    case 'in':
    case 'and':
    case 'or':
    case 'not': {
      const op = node.k === 'cmp' ? node.op : node.k;
      if (!scope.operators.has(op)) throw new FilterUnsupportedError(`operator '${op}' is not supported`);
      const kids = node.k === 'not' ? [node.e] : node.k === 'in' ? [node.l, ...node.list] : [node.l, node.r];
      return kids.forEach((n) => checkFilter(n, rules, variable));
    }
    case 'call':
      if (!scope.functions.has(node.fn)) throw new FilterUnsupportedError(`function '${node.fn}' is not supported`);
      return node.args.forEach((n) => checkFilter(n, rules, variable));
    case 'any': {
      if (variable) throw new FilterUnsupportedError('nested lambdas are not supported');
      const key = node.p.join('/');
      const lambda = rules.lambdas[key];
      if (!lambda) throw new FilterUnsupportedError(`'${key}' cannot be used with any()`);
      if (node.body) checkFilter(node.body, { ...rules, lambdas: { ...rules.lambdas, [node.v]: lambda } }, node.v);
      return;
    }
  }
}

/**
 * A value that compares exactly (after normalizing the other side), e.g. an extended property id
 * whose name is case-sensitive; plain strings compare case-insensitively, as Exchange and the
 * directory do.
 */
export class ExactValue {
  constructor(readonly value: string, readonly normalize: (s: string) => string) {}
}

/** Resolves a path to a value: a literal, an array (for lambdas), an object, or an ExactValue. */
export type Resolver = (path: string[]) => unknown;

const ISO = /^\d{4}-\d{2}-\d{2}T/;
const instant = (s: string): number => Date.parse(/([+-]\d{2}:\d{2}|Z)$/i.test(s) ? s : `${s}Z`);

function compare(a: unknown, b: unknown): number | null {
  if (a instanceof ExactValue) return a.value === a.normalize(String(b)) ? 0 : 1;
  if (b instanceof ExactValue) return compare(b, a);
  if (a === null || b === null || a === undefined || b === undefined) return a == b ? 0 : null;
  if (typeof a === 'string' && typeof b === 'string') {
    if (ISO.test(a) && ISO.test(b)) return Math.sign(instant(a) - instant(b));
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (typeof a === typeof b) return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
  return null;
}

export function evaluate(node: FilterNode, resolve: Resolver): unknown {
  switch (node.k) {
    case 'lit': return node.v;
    case 'path': return resolve(node.p);
    case 'and': return evaluate(node.l, resolve) === true && evaluate(node.r, resolve) === true;
    case 'or': return evaluate(node.l, resolve) === true || evaluate(node.r, resolve) === true;
    case 'not': return evaluate(node.e, resolve) !== true;
    case 'in': {
      const l = evaluate(node.l, resolve);
      return node.list.some((n) => compare(l, evaluate(n, resolve)) === 0);
    }
    case 'cmp': {
      const c = compare(evaluate(node.l, resolve), evaluate(node.r, resolve));
      if (c === null) return node.op === 'ne';
      return { eq: c === 0, ne: c !== 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[node.op];
    }
    case 'call': {
      const [hay, needle] = node.args.map((a) => evaluate(a, resolve));
      const h = hay instanceof ExactValue ? hay.value : hay;
      if (typeof h !== 'string' || typeof needle !== 'string') return false;
      const [x, y] = [h.toLowerCase(), needle.toLowerCase()];
      return node.fn === 'startswith' ? x.startsWith(y) : node.fn === 'endswith' ? x.endsWith(y) : x.includes(y);
    }
    case 'any': {
      const items = resolve(node.p);
      if (!Array.isArray(items)) return false;
      if (!node.body) return items.length > 0;
      return items.some((item) => evaluate(node.body!, (p) => (p[0] === node.v ? itemPath(item, p.slice(1)) : resolve(p))) === true);
    }
  }
}

function itemPath(item: unknown, path: string[]): unknown {
  if (path.length === 0) return item;
  let v: unknown = item;
  for (const segment of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[segment] : undefined;
  return v;
}
