import { psErrors } from './errors.js';
import { SCHEMA, fitsEdm } from './schema.js';

/**
 * OData v3 as SharePoint speaks it: the three JSON formats, $select/$expand/$top/$filter,
 * server-driven paging, and the `error` / `odata.error` shapes.
 */

export type ODataFormat = 'verbose' | 'minimalmetadata' | 'nometadata';

/** Project Server pages every collection at 100 entities, whatever $top asks for. */
export const SERVER_PAGE_SIZE = 100;

export function formatFromAccept(accept: string | undefined): ODataFormat {
  const a = (accept ?? '').toLowerCase();
  if (a.includes('odata=verbose')) return 'verbose';
  if (a.includes('odata=nometadata')) return 'nometadata';
  return 'minimalmetadata';
}

export function contentTypeFor(format: ODataFormat): string {
  return `application/json;odata=${format};streaming=true;charset=utf-8`;
}

export interface EntityView {
  /** Fully qualified type, e.g. `PS.PublishedTask`. */
  type: string;
  /** Absolute URI of the entity. */
  uri: string;
  props: Record<string, unknown>;
  /** Navigation properties, resolved only when expanded. */
  navs?: Record<string, () => EntityView | EntityView[] | null>;
}

export interface QueryOptions {
  select: string[] | null;
  expand: string[];
  top: number | null;
  skip: number;
  filter: string | null;
}

export function parseQuery(params: URLSearchParams): QueryOptions {
  const list = (v: string | null): string[] | null => (v === null ? null : v.split(',').map((s) => s.trim()).filter(Boolean));
  const top = params.get('$top');
  const skip = params.get('$skiptoken') ?? params.get('$skip');
  return {
    select: list(params.get('$select')),
    expand: list(params.get('$expand')) ?? [],
    top: top === null ? null : Number.parseInt(top, 10),
    skip: skip === null ? 0 : Number.parseInt(skip, 10) || 0,
    filter: params.get('$filter'),
  };
}

function selectFor(select: string[] | null, prefix: string | null): string[] | null {
  if (select === null) return null;
  if (prefix === null) return select.filter((s) => !s.includes('/')).concat(select.filter((s) => s.includes('/')).map((s) => s.split('/')[0]!));
  const inner = select.filter((s) => s.startsWith(`${prefix}/`)).map((s) => s.slice(prefix.length + 1));
  return inner.length > 0 && !inner.includes('*') ? inner : null;
}

/**
 * A navigation property the type does not declare is refused with 400, as SharePoint refuses
 * `$expand=Predecesors`; one it declares but the simulator does not serve is a 501.
 */
export function checkNavigation(view: EntityView, name: string): void {
  const schema = SCHEMA[view.type];
  if (!schema) return;
  if (!schema.navigations.has(name)) throw psErrors.unknownProperty(name, view.type);
  if (!view.navs?.[name]) throw psErrors.notServed(name, view.type);
}

/**
 * A selected name the type does not declare is refused with 400, as SharePoint refuses
 * `$select=RemainingWrok`, so a typo in a connector query fails its tests. Task custom fields
 * (`Custom_x005f_…`) are dynamic properties, declared by the site's fields, not by the CSDL.
 */
export function checkSelected(view: EntityView, names: readonly string[]): void {
  const schema = SCHEMA[view.type];
  if (!schema) return;
  for (const name of names) {
    if (name === '*' || name.startsWith('Custom_') || name in view.props) continue;
    if (!(name in schema.properties) && !schema.navigations.has(name)) throw psErrors.unknownProperty(name, view.type);
  }
}

/** Renders one entity in the requested format, applying $select and $expand. */
export function renderEntity(view: EntityView, format: ODataFormat, select: string[] | null, expand: string[]): Record<string, unknown> {
  for (const e of expand) checkNavigation(view, e.split('/')[0]!);
  const types = SCHEMA[view.type]?.properties;
  const topSelect = selectFor(select, null);
  if (topSelect !== null) checkSelected(view, topSelect);
  const selected = topSelect === null || topSelect.includes('*') ? null : new Set(topSelect);
  const wanted = (name: string): boolean => selected === null || selected.has(name);
  const out: Record<string, unknown> = {};
  if (format === 'verbose') out.__metadata = { id: view.uri, uri: view.uri, type: view.type };
  if (format === 'minimalmetadata') {
    out['odata.type'] = view.type;
    out['odata.id'] = view.uri;
    out['odata.editLink'] = view.uri.replace(/^.*?_api\//, '');
  }
  for (const [key, value] of Object.entries(view.props)) {
    if (!wanted(key)) continue;
    // Work and durations in milliseconds are Edm.Int32: past about 596 hours the server cannot write them.
    if (typeof value === 'number' && !fitsEdm(types?.[key], value)) throw psErrors.overflow(types![key]!);
    out[key] = value;
  }
  for (const [name, resolve] of Object.entries(view.navs ?? {})) {
    const expanded = expand.some((e) => e === name || e.startsWith(`${name}/`));
    if (!expanded) {
      if (format === 'verbose' && (topSelect === null || topSelect.includes(name))) out[name] = { __deferred: { uri: `${view.uri}/${name}` } };
      continue;
    }
    if (!wanted(name)) continue;
    const target = resolve();
    const innerSelect = selectFor(select, name);
    const innerExpand = expand.filter((e) => e.startsWith(`${name}/`)).map((e) => e.slice(name.length + 1));
    if (Array.isArray(target)) {
      const rows = target.map((t) => renderEntity(t, format, innerSelect, innerExpand));
      out[name] = format === 'verbose' ? { results: rows } : rows;
    } else {
      out[name] = target === null ? null : renderEntity(target, format, innerSelect, innerExpand);
    }
  }
  return out;
}

export interface CollectionPage {
  body: Record<string, unknown>;
}

/**
 * Renders a collection page. `requestUrl` is the URL as called; the next link repeats it with the
 * offset advanced, the way the server hands out `__next` / `odata.nextLink`.
 */
export function renderCollection(
  all: EntityView[], format: ODataFormat, options: QueryOptions, requestUrl: URL, metadataUrl: string, entitySet: string,
): Record<string, unknown> {
  const remainingTop = options.top === null ? Number.POSITIVE_INFINITY : Math.max(0, options.top);
  const take = Math.min(SERVER_PAGE_SIZE, remainingTop);
  const page = all.slice(options.skip, options.skip + take);
  const rows = page.map((v) => renderEntity(v, format, options.select, options.expand));
  const consumed = options.skip + page.length;
  let next: string | undefined;
  if (consumed < all.length && page.length === take && remainingTop > take) {
    const url = new URL(requestUrl.href);
    url.searchParams.delete('$skip');
    url.searchParams.set('$skiptoken', String(consumed));
    if (options.top !== null) url.searchParams.set('$top', String(options.top - take));
    next = url.href;
  }
  if (format === 'verbose') return { d: next ? { results: rows, __next: next } : { results: rows } };
  const body: Record<string, unknown> = {};
  if (format === 'minimalmetadata') body['odata.metadata'] = `${metadataUrl}#${entitySet}`;
  body.value = rows;
  if (next) body['odata.nextLink'] = next;
  return body;
}

export function renderSingle(view: EntityView, format: ODataFormat, options: QueryOptions, metadataUrl: string, entitySet: string): Record<string, unknown> {
  const entity = renderEntity(view, format, options.select, options.expand);
  if (format === 'verbose') return { d: entity };
  if (format === 'minimalmetadata') return { 'odata.metadata': `${metadataUrl}#${entitySet}/@Element`, ...entity };
  return entity;
}

/** The 200 answer of a void service operation: `{d:{Name:null}}` in verbose, `odata.null` otherwise. */
export function renderVoid(format: ODataFormat, operation: string): Record<string, unknown> {
  return format === 'verbose' ? { d: { [operation]: null } } : { 'odata.null': true };
}

/** An error as SharePoint returns it: `error` in verbose, `odata.error` otherwise. */
export function renderError(format: ODataFormat, code: string, message: string): Record<string, unknown> {
  const error = { code, message: { lang: 'en-US', value: message } };
  return format === 'verbose' ? { error } : { 'odata.error': error };
}
