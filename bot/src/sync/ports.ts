/**
 * The engine's ports: the only way it reaches the two systems and the store. Adapters from the ADO
 * and PWA connectors and from the Cosmos store implement these; tests use in-memory doubles.
 * Errors thrown by a port are reported per item as "failed" with the error's message, so adapters
 * must throw messages fit for a user (no secrets, no stack traces). Journal errors stop the run.
 */
import type { AdoScope, FieldValue, Item, PlanScope } from './model.js';
import type { WriteLimits } from './write-limits.js';

/** Result of a write guarded by a version precondition. */
export type GuardedWrite = { readonly status: 'done'; readonly version: string | number } | { readonly status: 'stale' };

export interface AdoCreate {
  readonly project: string;
  readonly type: string;
  /** Existing work item id to hang the new item under (Hierarchy-Reverse), or null. */
  readonly parentKey: string | null;
  /** Reference name -> value, as JSON-patch "add" operations. */
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Must be added to System.Tags in the same create request, so the item is never unmarked. */
  readonly marker: string;
}

export interface AdoUpdate {
  readonly key: string;
  /** Sent as {"op":"test","path":"/rev","value":N}; a 409/412/TF26071 answer is 'stale', not an error. */
  readonly expectedVersion: string | number;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** undefined: leave the parent; null: remove it; a key: replace the parent link. */
  readonly parentKey?: string | null;
}

export interface AdoSide {
  /**
   * What ADO will not take in these projects: fields each work item type lacks, fields it sets
   * itself. Read once per preview; absent: no limits known.
   */
  writeLimits?(scope: readonly AdoScope[]): Promise<WriteLimits>;
  /** Work items in the integration's ADO scope (all projects), normalized as described on `Item`. */
  readScope(scope: readonly AdoScope[]): Promise<Item[]>;
  /** The given work items (batches of 200); ids that no longer exist are simply absent. */
  readByKeys(keys: readonly string[]): Promise<Item[]>;
  /** For each marker, the id of a work item whose tags contain it (WIQL `[System.Tags] CONTAINS`). */
  findByMarkers(markers: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Creates one work item; resolves with its id and rev. Never retried blindly by the adapter. */
  create(request: AdoCreate): Promise<{ readonly key: string; readonly version: string | number }>;
  update(request: AdoUpdate): Promise<GuardedWrite>;
  /** Moves the work item to the recycle bin, guarded by its rev. */
  remove(key: string, expectedVersion: string | number): Promise<GuardedWrite>;
  /**
   * The work item's web URL, as people open it (what the plan's "ADO Work Item Link" gets).
   * Pure string work, no request. Absent: the link field is never written.
   */
  workItemUrl?(key: string): string;
}

export type PlanWrite =
  | { readonly kind: 'create'; readonly opId: string; readonly key: string; readonly parentKey: string | null; readonly fields: Readonly<Record<string, FieldValue>> }
  | { readonly kind: 'update'; readonly opId: string; readonly key: string; readonly expectedVersion: string | number; readonly fields: Readonly<Record<string, FieldValue>>; readonly parentKey?: string | null }
  | { readonly kind: 'delete'; readonly opId: string; readonly key: string; readonly expectedVersion: string | number };

export type PlanWriteResult =
  | { readonly opId: string; readonly status: 'done' }
  | { readonly opId: string; readonly status: 'stale' }
  | { readonly opId: string; readonly status: 'failed'; readonly reason: string };

export interface PlanSide {
  /** Fields the plan system computes (roll-ups, derived work) or its API cannot set; never written. */
  readonly limits?: WriteLimits;
  /** Published tasks of the plan project (all of them; the engine applies the "Sync to ADO" flag). */
  readScope(scope: PlanScope): Promise<Item[]>;
  /** The given published tasks; missing ones are absent. */
  readByKeys(projectId: string, keys: readonly string[]): Promise<Item[]>;
  /**
   * Applies the writes in one cycle: check out, write in the given order (parents come first),
   * update, publish, check in; on failure force a check-in so the project is not left locked.
   * - create: must use `key` as the new task's Id; a key that already exists counts as done
   *   (it is a rerun after a crash).
   * - update/delete: compare `expectedVersion` with the task's current version first; 'stale' if it
   *   differs. Throwing means the whole batch failed (nothing published).
   */
  applyBatch(projectId: string, writes: readonly PlanWrite[]): Promise<PlanWriteResult[]>;
}

export interface JournalEntry {
  readonly opId: string;
  readonly linkId: string;
  readonly side: 'ado' | 'plan';
  /** Set for creates: the ADO tag or the new plan task id to look for on resume. */
  readonly marker?: string;
  readonly state: 'intended' | 'done';
  /** The created (or updated) item's key, once done. */
  readonly key?: string;
}

/**
 * Write-ahead journal of a run, kept by the store. An intent is recorded (durably) before a create is
 * sent; `markDone` records the outcome. Entries of one run are never deleted while it may resume.
 */
export interface ApplyJournal {
  recordIntent(runId: string, entry: { readonly opId: string; readonly linkId: string; readonly side: 'ado' | 'plan'; readonly marker: string }): Promise<void>;
  /** Records a finished write (create or update); works with or without an earlier intent. */
  markDone(runId: string, entry: { readonly opId: string; readonly linkId: string; readonly side: 'ado' | 'plan'; readonly key: string }): Promise<void>;
  list(runId: string): Promise<JournalEntry[]>;
}

export interface SyncPorts {
  readonly ado: AdoSide;
  readonly plan: PlanSide;
  readonly journal: ApplyJournal;
}
