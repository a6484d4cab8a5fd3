import type { ConversationReference } from '@microsoft/teams.api';
import { sameConversationReference } from '../store/conversations.js';

/**
 * The last conversation reference this instance stored, per conversation: a chat's reference
 * rarely changes, so a message whose reference is already stored need not write it again.
 */
/** Conversations whose stored reference one instance keeps in mind (about 0.5 KB each). */
export const REMEMBERED_MAX = 10_000;
/** After this long a message checks the store again, in case the document went (removed elsewhere). */
export const REMEMBERED_TTL_MS = 10 * 60_000;

/** A bounded LRU of the last reference stored per conversation. */
export class RememberedReferences {
  /** Each entry keeps its own key string; hits re-insert under it (see cards/render.ts, KEPT_KEY). */
  private readonly entries = new Map<string, { key: string; ref: ConversationReference; storedAt: number }>();
  constructor(private readonly max: number, private readonly ttlMs: number) {}

  /** Whether `ref` is the one last stored for `key`, its activity id aside (see sameConversationReference). */
  has(key: string, ref: ConversationReference): boolean {
    const entry = this.entries.get(key);
    if (!entry || Date.now() - entry.storedAt > this.ttlMs || !sameConversationReference(entry.ref, ref)) return false;
    this.entries.delete(key); // Map order is recency order
    this.entries.set(entry.key, entry);
    return true;
  }

  /** Whether this instance stored a reference for `key` at all, however long ago (a new chat has none). */
  knows(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, ref: ConversationReference): void {
    this.entries.delete(key);
    // A copy as storage keeps it: the SDK's object is the turn's, and may be changed after this.
    this.entries.set(key, { key, ref: JSON.parse(JSON.stringify(ref)) as ConversationReference, storedAt: Date.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
