import type { Expansion, Query } from './query.js';
import { selectRows } from './query.js';
import type { Row, Store } from './store.js';
import { tableByLogicalName, type Column, type Table } from './tables.js';

/**
 * Rows on the wire: `@odata.etag` W/"<versionnumber>" first [notes "versioning"], the selected
 * columns (all when there is no $select; the key always), lookups as `_x_value`, and with
 * `Prefer: odata.include-annotations` the FormattedValue labels and lookup annotations [notes].
 */
const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOOKUP_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';
const ASSOCIATED_NAV = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

/** Which annotations the caller asked for: none, all (`*`), or a list of names/prefixes. */
export type AnnotationFilter = (name: string) => boolean;
export const NO_ANNOTATIONS: AnnotationFilter = () => false;

export function annotationFilter(wanted: string | null): AnnotationFilter {
  if (!wanted) return NO_ANNOTATIONS;
  const patterns = wanted.split(',').map((p) => p.trim().replace(/^"|"$/g, ''));
  return (name) => patterns.some((p) => p === '*' || p === name || (p.endsWith('.*') && name.startsWith(p.slice(0, -1))));
}

const dateFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit' });

function formatted(table: Table, c: Column, value: unknown, store: Store): string | null {
  if (value === null || value === undefined) return null;
  switch (c.type) {
    case 'choice': return (store.labels.get(`${table.logicalName}.${c.name}`) ?? c.choices)?.[value as number] ?? String(value);
    case 'bool': return value ? 'Yes' : 'No';
    case 'datetime': return dateFormat.format(new Date(String(value))).replace(',', '');
    case 'decimal': case 'int': case 'bigint': return Number(value).toLocaleString('en-US', { maximumFractionDigits: 4 });
    case 'lookup': {
      const target = tableByLogicalName(c.target!);
      const row = target ? store.get(target.logicalName, String(value)) : undefined;
      return row ? String(row[target!.primaryName] ?? '') : null;
    }
    default: return null;
  }
}

export class RowRenderer {
  constructor(private readonly store: Store, private readonly annotations: AnnotationFilter) {}

  render(table: Table, row: Row, q: Query): Record<string, unknown> {
    const out: Record<string, unknown> = { '@odata.etag': `W/"${row.versionnumber}"` };
    const names = q.select ? [...new Set([...q.select, table.primaryKey])] : table.columns.map((c) => c.name);
    for (const name of names) {
      const c = table.columns.find((x) => x.name === name)!;
      const value = row[name] ?? null;
      if (c.type === 'lookup' && value !== null) {
        if (this.annotations(FORMATTED)) out[`${name}@${FORMATTED}`] = formatted(table, c, value, this.store);
        if (this.annotations(ASSOCIATED_NAV)) out[`${name}@${ASSOCIATED_NAV}`] = c.nav;
        if (this.annotations(LOOKUP_NAME)) out[`${name}@${LOOKUP_NAME}`] = c.target;
      } else if (value !== null && this.annotations(FORMATTED) && ['choice', 'bool', 'datetime', 'decimal', 'int', 'bigint'].includes(c.type)) {
        out[`${name}@${FORMATTED}`] = formatted(table, c, value, this.store);
      }
      out[name] = value;
    }
    for (const e of q.expand) out[e.kind === 'single' ? e.nav : e.nav.name] = this.expand(table, row, e);
    return out;
  }

  private expand(table: Table, row: Row, e: Expansion): unknown {
    if (e.kind === 'single') {
      const id = row[e.lookup.name];
      const target = typeof id === 'string' ? this.store.get(e.target.logicalName, id) : undefined;
      return target ? this.render(e.target, target, e.query) : null;
    }
    const id = row[table.primaryKey];
    let related = selectRows(this.store.list(e.target.logicalName).filter((r) => r[e.nav.via] === id), e.query);
    if (e.query.top !== null) related = related.slice(0, e.query.top);
    return related.map((r) => this.render(e.target, r, e.query));
  }
}

/** `$metadata#set(col,col,nav(col))`, with `/$entity` for one row. */
export function contextUrl(base: string, table: Table, q: Query, single: boolean): string {
  const parts = [...(q.select ?? []), ...q.expand.map((e) => `${e.kind === 'single' ? e.nav : e.nav.name}(${(e.query.select ?? []).join(',')})`)];
  return `${base}$metadata#${table.entitySet}${parts.length ? `(${parts.join(',')})` : ''}${single ? '/$entity' : ''}`;
}
