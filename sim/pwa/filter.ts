/**
 * A small OData v3 `$filter` evaluator covering what PWA clients send: comparisons
 * (eq ne gt ge lt le), and/or/not, parentheses, string literals, guid'..', numbers, true/false,
 * datetime'..', and the functions substringof, startswith, endswith, tolower, toupper.
 */

export class FilterSyntaxError extends Error {}

type Token = { kind: 'str' | 'num' | 'ident' | 'op' | 'punct'; value: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '(' || c === ')' || c === ',') { tokens.push({ kind: 'punct', value: c }); i += 1; continue; }
    const typed = /^(guid|datetime)'([^']*)'/i.exec(input.slice(i));
    if (typed) { tokens.push({ kind: 'str', value: typed[2]! }); i += typed[0].length; continue; }
    if (c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= input.length) throw new FilterSyntaxError('Unterminated string literal.');
        if (input[i] === "'" && input[i + 1] === "'") { value += "'"; i += 2; continue; }
        if (input[i] === "'") { i += 1; break; }
        value += input[i];
        i += 1;
      }
      tokens.push({ kind: 'str', value });
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(input.slice(i));
    if (num) { tokens.push({ kind: 'num', value: num[0] }); i += num[0].length; continue; }
    const ident = /^[A-Za-z_][\w/.]*/.exec(input.slice(i));
    if (ident) {
      const word = ident[0];
      const lower = word.toLowerCase();
      tokens.push({ kind: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not'].includes(lower) ? 'op' : 'ident', value: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not'].includes(lower) ? lower : word });
      i += word.length;
      continue;
    }
    throw new FilterSyntaxError(`Unexpected character '${c}' at position ${i}.`);
  }
  return tokens;
}

export type Row = Record<string, unknown>;
type Node = (row: Row) => unknown;

export function compileFilter(expression: string): (row: Row) => boolean {
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const expect = (value: string): void => {
    if (peek()?.value !== value) throw new FilterSyntaxError(`Expected '${value}' at token ${pos}.`);
    pos += 1;
  };

  const primary = (): Node => {
    const t = peek();
    if (!t) throw new FilterSyntaxError('Unexpected end of expression.');
    pos += 1;
    if (t.kind === 'str') return () => t.value;
    if (t.kind === 'num') return () => Number(t.value);
    if (t.value === '(') { const inner = orExpr(); expect(')'); return inner; }
    if (t.kind === 'op' && t.value === 'not') { const inner = primary(); return (r) => !inner(r); }
    if (t.kind === 'ident') {
      const lower = t.value.toLowerCase();
      if (lower === 'true' || lower === 'false') return () => lower === 'true';
      if (lower === 'null') return () => null;
      if (peek()?.value === '(') {
        pos += 1;
        const args: Node[] = [];
        if (peek()?.value !== ')') {
          args.push(orExpr());
          while (peek()?.value === ',') { pos += 1; args.push(orExpr()); }
        }
        expect(')');
        const s = (n: Node | undefined, r: Row): string => String(n?.(r) ?? '');
        switch (lower) {
          case 'substringof': return (r) => s(args[1], r).includes(s(args[0], r));
          case 'startswith': return (r) => s(args[0], r).startsWith(s(args[1], r));
          case 'endswith': return (r) => s(args[0], r).endsWith(s(args[1], r));
          case 'tolower': return (r) => s(args[0], r).toLowerCase();
          case 'toupper': return (r) => s(args[0], r).toUpperCase();
          default: throw new FilterSyntaxError(`Unknown function '${t.value}'.`);
        }
      }
      const path = t.value.split('/');
      return (r) => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Row)[k] : undefined), r);
    }
    throw new FilterSyntaxError(`Unexpected token '${t.value}'.`);
  };

  const comparison = (): Node => {
    const left = primary();
    const op = peek();
    if (op?.kind !== 'op' || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op.value)) return left;
    pos += 1;
    const right = primary();
    const norm = (v: unknown): unknown => (typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v) ? v.toLowerCase() : v);
    return (r) => {
      const a = norm(left(r)) as string | number;
      const b = norm(right(r)) as string | number;
      switch (op.value) {
        case 'eq': return a === b;
        case 'ne': return a !== b;
        case 'gt': return a > b;
        case 'ge': return a >= b;
        case 'lt': return a < b;
        default: return a <= b;
      }
    };
  };
  const andExpr = (): Node => {
    let left = comparison();
    while (peek()?.value === 'and') { pos += 1; const l = left; const right = comparison(); left = (r) => Boolean(l(r)) && Boolean(right(r)); }
    return left;
  };
  const orExpr = (): Node => {
    let left = andExpr();
    while (peek()?.value === 'or') { pos += 1; const l = left; const right = andExpr(); left = (r) => Boolean(l(r)) || Boolean(right(r)); }
    return left;
  };

  const root = orExpr();
  if (pos !== tokens.length) throw new FilterSyntaxError(`Unexpected '${tokens[pos]!.value}' after the end of the expression.`);
  return (row) => Boolean(root(row));
}
