import { adoErrors } from './errors.js';
import { FIELD_BY_REF } from './processes.js';

/**
 * A flat-query WIQL subset: SELECT [fields] FROM WorkItems [WHERE ...] [ORDER BY ...].
 * Conditions: = <> > < >= <=, [NOT] IN (...), [NOT] UNDER, [NOT] CONTAINS, AND / OR / NOT and
 * parentheses, with the macros @project, @me and @today[-N]. Enough for what PlanBridge sends
 * (project, area UNDER, iteration, type IN, id > last, tags CONTAINS) and for hand-written queries.
 */
export const WIQL_MAX_LENGTH = 32_000;

export interface WiqlContext {
  project: string | null;
  me: string;
}

export interface CompiledWiql {
  columns: string[];
  orderBy: Array<{ field: string; descending: boolean }>;
  /** `get` returns a field's value by reference name (System.Id and System.Rev included). */
  matches(get: (ref: string) => unknown, ctx: WiqlContext): boolean;
}

type Token = { kind: 'field' | 'string' | 'number' | 'macro' | 'word' | 'op' | 'punct'; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw adoErrors.wiqlSyntax(`Expecting ']' after '${src.slice(i, i + 20)}'.`);
      out.push({ kind: 'field', text: src.slice(i + 1, end).trim() });
      i = end + 1;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= src.length) throw adoErrors.wiqlSyntax('Unterminated string literal.');
        if (src[j] === c && src[j + 1] === c) { text += c; j += 2; continue; }
        if (src[j] === c) break;
        text += src[j];
        j += 1;
      }
      out.push({ kind: 'string', text });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i))!;
      out.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (c === '@') {
      const m = /^@\w+(\s*[-+]\s*\d+)?/.exec(src.slice(i))!;
      out.push({ kind: 'macro', text: m[0].replace(/\s+/g, '').toLowerCase() });
      i += m[0].length;
    } else if (/[<>=]/.test(c)) {
      const m = /^(<>|>=|<=|=|<|>)/.exec(src.slice(i))!;
      out.push({ kind: 'op', text: m[0] });
      i += m[0].length;
    } else if (/[(),]/.test(c)) {
      out.push({ kind: 'punct', text: c });
      i += 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w.]*/.exec(src.slice(i))!;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else {
      throw adoErrors.wiqlSyntax(`Unexpected character '${c}'.`);
    }
  }
  return out;
}

type Value = { kind: 'string' | 'number' | 'macro'; text: string };
type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; inner: Node }
  | { kind: 'cond'; field: string; op: string; values: Value[] };

function knownField(name: string): string {
  const def = FIELD_BY_REF.get(name.toLowerCase()) ?? [...FIELD_BY_REF.values()].find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!def) throw adoErrors.wiqlSyntax(`TF51005: The query references a field that does not exist. The error is caused by «${name}».`);
  return def.referenceName;
}

export function compileWiql(query: string): CompiledWiql {
  if (query.length > WIQL_MAX_LENGTH) {
    throw adoErrors.badRequest(`VS402338: The WIQL query is ${query.length} characters long, over the limit of ${WIQL_MAX_LENGTH}.`);
  }
  const tokens = tokenize(query);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (w: string, t = peek()): boolean => t?.kind === 'word' && t.text.toUpperCase() === w;
  const expectWord = (w: string): void => {
    if (!isWord(w)) throw adoErrors.wiqlSyntax(`Expecting '${w}' near '${peek()?.text ?? 'end of query'}'.`);
    pos += 1;
  };
  const field = (): string => {
    const t = peek();
    if (t?.kind === 'field' || (t?.kind === 'word' && t.text.includes('.'))) { pos += 1; return knownField(t.text); }
    throw adoErrors.wiqlSyntax(`Expecting a field name near '${t?.text ?? 'end of query'}'.`);
  };
  const value = (): Value => {
    const t = peek();
    if (t && (t.kind === 'string' || t.kind === 'number' || t.kind === 'macro')) { pos += 1; return { kind: t.kind, text: t.text }; }
    throw adoErrors.wiqlSyntax(`Expecting a value near '${t?.text ?? 'end of query'}'.`);
  };

  expectWord('SELECT');
  const columns = [field()];
  while (peek()?.text === ',') { pos += 1; columns.push(field()); }
  expectWord('FROM');
  const source = peek();
  if (!source || source.kind !== 'word' || !/^workitems$/i.test(source.text)) {
    throw adoErrors.wiqlSyntax(`Only flat queries FROM WorkItems are supported, not '${source?.text ?? ''}'.`);
  }
  pos += 1;

  const condition = (): Node => {
    const f = field();
    let negate = false;
    if (isWord('NOT')) { negate = true; pos += 1; }
    const t = peek();
    let op: string;
    let values: Value[];
    if (t?.kind === 'op' && !negate) { pos += 1; op = t.text; values = [value()]; }
    else if (isWord('IN')) {
      pos += 1;
      if (peek()?.text !== '(') throw adoErrors.wiqlSyntax("Expecting '(' after IN.");
      pos += 1;
      values = [value()];
      while (peek()?.text === ',') { pos += 1; values.push(value()); }
      if (peek()?.text !== ')') throw adoErrors.wiqlSyntax("Expecting ')' to close IN.");
      pos += 1;
      op = 'in';
    } else if (isWord('UNDER')) { pos += 1; op = 'under'; values = [value()]; }
    else if (isWord('CONTAINS')) {
      pos += 1;
      if (isWord('WORDS')) pos += 1;
      op = 'contains';
      values = [value()];
    } else throw adoErrors.wiqlSyntax(`Expecting an operator after [${f}] near '${t?.text ?? 'end of query'}'.`);
    const node: Node = { kind: 'cond', field: f, op, values };
    return negate ? { kind: 'not', inner: node } : node;
  };
  const factor = (): Node => {
    if (isWord('NOT')) { pos += 1; return { kind: 'not', inner: factor() }; }
    if (peek()?.text === '(') {
      pos += 1;
      const inner = expr();
      if (peek()?.text !== ')') throw adoErrors.wiqlSyntax("Expecting ')'.");
      pos += 1;
      return inner;
    }
    return condition();
  };
  const term = (): Node => {
    let left = factor();
    while (isWord('AND')) { pos += 1; left = { kind: 'and', left, right: factor() }; }
    return left;
  };
  const expr = (): Node => {
    let left = term();
    while (isWord('OR')) { pos += 1; left = { kind: 'or', left, right: term() }; }
    return left;
  };

  let where: Node | null = null;
  if (isWord('WHERE')) { pos += 1; where = expr(); }
  const orderBy: CompiledWiql['orderBy'] = [];
  if (isWord('ORDER')) {
    pos += 1;
    expectWord('BY');
    for (;;) {
      const f = field();
      let descending = false;
      if (isWord('ASC')) pos += 1;
      else if (isWord('DESC')) { pos += 1; descending = true; }
      orderBy.push({ field: f, descending });
      if (peek()?.text !== ',') break;
      pos += 1;
    }
  }
  if (isWord('ASOF')) { pos += 1; value(); }
  if (pos < tokens.length) throw adoErrors.wiqlSyntax(`Unexpected '${peek()!.text}'.`);

  // Values and macros are resolved once per query, not once per work item (a 10,000-item project
  // is one WIQL page); the last context's predicate is kept for the items that follow.
  let prepared: { ctx: WiqlContext; test: Predicate } | null = null;
  return {
    columns,
    orderBy,
    matches: (get, ctx) => {
      if (!where) return true;
      if (prepared?.ctx !== ctx) prepared = { ctx, test: prepare(where, ctx) };
      return prepared.test(get);
    },
  };
}

function resolve(v: Value, ctx: WiqlContext): string | number {
  if (v.kind === 'number') return Number(v.text);
  if (v.kind === 'string') return v.text;
  if (v.text === '@project') {
    if (!ctx.project) throw adoErrors.wiqlSyntax('The @project macro needs a project in the request URL.');
    return ctx.project;
  }
  if (v.text === '@me') return ctx.me;
  const today = /^@today([-+]\d+)?$/.exec(v.text);
  if (today) {
    const d = new Date();
    d.setUTCHours(0, 0, 0, 0);
    d.setUTCDate(d.getUTCDate() + Number(today[1] ?? 0));
    return d.toISOString();
  }
  throw adoErrors.wiqlSyntax(`The macro ${v.text} is not supported.`);
}

/** A field's value as WIQL compares it: identities by unique name, the rest as is. */
function comparable(raw: unknown): string | number | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'object') return String((raw as { uniqueName?: string }).uniqueName ?? '');
  if (typeof raw === 'number') return raw;
  return String(raw);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

type Predicate = (get: (ref: string) => unknown) => boolean;

/** A wanted value, resolved, with what comparing to it needs worked out once. */
interface Wanted {
  value: string | number;
  lower: string;
  isDate: boolean;
}

function wantedOf(v: Value, ctx: WiqlContext): Wanted {
  const value = resolve(v, ctx);
  return { value, lower: String(value).toLowerCase(), isDate: typeof value === 'string' && ISO_DATE.test(value) };
}

/**
 * Numbers numerically, ISO dates by instant, text case-insensitively (as WIQL does); the wanted
 * side was examined once, in `wantedOf`.
 */
function compareTo(actual: string | number, wanted: Wanted): number {
  if (typeof actual === 'number') return actual - Number(wanted.value);
  if (wanted.isDate && ISO_DATE.test(actual)) return Date.parse(actual) - Date.parse(String(wanted.value));
  const la = actual.toLowerCase();
  return la < wanted.lower ? -1 : la > wanted.lower ? 1 : 0;
}

/** The WHERE tree as a predicate over one item's fields. */
function prepare(node: Node, ctx: WiqlContext): Predicate {
  switch (node.kind) {
    case 'and': { const l = prepare(node.left, ctx); const r = prepare(node.right, ctx); return (get) => l(get) && r(get); }
    case 'or': { const l = prepare(node.left, ctx); const r = prepare(node.right, ctx); return (get) => l(get) || r(get); }
    case 'not': { const inner = prepare(node.inner, ctx); return (get) => !inner(get); }
    case 'cond': break;
  }
  const wanted = node.values.map((v) => wantedOf(v, ctx));
  const first = wanted[0]!;
  const field = node.field;
  const test = condition(node.op, field, wanted, first);
  return (get) => test(comparable(get(field)));
}

function condition(op: string, field: string, wanted: Wanted[], first: Wanted): (actual: string | number | null) => boolean {
  switch (op) {
    case '=': return (a) => (a === null ? first.value === '' : compareTo(a, first) === 0);
    case '<>': return (a) => (a === null ? first.value !== '' : compareTo(a, first) !== 0);
    case '>': return (a) => a !== null && compareTo(a, first) > 0;
    case '<': return (a) => a !== null && compareTo(a, first) < 0;
    case '>=': return (a) => a !== null && compareTo(a, first) >= 0;
    case '<=': return (a) => a !== null && compareTo(a, first) <= 0;
    case 'in': return (a) => a !== null && wanted.some((w) => compareTo(a, w) === 0);
    case 'under': return (a) => {
      if (a === null) return false;
      const lower = String(a).toLowerCase();
      return lower === first.lower || lower.startsWith(`${first.lower}\\`);
    };
    case 'contains':
      if (field === 'System.Tags') return (a) => a !== null && String(a).split(';').some((tag) => tag.trim().toLowerCase() === first.lower);
      return (a) => a !== null && String(a).toLowerCase().includes(first.lower);
    default: return () => false;
  }
}
