/**
 * The engine's normalized vocabulary. Connectors read their systems into `Item`s; the store keeps
 * `Link`s and `Integration`s. Nothing here knows about HTTP, Teams or Cosmos.
 */
import type { ProcessName } from './processes.js';
import type { MappingRule } from './mapping/rule.js';

export type System = 'plan' | 'ado';

/** A field value as the engine sees it: connectors flatten richer values (identities, lookups) to these. */
export type FieldValue = string | number | boolean | null;
export type Fields = Readonly<Record<string, FieldValue>>;

/**
 * One plan task or one work item.
 * - plan: `key` is the task GUID, `version` the task's last-modified stamp (opaque, compared for equality).
 * - ado: `key` is the work item id as a string, `version` its `rev`. Fields use reference names
 *   (`System.Title`); the engine also reads `System.Tags` (markers), `System.TeamProject` and
 *   `System.IterationPath` (scope). `System.AssignedTo` is the identity's uniqueName.
 */
export interface Item {
  readonly key: string;
  readonly system: System;
  readonly type: string;
  readonly parentKey: string | null;
  readonly fields: Fields;
  readonly version: string | number;
  /**
   * When the item last changed (ISO instant): ADO `System.ChangedDate`, the PWA task's `Modified`.
   * Metadata only: it decides which unlinked items a run with a start date considers
   * (changes-since.ts), never takes part in field diffs, and never reaches the plan or its hash.
   */
  readonly modifiedAt?: string;
  /**
   * Plan side: the task is inactive in Project (kept for the record, no longer counting). Such a
   * task is never created on the other side; a linked one keeps syncing.
   */
  readonly inactive?: boolean;
  /**
   * Plan side: the tasks this one depends on. Carried as data for a later mapping to ADO
   * dependency links; nothing syncs them yet, and like `modifiedAt` they take no part in diffs.
   */
  readonly dependsOn?: readonly Dependency[];
}

export interface Dependency {
  /** The predecessor's key on the same side. */
  readonly key: string;
  readonly kind: 'finish-to-start' | 'start-to-start' | 'finish-to-finish' | 'start-to-finish';
}

/** What each side held for one mapping rule after the last successful sync, normalized for comparison. */
export interface SideValues {
  readonly plan: FieldValue;
  readonly ado: FieldValue;
}

export interface Baseline {
  /** Keyed by mapping rule id. A rule with no entry has no baseline yet (new rule or new link). */
  readonly fields: Readonly<Record<string, SideValues>>;
  /** Parent keys as they were on each side after the last sync; `undefined` = not known yet. */
  readonly planParent?: string | null;
  readonly adoParent?: string | null;
}

/** Joins one plan task to one work item. */
export interface Link {
  readonly id: string;
  readonly planKey: string;
  readonly adoKey: string;
  readonly baseline: Baseline;
  /**
   * Unlinked on purpose ("Unlink, keep the other item"): the pair is no longer synced, and neither
   * item is created again on the other side. Kept so the survivor is not taken for a new item.
   */
  readonly retired?: boolean;
}

export type Direction = 'planToAdo' | 'adoToPlan' | 'both';

/** Which ADO items feed the plan; several entries aggregate several projects into one plan. */
export interface AdoScope {
  readonly project: string;
  readonly team?: string;
  readonly areaPath?: string;
  readonly iterationPath?: string;
  /** A saved query id; the connector runs it instead of the area/iteration filter. */
  readonly queryId?: string;
}

export interface PlanScope {
  readonly projectId: string;
  /**
   * 'flagged' = only tasks whose `flagField` is true ("Sync to ADO") take part (scope.ts says how
   * their unflagged ancestors still count for the hierarchy).
   */
  readonly tasks: 'all' | 'flagged';
  readonly flagField?: string;
}

export interface HierarchySettings {
  /** Nested plan levels as ADO types, top first, e.g. ['Epic', 'Feature', 'User Story']. */
  readonly levels: readonly string[];
  /** Type for plan leaf tasks, usually 'Task'. */
  readonly leafType: string;
  /** Other ADO types brought into the plan as tasks, e.g. ['Bug', 'Issue']. */
  readonly importAsTasks: readonly string[];
  /** Each ADO team project appears as a top-level summary task in the plan. */
  readonly teamProjectAsTopParent: boolean;
  /** Include ADO items whose iteration is the project root (not planned into any iteration). */
  readonly includeOutsideIterations: boolean;
}

/**
 * What to bring along when an item with children is created on the other side.
 * - itemOnly: just the item (its children follow on later runs, once their parent is linked);
 * - withSubFeatures: plus descendants at portfolio levels (all levels but the last);
 * - withSubFeaturesAndStories: plus descendants at any hierarchy level, but no tasks;
 * - withAllSubItems: the whole subtree.
 */
export type CreationOption = 'itemOnly' | 'withSubFeatures' | 'withSubFeaturesAndStories' | 'withAllSubItems';

export interface Integration {
  readonly id: string;
  readonly direction: Direction;
  readonly process: ProcessName;
  readonly scope: { readonly plan: PlanScope; readonly ado: readonly AdoScope[] };
  readonly hierarchy: HierarchySettings;
  readonly creation: CreationOption;
  /** Ordered; the first rule that writes a target field wins. */
  readonly mapping: readonly MappingRule[];
  /** Plan resource name -> ADO identity uniqueName (for Assigned To). */
  readonly identities: Readonly<Record<string, string>>;
  /** IANA zone in which plan dates are meant; ADO dates are instants. Default 'UTC'. */
  readonly timeZone?: string;
  /**
   * Task custom fields the plan site has, by display name (read each run). The PlanBridge fields
   * (planbridge-fields.ts) are written only when listed here; absent: none is written.
   */
  readonly planTaskFields?: readonly string[];
}

/** Whether the integration lets changes flow towards `target`. */
export function flowsTo(direction: Direction, target: System): boolean {
  return direction === 'both' || (target === 'ado' ? direction === 'planToAdo' : direction === 'adoToPlan');
}
