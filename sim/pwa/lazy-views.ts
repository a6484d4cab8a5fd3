import type { EntityView } from './odata.js';

/**
 * The views of `items`, each made when first read. A plan's Tasks are a collection of one view per
 * task, of which a page renders a hundred: making all 5,000 views of a big plan for every page
 * (and collecting them after) was a tenth of the simulator's time per page. Index, `length`, `in`
 * and the array methods that go through them (slice, filter, find, map, iteration) read as they
 * would on the array of all the views; a write lands in the array behind, never in `items`.
 */
export function lazyViews<T>(items: readonly T[], view: (item: T) => EntityView): EntityView[] {
  const made: EntityView[] = new Array<EntityView>(items.length);
  return new Proxy(made, {
    get(target, key, receiver) {
      const index = indexOf(key, items.length);
      if (index !== null) return (target[index] ??= view(items[index]!));
      return Reflect.get(target, key, receiver);
    },
    // slice, filter and map skip what an array does not have: every index of an item is there.
    has(target, key) {
      return indexOf(key, items.length) !== null || Reflect.has(target, key);
    },
  });
}

/** `key` as an index below `length`, when it is one (array indices arrive as canonical strings). */
function indexOf(key: string | symbol, length: number): number | null {
  if (typeof key !== 'string' || key === '' || key.length > 10) return null;
  const code = key.charCodeAt(0);
  if (code < 48 || code > 57 || (code === 48 && key.length > 1)) return null;
  const index = Number(key);
  return Number.isInteger(index) && index < length ? index : null;
}
