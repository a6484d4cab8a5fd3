/**
 * The SyncPlan: the document a person previews and approves. It is plain JSON (no classes, no
 * dates), its operations carry their preconditions, and its hash is the sha256 of its canonical JSON,
 * so re-planning unchanged input gives the same hash and approval can be bound to it.
 */
import { createHash } from 'node:crypto';
import type { LeftOut } from './changes-since.js';
import type { FieldValue, SideValues, System } from './model.js';

/** A parent: an existing item's key, an item created earlier in the same run (by link id), or none. */
export type ParentRef = { readonly key: string } | { readonly linkId: string } | null;

/** What a link's baseline becomes when the operation carrying it succeeds. */
export interface BaselinePatch {
  readonly fields?: Readonly<Record<string, SideValues>>;
  readonly planParent?: string | null;
  /** A link id when the ADO parent is created in the same run; the executor resolves it to a key. */
  readonly adoParent?: ParentRef;
}

/**
 * PlanBridge's reference fields ("ADO Work Item ID", "ADO Work Item Link") to fill in a plan task
 * once its work item is known: after the work item is created, or the proposed pair linked, in the
 * same run's plan batch. The values follow from the work item's id (planbridge-fields.ts).
 */
export interface AdoRefsWrite {
  readonly planProject: string;
  readonly planKey: string;
  /** The task's version when the plan was made; a task edited since is left for the next preview. */
  readonly expectedVersion: string | number;
  readonly idField?: string;
  readonly linkField?: string;
}

export interface CreateOp {
  readonly kind: 'create';
  readonly id: string;
  /** The side the new item is created on. */
  readonly side: System;
  readonly linkId: string;
  /** The item it is created from, on the other side. */
  readonly sourceKey: string;
  readonly type: string;
  /** Depth in the creation forest: level 0 has an existing parent or none. */
  readonly level: number;
  readonly parent: ParentRef;
  /** ADO: the team project to create in; plan: the plan project id. */
  readonly project: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** ADO: the tag that marks the item as ours. Plan: the task id to use (deterministic). */
  readonly marker: string;
  readonly baseline: BaselinePatch;
  /** ADO creations: the source task's reference fields to fill in with the new id, when the plan has them. */
  readonly adoRefs?: AdoRefsWrite;
}

export interface UpdateOp {
  readonly kind: 'update';
  readonly id: string;
  readonly side: System;
  readonly linkId: string;
  readonly key: string;
  readonly project: string;
  /** ADO rev or plan task version as read when planning; a different one means stale. */
  readonly expectedVersion: string | number;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Present when the parent changes. */
  readonly parent?: ParentRef;
  readonly baseline: BaselinePatch;
  /**
   * What the written fields (and the parent, when it changes) held when the plan was made. When the
   * version moved for another reason (a child linked under the item bumps its rev), a write whose
   * fields nobody touched since is retried on the new version; anything else stays stale.
   */
  readonly seen?: Readonly<Record<string, FieldValue>>;
  readonly seenParent?: string | null;
}

/**
 * Joins two existing items found to belong together: certainly (by marker, by task id, by project
 * name, or by the ADO id in the plan task's "ADO Work Item ID" field), or by title once a person
 * accepted the pair in the "Link existing" section (matching.ts). A new link has no baseline, so
 * the next diff settles its fields as for any first sync.
 */
export interface LinkOp {
  readonly kind: 'link';
  readonly id: string;
  readonly linkId: string;
  readonly planKey: string;
  readonly adoKey: string;
  readonly reason: 'marker' | 'task-id' | 'project-name' | 'ado-id' | 'title';
  /**
   * Pairs proposed by title: the task's reference fields to fill in once linked. Certain links get
   * them as an ordinary plan update in the same preview (build-plan.ts).
   */
  readonly adoRefs?: AdoRefsWrite;
}

export interface DeleteOp {
  readonly kind: 'delete';
  readonly id: string;
  readonly side: System;
  readonly linkId: string;
  readonly key: string;
  readonly project: string;
  readonly expectedVersion: string | number;
}

export interface UnlinkOp {
  readonly kind: 'unlink';
  readonly id: string;
  readonly linkId: string;
  /** The survivor stays, unsynced: keep the link retired so it is never re-created (Link.retired). */
  readonly retire: boolean;
}

export type Operation = CreateOp | UpdateOp | LinkOp | DeleteOp | UnlinkOp;

/** A single field write that settles a conflict or mismatch one way. */
export interface FieldResolution {
  readonly side: System;
  readonly key: string;
  readonly project: string;
  readonly expectedVersion: string | number;
  readonly field: string;
  readonly value: FieldValue;
  readonly baseline: SideValues;
}

export type Choice = 'plan' | 'ado' | 'skip';

export interface Conflict {
  readonly id: string;
  readonly linkId: string;
  readonly ruleId: string;
  readonly planKey: string;
  readonly adoKey: string;
  readonly title: string;
  readonly planField: string;
  readonly adoField: string;
  /** Null when the link has no baseline for this rule yet. */
  readonly baseline: SideValues | null;
  readonly plan: FieldValue;
  readonly ado: FieldValue;
  /** `plan`: keep the plan value (write ADO); `ado`: keep the ADO value (write the plan). Null when not allowed. */
  readonly resolutions: { readonly plan: FieldResolution | null; readonly ado: FieldResolution | null };
  readonly choice: Choice | null;
}

export interface ParentResolution {
  readonly side: System;
  readonly key: string;
  readonly project: string;
  readonly expectedVersion: string | number;
  readonly parent: ParentRef;
  readonly baseline: { readonly planParent: string | null; readonly adoParent: ParentRef };
}

export interface HierarchyMismatch {
  readonly id: string;
  readonly linkId: string;
  readonly planKey: string;
  readonly adoKey: string;
  readonly title: string;
  /** Parent keys on each side, and what each is linked to on the other side. */
  readonly planParent: string | null;
  readonly adoParent: string | null;
  readonly resolutions: { readonly plan: ParentResolution | null; readonly ado: ParentResolution | null };
  /** Preset to the side that moved when only one did; the user may change it. */
  readonly choice: Choice | null;
}

export type DeletionChoice = 'keep' | 'unlink' | 'propagate';

export interface Deletion {
  readonly id: string;
  readonly linkId: string;
  readonly missingOn: System | 'both';
  readonly survivor: { readonly side: System; readonly key: string; readonly project: string; readonly expectedVersion: string | number; readonly title: string } | null;
  /**
   * A plan survivor's subtasks. Project deletes a summary task with its subtasks, while ADO keeps
   * a deleted item's children (they lose their parent): deleting it in the plan first moves these
   * to the top level, so nothing goes that the preview did not name.
   */
  readonly children?: ReadonlyArray<{ readonly key: string; readonly expectedVersion: string | number; readonly title: string; readonly linkId?: string }>;
  readonly allowed: readonly DeletionChoice[];
  readonly choice: DeletionChoice | null;
}

/**
 * What a person decides about a proposed pair: `link` the two items, keep them `apart` (each is
 * created on the other side, as without matching), or `skip` (neither: both wait for a later run).
 */
export type MatchChoice = 'link' | 'apart' | 'skip';

/**
 * A plan task and a work item that look like the same work (same title and level, under parents
 * that are linked or proposed): the "Link existing" section of the preview. Operations that depend
 * on the decision are carried here, never in `operations`; approval (approve.ts) picks one set.
 */
export interface MatchProposal {
  /** `match:<linkId>`. */
  readonly id: string;
  /** Applied when the pair is linked (reason 'title'). */
  readonly link: LinkOp;
  readonly planTitle: string;
  readonly adoTitle: string;
  readonly adoType: string;
  /** Title of the parents (plan side) when there are any, for the preview. */
  readonly parentTitle: string | null;
  /**
   * The proposal for the parents, when they are only proposed too: this pair can be linked only if
   * that one is; when that one is kept apart or skipped, so is this one.
   */
  readonly dependsOn: string | null;
  /** Creations made when the pair is linked: unmatched items right below either item, with what comes along. */
  readonly ifLinked: readonly CreateOp[];
  /** Creations made when the pair is kept apart: both items, each on the other side, with what comes along. */
  readonly ifApart: readonly CreateOp[];
}

/** Baseline facts true at planning time (values that already agree); recorded whatever else happens. */
export interface BaselineRefresh {
  readonly linkId: string;
  readonly baseline: BaselinePatch;
}

export interface PlanCounts {
  readonly createAdo: number;
  readonly createPlan: number;
  readonly updateAdo: number;
  readonly updatePlan: number;
  readonly link: number;
  readonly conflicts: number;
  readonly hierarchy: number;
  readonly deletions: number;
  readonly warnings: number;
}

export interface SyncPlan {
  readonly format: 1;
  readonly integrationId: string;
  readonly counts: PlanCounts;
  readonly operations: readonly Operation[];
  readonly conflicts: readonly Conflict[];
  readonly hierarchy: readonly HierarchyMismatch[];
  readonly deletions: readonly Deletion[];
  readonly refresh: readonly BaselineRefresh[];
  readonly warnings: readonly string[];
  /**
   * Present when there are pairs to link or keep apart ("Link existing"), parents before children.
   * Absent otherwise, so plans without proposals keep the shape and hash they always had.
   */
  readonly matches?: readonly MatchProposal[];
  /** Present when the run had a synchronization start date: unlinked items unchanged since then that were left out. */
  readonly leftOut?: LeftOut;
  /** sha256 of the canonical JSON of everything above. */
  readonly hash: string;
}

/** JSON with object keys sorted and undefined members dropped, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return value === undefined ? 'null' : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export function hashPlan(plan: Omit<SyncPlan, 'hash'> | SyncPlan): string {
  const { hash: _ignored, ...content } = plan as SyncPlan;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/**
 * Counts of what the plan does. Proposed pairs count as the preview presets them: linked, with the
 * creations that go with linking (so `link` is "Link existing pairs", certain and proposed).
 */
export function countPlan(plan: Pick<SyncPlan, 'operations' | 'conflicts' | 'hierarchy' | 'deletions' | 'warnings' | 'matches'>): PlanCounts {
  let createAdo = 0, createPlan = 0, updateAdo = 0, updatePlan = 0, link = 0;
  const ops: Operation[] = [...plan.operations];
  for (const m of plan.matches ?? []) ops.push(m.link, ...m.ifLinked);
  for (const op of ops) {
    if (op.kind === 'create') op.side === 'ado' ? createAdo++ : createPlan++;
    else if (op.kind === 'update') op.side === 'ado' ? updateAdo++ : updatePlan++;
    else if (op.kind === 'link') link++;
  }
  return {
    createAdo, createPlan, updateAdo, updatePlan, link,
    conflicts: plan.conflicts.length, hierarchy: plan.hierarchy.length, deletions: plan.deletions.length, warnings: plan.warnings.length,
  };
}

/** True when the plan would change nothing on either side and needs no decision. */
export function isNoop(plan: SyncPlan): boolean {
  return plan.operations.length === 0 && plan.conflicts.length === 0 && plan.hierarchy.length === 0 && plan.deletions.length === 0 && (plan.matches?.length ?? 0) === 0;
}
