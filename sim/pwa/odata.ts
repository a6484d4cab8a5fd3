import { psErrors } from './errors.js';
import { compileProjection, innerProjection, unvouchedNames, type Projection } from './projection.js';
import { SCHEMA, fitsEdm, type EdmType } from './schema.js';

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
  /**
   * For views whose properties cost something to compute (a task's work in three forms each): the
   * names of `props` in its order, and one value as `props` holds it, so a render computes only
   * what `$select` names.
   */
  propertyNames?: readonly string[];
  property?(name: string): unknown;
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

/** Work and durations in milliseconds are Edm.Int32: past about 596 hours the server cannot write them. */
function fitting(types: Record<string, EdmType> | undefined, key: string, value: unknown): unknown {
  if (typeof value === 'number' && !fitsEdm(types?.[key], value)) throw psErrors.overflow(types![key]!);
  return value;
}

/** Renders one entity in the requested format, applying $select and $expand. */
export function renderEntity(view: EntityView, format: ODataFormat, select: string[] | null, expand: string[]): Record<string, unknown> {
  return renderProjected(view, format, compileProjection(select, expand));
}

function renderProjected(view: EntityView, format: ODataFormat, projection: Projection): Record<string, unknown> {
  for (const name of projection.expandRoots) checkNavigation(view, name);
  const types = SCHEMA[view.type]?.properties;
  const names = view.property ? view.propertyNames : undefined;
  for (const name of unvouchedNames(projection, view.type)) {
    if (!names?.includes(name) && !(name in view.props)) throw psErrors.unknownProperty(name, view.type);
  }
  const { selected, topSelect } = projection;
  const out: Record<string, unknown> = {};
  if (format === 'verbose') out.__metadata = { id: view.uri, uri: view.uri, type: view.type };
  if (format === 'minimalmetadata') {
    out['odata.type'] = view.type;
    out['odata.id'] = view.uri;
    out['odata.editLink'] = view.uri.replace(/^.*?_api\//, '');
  }
  if (names) {
    for (const key of names) {
      if (selected === null || selected.has(key)) out[key] = fitting(types, key, view.property!(key));
    }
  } else {
    const props = view.props;
    // for...in, not Object.entries: the same order (the props are plain objects), without an array of pairs per entity.
    for (const key in props) {
      if (selected === null || selected.has(key)) out[key] = fitting(types, key, props[key]);
    }
  }
  // Only verbose writes anything for a navigation that is not expanded (its __deferred link).
  const navs = format === 'verbose' || projection.expandRoots.length > 0 ? view.navs : undefined;
  for (const name in navs) {
    if (!projection.expanded.has(name)) {
      if (format === 'verbose' && (topSelect === null || projection.topSelectNames.has(name))) out[name] = { __deferred: { uri: `${view.uri}/${name}` } };
      continue;
    }
    if (selected !== null && !selected.has(name)) continue;
    const target = navs[name]!();
    const inner = innerProjection(projection, name);
    if (Array.isArray(target)) {
      const rows = target.map((t) => renderProjected(t, format, inner));
      out[name] = format === 'verbose' ? { results: rows } : rows;
    } else {
      out[name] = target === null ? null : renderProjected(target, format, inner);
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
  const projection = compileProjection(options.select, options.expand);
  const rows = page.map((v) => renderProjected(v, format, projection));
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
