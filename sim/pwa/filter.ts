import type { EdmType, EntitySchema } from './schema.js';

/**
 * A small OData v3 `$filter` evaluator covering what PWA clients send: comparisons
 * (eq ne gt ge lt le), and/or/not, parentheses, string literals, guid'..', numbers, true/false,
 * datetime'..', and the functions substringof, startswith, endswith, tolower, toupper.
 * Like ODataLib it types both operands of a comparison: a DateTime against a plain string (or a
 * Guid against a string, a number against a string) is refused, and datetime literals are
 * compared with DateTime properties as instants, whatever their precision.
 */

export class FilterSyntaxError extends Error {}

type Token = { kind: 'str' | 'num' | 'ident' | 'op' | 'punct' | 'datetime' | 'guid'; value: string };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;
const NUMERIC = new Set<string>(['Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Double', 'Edm.Decimal', 'Edm.Single', 'Edm.Byte']);
const OPERATOR_KIND: Record<string, string> = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };

/** Site-local wall-clock text to a comparable instant (both sides share the site's zone). */
function instant(text: string): number {
  return Date.parse(`${text.length === 16 ? `${text}:00` : text.slice(0, 23)}Z`);
}

/** ODataLib's binary-operator promotion, reduced to the types PS entities use. */
function compatible(a: string | null, b: string | null): boolean {
  if (a === null || b === null || a === b) return true;
  return NUMERIC.has(a) && NUMERIC.has(b);
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '(' || c === ')' || c === ',') { tokens.push({ kind: 'punct', value: c }); i += 1; continue; }
    const typed = /^(guid|datetime)'([^']*)'/i.exec(input.slice(i));
    if (typed) {
      const kind = typed[1]!.toLowerCase() as 'guid' | 'datetime';
      if (kind === 'datetime' && !DATETIME.test(typed[2]!)) {
        throw new FilterSyntaxError(`Unrecognized 'Edm.DateTime' literal '${typed[0]}' at '${i}' in '${input}'.`);
      }
      tokens.push({ kind, value: typed[2]! });
      i += typed[0].length;
      continue;
    }
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
/** An evaluator and the Edm type of what it yields (null when unknown: a dynamic property or a path). */
type Node = ((row: Row) => unknown) & { edm?: string | null };

const typed = <T extends (row: Row) => unknown>(fn: T, edm: string | null): Node => Object.assign(fn, { edm });

/**
 * `entity` gives the declared properties of the rows' type; without it the filter is untyped.
 * A name the type does not declare is refused, except the dynamic custom field properties of open types.
 */
export function compileFilter(expression: string, entity?: { name: string; schema: EntitySchema }): (row: Row) => boolean {
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
    if (t.kind === 'str') return typed(() => t.value, 'Edm.String');
    if (t.kind === 'guid') return typed(() => t.value.toLowerCase(), 'Edm.Guid');
    if (t.kind === 'datetime') return typed(() => instant(t.value), 'Edm.DateTime');
    if (t.kind === 'num') return typed(() => Number(t.value), t.value.includes('.') ? 'Edm.Double' : 'Edm.Int32');
    if (t.value === '(') { const inner = orExpr(); expect(')'); return inner; }
    if (t.kind === 'op' && t.value === 'not') { const inner = primary(); return (r) => !inner(r); }
    if (t.kind === 'ident') {
      const lower = t.value.toLowerCase();
      if (lower === 'true' || lower === 'false') return typed(() => lower === 'true', 'Edm.Boolean');
      if (lower === 'null') return typed(() => null, null);
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
          case 'substringof': return typed((r) => s(args[1], r).includes(s(args[0], r)), 'Edm.Boolean');
          case 'startswith': return typed((r) => s(args[0], r).startsWith(s(args[1], r)), 'Edm.Boolean');
          case 'endswith': return typed((r) => s(args[0], r).endsWith(s(args[1], r)), 'Edm.Boolean');
          case 'tolower': return typed((r) => s(args[0], r).toLowerCase(), 'Edm.String');
          case 'toupper': return typed((r) => s(args[0], r).toUpperCase(), 'Edm.String');
          default: throw new FilterSyntaxError(`Unknown function '${t.value}'.`);
        }
      }
      const path = t.value.split('/');
      const read = (r: Row): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Row)[k] : undefined), r);
      if (!entity || path.length > 1) return typed(read, null);
      const edm: EdmType | undefined = entity.schema.properties[t.value];
      if (!edm) {
        if (entity.schema.open && /^Custom_x005f_[0-9a-f]{32}$/.test(t.value)) return typed(read, null);
        throw new FilterSyntaxError(`Could not find a property named '${t.value}' on type '${entity.name}'.`);
      }
      if (edm === 'Edm.DateTime') return typed((r) => { const v = read(r); return typeof v === 'string' ? instant(v) : v; }, edm);
      if (edm === 'Edm.Guid') return typed((r) => String(read(r) ?? '').toLowerCase(), edm);
      return typed(read, edm);
    }
    throw new FilterSyntaxError(`Unexpected token '${t.value}'.`);
  };

  const comparison = (): Node => {
    const left = primary();
    const op = peek();
    if (op?.kind !== 'op' || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op.value)) return left;
    pos += 1;
    const right = primary();
    if (!compatible(left.edm ?? null, right.edm ?? null)) {
      throw new FilterSyntaxError(`A binary operator with incompatible types was detected. Found operand types '${left.edm}' and '${right.edm}' for operator kind '${OPERATOR_KIND[op.value]}'.`);
    }
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
