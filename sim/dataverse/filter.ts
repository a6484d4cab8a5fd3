import { dvErrors } from './errors.js';
import type { Row } from './store.js';
import { column, type Column, type Table } from './tables.js';

/**
 * OData v4 `$filter` as Dataverse takes it: eq ne gt ge lt le, and or not, parentheses,
 * contains/startswith/endswith, and typed literals. GUIDs are unquoted [notes "Queries"]; a quoted
 * GUID against a GUID column is refused with the incompatible-types error, as the service does.
 * String comparisons ignore case (Dataverse collation).
 */
export type Predicate = (row: Row) => boolean;

type Literal =
  | { kind: 'guid'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'datetime'; value: number }
  | { kind: 'null' };

type Token = { t: 'ident' | 'str' | 'num' | 'guid' | 'date' | 'punct'; v: string };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ch = src[i]!;
    if (/\s/.test(ch)) { i += 1; continue; }
    if (ch === '(' || ch === ')' || ch === ',') { out.push({ t: 'punct', v: ch }); i += 1; continue; }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw dvErrors.odata(`Syntax error: the string literal starting at position ${i} in '${src}' is not closed.`);
        if (src[j] === "'" && src[j + 1] === "'") { value += "'"; j += 2; continue; }
        if (src[j] === "'") break;
        value += src[j];
        j += 1;
      }
      out.push({ t: 'str', v: value });
      i = j + 1;
      continue;
    }
    const guid = GUID.exec(rest);
    if (guid) { out.push({ t: 'guid', v: guid[0].toLowerCase() }); i += guid[0].length; continue; }
    const date = DATE.exec(rest);
    if (date && date[0].length >= 10) { out.push({ t: 'date', v: date[0] }); i += date[0].length; continue; }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num) { out.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    const ident = /^[A-Za-z_][\w.]*/.exec(rest);
    if (ident) { out.push({ t: 'ident', v: ident[0] }); i += ident[0].length; continue; }
    throw dvErrors.odata(`Syntax error: character '${ch}' is not valid at position ${i} in '${src}'.`);
  }
  return out;
}

const EDM: Record<Column['type'], string> = {
  guid: 'Edm.Guid', lookup: 'Edm.Guid', string: 'Edm.String', decimal: 'Edm.Decimal', int: 'Edm.Int32', bigint: 'Edm.Int64',
  bool: 'Edm.Boolean', datetime: 'Edm.DateTimeOffset', choice: 'Edm.Int32',
};
const LITERAL_EDM: Record<Literal['kind'], string> = { guid: 'Edm.Guid', string: 'Edm.String', number: 'Edm.Int32', bool: 'Edm.Boolean', datetime: 'Edm.DateTimeOffset', null: 'null' };
const OPS: Record<string, string> = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };

function fits(c: Column, lit: Literal): boolean {
  if (lit.kind === 'null') return true;
  switch (c.type) {
    case 'guid': case 'lookup': return lit.kind === 'guid';
    case 'string': return lit.kind === 'string';
    case 'decimal': case 'int': case 'bigint': case 'choice': return lit.kind === 'number';
    case 'bool': return lit.kind === 'bool';
    case 'datetime': return lit.kind === 'datetime';
  }
}

function compare(a: unknown, lit: Literal, c: Column): number | null {
  if (lit.kind === 'null' || a === null || a === undefined) return null;
  if (c.type === 'datetime') return new Date(String(a)).getTime() - (lit as { value: number }).value;
  if (c.type === 'string') return String(a).toLowerCase().localeCompare((lit as { value: string }).value.toLowerCase());
  if (c.type === 'guid' || c.type === 'lookup') return String(a).toLowerCase() === (lit as { value: string }).value ? 0 : String(a).localeCompare((lit as { value: string }).value);
  if (c.type === 'bool') return Number(a) - Number((lit as { value: boolean }).value);
  return Number(a) - (lit as { value: number }).value;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[], private readonly table: Table, private readonly src: string) {}

  parse(): Predicate {
    const p = this.or();
    if (this.i < this.tokens.length) throw this.error(`unexpected '${this.tokens[this.i]!.v}'`);
    return p;
  }

  private error(what: string) {
    return dvErrors.odata(`Syntax error: ${what} in $filter '${this.src}'.`);
  }

  private peek(): Token | undefined { return this.tokens[this.i]; }
  private isWord(w: string): boolean { const t = this.peek(); return t?.t === 'ident' && t.v === w; }
  private expect(v: string): void {
    if (this.peek()?.v !== v) throw this.error(`expected '${v}'`);
    this.i += 1;
  }

  private or(): Predicate {
    let left = this.and();
    while (this.isWord('or')) { this.i += 1; const l = left; const r = this.and(); left = (row) => l(row) || r(row); }
    return left;
  }

  private and(): Predicate {
    let left = this.unary();
    while (this.isWord('and')) { this.i += 1; const l = left; const r = this.unary(); left = (row) => l(row) && r(row); }
    return left;
  }

  private unary(): Predicate {
    if (this.isWord('not')) { this.i += 1; const p = this.unary(); return (row) => !p(row); }
    const t = this.peek();
    if (t?.v === '(') { this.i += 1; const p = this.or(); this.expect(')'); return p; }
    if (t?.t === 'ident' && ['contains', 'startswith', 'endswith'].includes(t.v) && this.tokens[this.i + 1]?.v === '(') return this.stringFunction(t.v);
    return this.comparison();
  }

  private column(): Column {
    const t = this.peek();
    if (t?.t !== 'ident') throw this.error('expected a column name');
    this.i += 1;
    const c = column(this.table, t.v);
    if (!c) throw dvErrors.unknownProperty(t.v, this.table.logicalName);
    return c;
  }

  private literal(): Literal {
    const t = this.peek();
    if (!t) throw this.error('expected a value');
    this.i += 1;
    if (t.t === 'str') return { kind: 'string', value: t.v };
    if (t.t === 'guid') return { kind: 'guid', value: t.v };
    if (t.t === 'num') return { kind: 'number', value: Number(t.v) };
    if (t.t === 'date') return { kind: 'datetime', value: new Date(t.v.length === 10 ? `${t.v}T00:00:00Z` : t.v).getTime() };
    if (t.t === 'ident' && (t.v === 'true' || t.v === 'false')) return { kind: 'bool', value: t.v === 'true' };
    if (t.t === 'ident' && t.v === 'null') return { kind: 'null' };
    throw this.error(`'${t.v}' is not a value`);
  }

  private comparison(): Predicate {
    const c = this.column();
    const op = this.peek();
    if (op?.t !== 'ident' || !OPS[op.v]) throw this.error(`expected a comparison operator after '${c.name}'`);
    this.i += 1;
    const lit = this.literal();
    if (!fits(c, lit)) throw dvErrors.incompatibleTypes(EDM[c.type], LITERAL_EDM[lit.kind], OPS[op.v]!);
    const name = c.name;
    return (row) => {
      const v = row[name];
      if (lit.kind === 'null' || v === null || v === undefined) {
        const bothNull = lit.kind === 'null' && (v === null || v === undefined);
        return op.v === 'eq' ? bothNull : op.v === 'ne' ? !bothNull : false;
      }
      const d = compare(v, lit, c)!;
      switch (op.v) {
        case 'eq': return d === 0;
        case 'ne': return d !== 0;
        case 'gt': return d > 0;
        case 'ge': return d >= 0;
        case 'lt': return d < 0;
        default: return d <= 0;
      }
    };
  }

  private stringFunction(fn: string): Predicate {
    this.i += 1;
    this.expect('(');
    const c = this.column();
    this.expect(',');
    const lit = this.literal();
    this.expect(')');
    if (c.type !== 'string' || lit.kind !== 'string') throw dvErrors.odata(`The function '${fn}' takes Edm.String arguments; '${c.name}' is ${EDM[c.type]}.`);
    const needle = lit.value.toLowerCase();
    return (row) => {
      const v = String(row[c.name] ?? '').toLowerCase();
      return fn === 'contains' ? v.includes(needle) : fn === 'startswith' ? v.startsWith(needle) : v.endsWith(needle);
    };
  }
}

export function compileFilter(src: string, table: Table): Predicate {
  return new Parser(tokenize(src), table, src).parse();
}
