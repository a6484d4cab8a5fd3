/**
 * The last conversation reference this instance stored, per conversation: a chat's reference
 * rarely changes, so a message whose reference is already stored need not write it again.
 */
/** Conversations whose stored reference one instance keeps in mind (about 0.5 KB each). */
export const REMEMBERED_MAX = 10_000;
/** After this long a message checks the store again, in case the document went (removed elsewhere). */
export const REMEMBERED_TTL_MS = 10 * 60_000;

/** A bounded LRU of the last reference stored per conversation, as JSON. */
export class RememberedReferences {
  /** Each entry keeps its own key and json strings; hits re-insert under them (see cards/render.ts, KEPT_KEY). */
  private readonly entries = new Map<string, { key: string; json: string; storedAt: number }>();
  constructor(private readonly max: number, private readonly ttlMs: number) {}

  has(key: string, json: string): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.json !== json || Date.now() - entry.storedAt > this.ttlMs) return false;
    this.entries.delete(key); // Map order is recency order
    this.entries.set(entry.key, entry);
    return true;
  }

  set(key: string, json: string): void {
    this.entries.delete(key);
    this.entries.set(key, { key, json, storedAt: Date.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
