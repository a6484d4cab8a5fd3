/**
 * The last conversation reference this instance stored, per conversation: a chat's reference
 * rarely changes, so a message whose reference is already stored need not write it again.
 */
/** Conversations whose stored reference one instance keeps in mind (about 0.5 KB each). */
export const REMEMBERED_MAX = 10_000;
/** After this long a message checks the store again, in case the document went (removed elsewhere). */
export const REMEMBERED_TTL_MS = 10 * 60_000;

type Reference = object;

/** A bounded LRU of the last reference stored per conversation. */
export class RememberedReferences {
  /** Each entry keeps its own key string; hits re-insert under it (see cards/render.ts, KEPT_KEY). */
  private readonly entries = new Map<string, { key: string; ref: Reference; storedAt: number }>();
  constructor(private readonly max: number, private readonly ttlMs: number) {}

  /** Whether `ref` is the one last stored for `key`, its activity id aside (see sameConversationReference). */
  has(key: string, ref: Reference): boolean {
    const entry = this.entries.get(key);
    if (!entry || Date.now() - entry.storedAt > this.ttlMs || !sameJson(entry.ref, ref, 'activityId')) return false;
    this.entries.delete(key); // Map order is recency order
    this.entries.set(entry.key, entry);
    return true;
  }

  /** Whether this instance stored a reference for `key` at all, however long ago (a new chat has none). */
  knows(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, ref: Reference): void {
    this.entries.delete(key);
    // A copy as storage keeps it: the SDK's object is the turn's, and may be changed after this.
    this.entries.set(key, { key, ref: JSON.parse(JSON.stringify(ref)) as Reference, storedAt: Date.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

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
