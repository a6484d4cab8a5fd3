/**
 * Whether two JSON-like values have the same JSON, without writing it: a field set to undefined
 * counts as missing, as in JSON. `skip` is a top-level field left out. Every message of a chat
 * compares its reference this way, so it allocates nothing.
 */
export function sameJson(a: unknown, b: unknown, skip?: string): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, other[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (k !== skip && Object.hasOwn(x, k) && x[k] !== undefined && !sameJson(x[k], y[k])) return false;
  for (const k in y) if (k !== skip && Object.hasOwn(y, k) && y[k] !== undefined && x[k] === undefined) return false;
  return true;
}
