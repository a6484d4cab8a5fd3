import { dvErrors } from './errors.js';
import { MAX_PAGE_SIZE, preferenceApplied, readSkipToken, skipToken, type Preferences } from './paging.js';
import { parseQuery, selectRows } from './query.js';
import { annotationFilter, contextUrl, RowRenderer } from './render.js';
import type { Store } from './store.js';
import type { Table } from './tables.js';

/**
 * GET of an entity set or one row [notes "Reading"]: the query options, paging with
 * `@odata.nextLink` and `Preference-Applied`, `@odata.context`, and conditional GET with
 * `If-None-Match` (304; never with $expand or annotations [notes "ETags"]).
 */
export interface ReadResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Query options from the raw query string, keeping `$` names and refusing repeats, as the service does. */
export function queryOptions(search: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of search.replace(/^\?/, '').split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    if (out.has(key)) throw dvErrors.odata(`Query option '${key}' was specified more than once, but it must be specified at most once.`);
    out.set(key, value);
  }
  return out;
}

export function readCollection(store: Store, table: Table, url: URL, prefs: Preferences, base: string): ReadResult {
  const params = queryOptions(url.search);
  const q = parseQuery(params, table);
  const rows = selectRows(store.list(table.logicalName), q);
  const renderer = new RowRenderer(store, annotationFilter(prefs.includeAnnotations));
  let page = rows;
  let nextLink: string | null = null;
  if (q.top !== null) {
    // $top is not combined with paging: no nextLink [MS page-results.md].
    page = rows.slice(0, Math.min(q.top, MAX_PAGE_SIZE));
  } else {
    const size = prefs.maxPageSize ?? MAX_PAGE_SIZE;
    const offset = params.has('$skiptoken') ? readSkipToken(params.get('$skiptoken')!, size) : 0;
    page = rows.slice(offset, offset + size);
    if (offset + size < rows.length) {
      const kept = url.search.replace(/^\?/, '').split('&').filter((p) => p && !p.startsWith('$skiptoken=') && !p.startsWith('%24skiptoken='));
      kept.push(`$skiptoken=${encodeURIComponent(skipToken(offset / size + 1, offset + size, size))}`);
      nextLink = `${base}${table.entitySet}?${kept.join('&')}`;
    }
  }
  const body: Record<string, unknown> = { '@odata.context': contextUrl(base, table, q, false) };
  if (q.count) body['@odata.count'] = Math.min(rows.length, MAX_PAGE_SIZE);
  body.value = page.map((r) => renderer.render(table, r, q));
  if (nextLink) body['@odata.nextLink'] = nextLink;
  const applied = preferenceApplied(prefs, q.top === null);
  return { status: 200, body, headers: applied ? { 'preference-applied': applied } : {} };
}

export function checkKey(table: Table, key: string): string {
  if (!GUID.test(key)) throw dvErrors.odata(`Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx). The key '${key}' of ${table.entitySet} is not a GUID.`);
  return key.toLowerCase();
}

export function readRow(store: Store, table: Table, key: string, url: URL, prefs: Preferences, ifNoneMatch: string | undefined, base: string): ReadResult {
  const params = queryOptions(url.search);
  for (const k of params.keys()) {
    if (k.startsWith('$') && k !== '$select' && k !== '$expand') throw dvErrors.odata(`The query option '${k}' is not allowed when retrieving a single record.`);
  }
  const q = parseQuery(params, table);
  const id = checkKey(table, key);
  const row = store.get(table.logicalName, id);
  if (!row) throw dvErrors.rowNotFound(table.logicalName, id);
  const etag = `W/"${row.versionnumber}"`;
  if (ifNoneMatch && q.expand.length === 0 && !prefs.includeAnnotations && ifNoneMatch.split(',').map((s) => s.trim()).includes(etag)) {
    return { status: 304, body: null, headers: { etag } };
  }
  const renderer = new RowRenderer(store, annotationFilter(prefs.includeAnnotations));
  const body = { '@odata.context': contextUrl(base, table, q, true), ...renderer.render(table, row, q) };
  const applied = preferenceApplied(prefs, false);
  return { status: 200, body, headers: { etag, ...(applied ? { 'preference-applied': applied } : {}) } };
}
