/**
 * Shares equal identity values (System.CreatedBy, ChangedBy, AssignedTo...: IdentityRef objects
 * with their links) between the work items of one read. A read of 10,000 items names a handful
 * of people some 20,000 times, and those copies were two thirds of the heap the items kept, all of
 * it copied out of the young generation by the collector. A shared identity is frozen, so no
 * reader can change it for every item at once; one that differs from the first of its id (a name
 * changed during the read) stays the item's own.
 */
type Json = unknown;

export class IdentityPool {
  private readonly byId = new Map<string, Json>();

  /** Replaces identity values in `fields` by the pooled equal ones. */
  share(fields: Record<string, unknown>): void {
    for (const key in fields) {
      const value = fields[key];
      if (!isIdentity(value)) continue;
      const known = this.byId.get(value.id);
      if (known === undefined) this.byId.set(value.id, deepFreeze(value));
      else if (known !== value && sameJson(known, value)) fields[key] = known;
    }
  }
}

function isIdentity(v: unknown): v is { id: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const ref = v as { id?: unknown; uniqueName?: unknown; descriptor?: unknown };
  return typeof ref.id === 'string' && (typeof ref.uniqueName === 'string' || typeof ref.descriptor === 'string');
}

/** Deep equality of parsed JSON, without allocating (it runs for every identity of every item). */
function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as Record<string, Json>;
  const y = b as Record<string, Json>;
  let keys = 0;
  for (const k in x) {
    keys += 1;
    if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
  }
  for (const _ in y) keys -= 1;
  return keys === 0;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}
