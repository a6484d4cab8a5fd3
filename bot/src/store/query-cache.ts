/**
 * Results of recent queries, for a store that is the only writer of its database: the embedded
 * server, whose data dir one process owns (embedded/data-dir-lock.ts). Every write goes through a
 * DocumentCollection, which drops the cached results of the partition it wrote (and every
 * cross-partition result of that container) once the write is over, failed or not. So a hit is
 * what the query would return now: nothing is served stale, and ownership and sharing decided
 * from a list see every change at once.
 *
 * Why: against the embedded server every query is two HTTP round trips inside this process (the
 * SDK asks for a query plan first), and "connections", "status" and the connections card ran one
 * to four of them per turn, several times the cost of the turn itself (issue 19, bench/turns).
 *
 * Not for a database other processes write (COSMOS_ENDPOINT: several instances may share it, and
 * nothing tells this one of their writes), so openStore only makes one in embedded mode.
 *
 * Entries are first pages as the store hands them out: documents already converted (fromCosmos)
 * and deeply frozen, so a hit costs a lookup and one array copy, not a JSON parse and a conversion
 * of every document (issue 19: that was most of the store's cost on a "status" turn). Every
 * caller gets the same frozen documents, so none can change what another sees.
 * Entries also expire after `maxAgeMs`: a backstop for a write whose outcome this process never
 * saw (a request that timed out in the SDK and that the server still applied afterwards).
 */
export interface QueryCacheOptions {
  /** Total size of kept pages, in characters of their JSON; the least recently used go first. */
  maxChars?: number;
  /** A result bigger than this is not kept (runs with long plans, a page of links). */
  maxEntryChars?: number;
  /** An entry older than this is not used. */
  maxAgeMs?: number;
  /** Milliseconds on a monotonic clock (tests). */
  now?: () => number;
}

/** A kept first page: its frozen items and the token to the next page. */
export interface KeptPage {
  readonly items: readonly unknown[];
  readonly continuation?: string;
}

interface Entry {
  /** The key string it was stored with; hits re-insert under it (see cards/render.ts, KEPT_KEY). */
  key: string;
  scope: string;
  page: KeptPage;
  /** Size estimate: the JSON length of the page as the server sent it. */
  chars: number;
  at: number;
}

/** The partition scope a cross-partition query depends on: every partition of its container. */
const ANY_PARTITION = '*';

export class QueryCache {
  private readonly maxChars: number;
  private readonly maxEntryChars: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  /** Key -> entry, least recently used first. */
  private readonly entries = new Map<string, Entry>();
  /** Scope (container + partition) -> keys of its entries. */
  private readonly byScope = new Map<string, Set<string>>();
  /** Bumped on every write to a container; a result read across a write is not kept. */
  private readonly generations = new Map<string, number>();
  private chars = 0;

  constructor(options: QueryCacheOptions = {}) {
    this.maxChars = options.maxChars ?? 8_000_000;
    this.maxEntryChars = options.maxEntryChars ?? 256_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Take this before sending a query, and give it back to `set`. */
  generation(container: string): number {
    return this.generations.get(container) ?? 0;
  }

  get(key: string): KeptPage | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at > this.maxAgeMs) {
      this.remove(key);
      return undefined;
    }
    this.entries.delete(key); // Map order is recency order
    this.entries.set(hit.key, hit);
    return hit.page;
  }

  /**
   * Keeps a first page, unless the container was written since `generation` was taken:
   * then the result may predate a write whose invalidation already ran.
   */
  set(container: string, partition: string | undefined, key: string, page: KeptPage, chars: number, generation: number): void {
    if (chars > this.maxEntryChars || this.generation(container) !== generation) return;
    this.remove(key);
    const scope = scopeOf(container, partition ?? ANY_PARTITION);
    this.entries.set(key, { key, scope, page, chars, at: this.now() });
    let keys = this.byScope.get(scope);
    if (!keys) this.byScope.set(scope, (keys = new Set()));
    keys.add(key);
    this.chars += chars;
    while (this.chars > this.maxChars) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.remove(oldest.value);
    }
  }

  /** A write to `partition` of `container` happened (or may have): its results, and every cross-partition one, go. */
  invalidate(container: string, partition: string): void {
    this.generations.set(container, this.generation(container) + 1);
    for (const scope of [scopeOf(container, partition), scopeOf(container, ANY_PARTITION)]) {
      for (const key of this.byScope.get(scope) ?? []) this.remove(key);
    }
  }

  /** Number of results kept (tests). */
  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.chars -= entry.chars;
    const keys = this.byScope.get(entry.scope);
    keys?.delete(key);
    if (keys?.size === 0) this.byScope.delete(entry.scope);
  }
}

const scopeOf = (container: string, partition: string): string => `${container}\n${partition}`;
