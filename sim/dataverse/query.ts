import { dvErrors } from './errors.js';
import { compileFilter, type Predicate } from './filter.js';
import type { Row } from './store.js';
import { column, lookupByNav, tableByLogicalName, type CollectionNav, type Column, type Table } from './tables.js';

/**
 * OData query options as Dataverse takes them: $select, $filter, $orderby, $top, $expand (with
 * nested options), $count, and $skiptoken from a nextLink. Every name is checked against the
 * table, and an unknown one is a 400 in the Dataverse error shape. There is no $skip [notes "Paging"].
 */
export interface Query {
  select: string[] | null;
  filter: Predicate | null;
  orderBy: Array<{ column: string; desc: boolean }>;
  top: number | null;
  count: boolean;
  expand: Expansion[];
}

export type Expansion =
  | { kind: 'single'; nav: string; lookup: Column; target: Table; query: Query }
  | { kind: 'collection'; nav: CollectionNav; target: Table; query: Query };

const SUPPORTED = new Set(['$select', '$filter', '$orderby', '$top', '$expand', '$count', '$skiptoken']);

/** Splits on `sep` outside parentheses and quotes. */
export function splitTopLevel(src: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of src) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '(') depth += 1;
    if (!quoted && ch === ')') depth -= 1;
    if (!quoted && depth === 0 && ch === sep) { parts.push(current); current = ''; continue; }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function parseQuery(params: Map<string, string>, table: Table, nested = false): Query {
  for (const key of params.keys()) {
    if (key === '$skip') throw dvErrors.skipNotSupported();
    if (key.startsWith('$') && !SUPPORTED.has(key)) throw dvErrors.odata(`The query parameter ${key} is not supported.`);
  }
  const select = params.has('$select') ? splitTopLevel(params.get('$select')!, ',') : null;
  for (const name of select ?? []) {
    if (!column(table, name)) throw dvErrors.unknownProperty(name, table.logicalName);
  }
  const filter = params.has('$filter') ? compileFilter(params.get('$filter')!, table) : null;
  const orderBy = splitTopLevel(params.get('$orderby') ?? '', ',').map((part) => {
    const [name = '', dir = 'asc', ...extra] = part.split(/\s+/);
    if (extra.length || !['asc', 'desc'].includes(dir)) throw dvErrors.odata(`Syntax error in $orderby '${part}'.`);
    if (!column(table, name)) throw dvErrors.unknownProperty(name, table.logicalName);
    return { column: name, desc: dir === 'desc' };
  });
  let top: number | null = null;
  if (params.has('$top')) {
    top = Number(params.get('$top'));
    if (!Number.isInteger(top) || top < 0) throw dvErrors.odata(`Invalid value '${params.get('$top')}' for $top query option found. The $top query option requires a non-negative integer value.`);
  }
  const count = params.get('$count') === 'true';
  const expand = params.has('$expand') ? splitTopLevel(params.get('$expand')!, ',').map((item) => parseExpansion(item, table)) : [];
  if (nested && count) throw dvErrors.odata('$count is not supported inside $expand.');
  return { select, filter, orderBy, top, count, expand };
}

function parseExpansion(item: string, table: Table): Expansion {
  const m = /^([\w.]+)(?:\((.*)\))?$/s.exec(item);
  if (!m) throw dvErrors.odata(`Syntax error in $expand '${item}'.`);
  const name = m[1]!;
  const options = new Map<string, string>();
  for (const opt of splitTopLevel(m[2] ?? '', ';')) {
    const eq = opt.indexOf('=');
    if (eq < 0) throw dvErrors.odata(`Syntax error in $expand options '${opt}'.`);
    options.set(opt.slice(0, eq).trim(), opt.slice(eq + 1).trim());
  }
  const lookup = lookupByNav(table, name);
  if (lookup) {
    const target = tableByLogicalName(lookup.target!);
    if (!target) throw dvErrors.notServed(`$expand of '${name}' (table ${lookup.target})`);
    for (const key of options.keys()) if (key !== '$select' && key !== '$expand') throw dvErrors.odata(`The query option ${key} is not allowed in the $expand of the single-valued navigation property '${name}'.`);
    return { kind: 'single', nav: name, lookup, target, query: parseQuery(options, target, true) };
  }
  const nav = table.collections.find((c) => c.name === name);
  if (nav) {
    const target = tableByLogicalName(nav.table)!;
    return { kind: 'collection', nav, target, query: parseQuery(options, target, true) };
  }
  throw dvErrors.unknownProperty(name, table.logicalName);
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).toLowerCase() < String(b).toLowerCase() ? -1 : String(a).toLowerCase() > String(b).toLowerCase() ? 1 : 0;
}

/** Filter and order (null first when ascending, as SQL Server sorts); $top is the caller's. */
export function selectRows(rows: Row[], q: Query): Row[] {
  const kept = q.filter ? rows.filter(q.filter) : [...rows];
  if (q.orderBy.length === 0) return kept;
  return kept.sort((a, b) => {
    for (const o of q.orderBy) {
      const d = compareValues(a[o.column], b[o.column]);
      if (d !== 0) return o.desc ? -d : d;
    }
    return 0;
  });
}
