import { SCHEMA } from './schema.js';

/**
 * A `$select`/`$expand` pair worked out once per request instead of once per entity: a page of a
 * big plan renders a hundred tasks and their parents with the same pair, and splitting, filtering
 * and checking the names again for each of them was most of the simulator's time per page. What is
 * refused, and what each entity renders, is exactly what the per-entity code did (odata.ts).
 */
export interface Projection {
  readonly select: string[] | null;
  readonly expand: string[];
  /** The top-level names of `$select` (`Parent/Id` gives `Parent`), or null without `$select`. */
  readonly topSelect: string[] | null;
  readonly topSelectNames: ReadonlySet<string>;
  /** Properties and navigations to render; null renders all (no `$select`, or `*`). */
  readonly selected: ReadonlySet<string> | null;
  /** The navigation properties `$expand` names at this level, once each, in their order. */
  readonly expandRoots: readonly string[];
  readonly expanded: ReadonlySet<string>;
  /** Per expanded navigation, the projection of what lies under it; built on first use. */
  readonly inner: Map<string, Projection>;
  /** Per entity type, the selected names its schema does not vouch for: each must be a property of the entity. */
  readonly unvouched: Map<string, readonly string[]>;
}

function selectFor(select: string[] | null, prefix: string | null): string[] | null {
  if (select === null) return null;
  if (prefix === null) return select.filter((s) => !s.includes('/')).concat(select.filter((s) => s.includes('/')).map((s) => s.split('/')[0]!));
  const inner = select.filter((s) => s.startsWith(`${prefix}/`)).map((s) => s.slice(prefix.length + 1));
  return inner.length > 0 && !inner.includes('*') ? inner : null;
}

export function compileProjection(select: string[] | null, expand: string[]): Projection {
  const topSelect = selectFor(select, null);
  const expandRoots = [...new Set(expand.map((e) => e.split('/')[0]!))];
  return {
    select, expand, topSelect,
    topSelectNames: new Set(topSelect ?? []),
    selected: topSelect === null || topSelect.includes('*') ? null : new Set(topSelect),
    expandRoots,
    expanded: new Set(expandRoots),
    inner: new Map(),
    unvouched: new Map(),
  };
}

/** What `$select`/`$expand` ask of the entities under the navigation `name`. */
export function innerProjection(projection: Projection, name: string): Projection {
  let inner = projection.inner.get(name);
  if (!inner) {
    const expand = projection.expand.filter((e) => e.startsWith(`${name}/`)).map((e) => e.slice(name.length + 1));
    inner = compileProjection(selectFor(projection.select, name), expand);
    projection.inner.set(name, inner);
  }
  return inner;
}

/**
 * A selected name the type does not declare is refused with 400, as SharePoint refuses
 * `$select=RemainingWrok`, so a typo in a connector query fails its tests. Task custom fields
 * (`Custom_x005f_…`) are dynamic properties, declared by the site's fields, not by the CSDL.
 * These are the selected names an entity of `type` must then carry itself: neither `*`, a custom
 * field, nor declared by the type. Empty for a type the simulator has no schema of (nothing is
 * checked there).
 */
export function unvouchedNames(projection: Projection, type: string): readonly string[] {
  let names = projection.unvouched.get(type);
  if (!names) {
    const schema = SCHEMA[type];
    names = !schema || projection.topSelect === null ? []
      : projection.topSelect.filter((name) => name !== '*' && !name.startsWith('Custom_') && !(name in schema.properties) && !schema.navigations.has(name));
    projection.unvouched.set(type, names);
  }
  return names;
}
