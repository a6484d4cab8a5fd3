/**
 * The plan-system (PPM) connector contract. The sync engine talks only to this interface, so a
 * second plan system (for example Planner premium plans in Dataverse) is a new implementation,
 * not an engine change. Types here are system-neutral: no OData, no PWA field codes.
 */
import { createHash } from 'node:crypto';
import { UserFacingError } from '../errors.js';

/**
 * A wall-clock date-time in the plan site's time zone, `YYYY-MM-DDTHH:mm:ss`, no offset.
 * Plan systems store dates this way; converting to instants happens at the edge (see dates.ts).
 */
export type SiteLocalDateTime = string;

export interface PlanProject {
  id: string;
  name: string;
  start: SiteLocalDateTime | null;
  finish: SiteLocalDateTime | null;
  lastPublished: SiteLocalDateTime | null;
  /** Archived/inactive projects can be read but are never written. */
  archived: boolean;
  checkedOut: boolean;
  /** Display name of whoever holds the check-out, when known. */
  checkedOutBy: string | null;
  /** Length of a working day in minutes, from the plan's settings (480 = 8 hours). */
  minutesPerDay: number;
}

/** A ranked answer to "project X": exact name first, then prefix, then substring and word matches. */
export interface ProjectMatch {
  project: PlanProject;
  match: 'exact' | 'prefix' | 'contains' | 'words';
}

export interface PlanAssignment {
  resourceId: string;
  resourceName: string;
  /** The resource's e-mail when the plan system has one: an exact key for matching people. */
  resourceEmail: string | null;
  workMinutes: number;
  actualWorkMinutes: number;
  remainingWorkMinutes: number;
}

/** How a dependency ties two tasks, as Project names its four link types. */
export type DependencyKind = 'finish-to-start' | 'start-to-start' | 'finish-to-finish' | 'start-to-finish';

/**
 * A task this task depends on. Carried as data (nothing syncs it yet); lag is not listed because
 * Project Server's REST task links do not expose it (PS.PublishedTaskLink has only DependencyType).
 */
export interface PlanDependency {
  predecessorId: string;
  kind: DependencyKind;
}

/** How Project keeps a task's work, duration and units in step when one of them changes. */
export type PlanTaskType = 'fixed-units' | 'fixed-duration' | 'fixed-work';

/** A person or material on the project's team. */
export interface PlanResource {
  id: string;
  name: string;
  email: string | null;
  /** A placeholder role such as "Developer", not a person. */
  isGeneric: boolean;
}

export type PlanFieldValue = string | number | boolean | string[] | null;

export interface PlanTask {
  id: string;
  /** Null for top-level tasks. */
  parentId: string | null;
  outlineLevel: number;
  /** Position in the outline, e.g. "2.1.3"; siblings sort by it. */
  outlinePosition: string;
  isSummary: boolean;
  name: string;
  start: SiteLocalDateTime | null;
  finish: SiteLocalDateTime | null;
  durationMinutes: number;
  workMinutes: number;
  /**
   * Work done and left, as the plan holds them. With timesheet actuals these are not Work × %
   * complete, so they are read, never derived.
   */
  actualWorkMinutes: number;
  remainingWorkMinutes: number;
  percentComplete: number;
  notes: string;
  /** The date the task should finish by, if one is set; it does not move the schedule. */
  deadline: SiteLocalDateTime | null;
  isMilestone: boolean;
  /** Inactive tasks stay in the plan for the record but no longer count. */
  isActive: boolean;
  taskType: PlanTaskType | null;
  /** An inserted project (its tasks live in another plan): a plan holding one is a master project. */
  isSubProject: boolean;
  predecessors: PlanDependency[];
  assignments: PlanAssignment[];
  /** Custom field values by field display name; lookup values are the entries' texts. */
  customFields: Record<string, PlanFieldValue>;
  modified: SiteLocalDateTime | null;
  /** Opaque change marker for preconditions (the plan side's `rev`). */
  version: string;
}

export type PlanFieldType = 'text' | 'number' | 'flag' | 'date' | 'finishdate' | 'duration' | 'cost';
export type PlanEntity = 'project' | 'task' | 'resource' | 'assignment';

export interface PlanFieldDefinition {
  id: string;
  name: string;
  type: PlanFieldType;
  entity: PlanEntity | 'unknown';
  /** Lookup-table backed fields hold entry texts from a fixed list. */
  lookupValues: string[] | null;
}

export interface RequiredField {
  name: string;
  type: PlanFieldType;
  entity: PlanEntity;
  description: string;
}

/**
 * A task's version as read: the system's own stamp (PWA's Modified, Dataverse's versionnumber)
 * plus a digest of every value read, so a change the stamp misses (coarse clocks, computed
 * fields) still changes the version and nothing is overwritten unseen.
 */
export function taskVersion(task: Omit<PlanTask, 'version'>, stamp: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(task)).digest('base64url').slice(0, 16);
  return `${String(stamp ?? '')}~${digest}`;
}

/** The enterprise fields PlanBridge needs on plan tasks ("Create fields" / "Verify configuration"). */
export const PLANBRIDGE_FIELDS: readonly RequiredField[] = [
  { name: 'Sync to ADO', type: 'flag', entity: 'task', description: 'PlanBridge: sync this task to Azure DevOps.' },
  { name: 'ADO Work Item Type', type: 'text', entity: 'task', description: 'PlanBridge: work item type to create (Epic, Feature, User Story, Task).' },
  { name: 'ADO Project', type: 'text', entity: 'task', description: 'PlanBridge: Azure DevOps project that receives this task.' },
  { name: 'ADO Work Item ID', type: 'number', entity: 'task', description: 'PlanBridge: id of the linked work item (set by PlanBridge).' },
  { name: 'ADO Work Item Link', type: 'text', entity: 'task', description: 'PlanBridge: URL of the linked work item (set by PlanBridge).' },
  // The seed article's Outlook field (events/plan.ts CREATE_EVENT_FIELD): Yes = an event for the people assigned.
  { name: 'Create event', type: 'flag', entity: 'task', description: 'PlanBridge: make an Outlook event of this task for the people assigned to it.' },
];

export interface FieldCheck {
  name: string;
  expectedType: PlanFieldType;
  status: 'ok' | 'missing' | 'wrong-type' | 'wrong-entity' | 'name-case';
  actualType?: PlanFieldType;
  /** What the user should do, in one sentence. */
  advice?: string;
}

export interface AccessReport {
  canRead: boolean;
  canEdit: boolean;
  canManageFields: boolean;
  /** Human names of missing permissions, e.g. "Save Project". */
  missing: string[];
  /** Non-blocking findings, e.g. a time zone that differs from the site's. */
  warnings: string[];
}

export interface NewPlanTask {
  /** Id to create the task with. Callers pre-assign it so a retried apply finds the task instead of adding a twin. */
  id: string;
  /** Existing task id, or the `id` of another task created in the same change set; null for top level. */
  parentId: string | null;
  /** Sibling to insert after; by default the task goes last under its parent. */
  addAfterId?: string;
  name: string;
  start?: SiteLocalDateTime;
  finish?: SiteLocalDateTime;
  durationMinutes?: number;
  /** Not part of PWA's TaskCreationInformation: set on the new draft task in the same cycle. */
  workMinutes?: number;
  percentComplete?: number;
  notes?: string;
  customFields?: Record<string, PlanFieldValue>;
}

export interface PlanTaskUpdate {
  id: string;
  name?: string;
  start?: SiteLocalDateTime;
  finish?: SiteLocalDateTime;
  durationMinutes?: number;
  workMinutes?: number;
  percentComplete?: number;
  notes?: string;
  /** Move under another parent (null = top level). */
  parentId?: string | null;
  customFields?: Record<string, PlanFieldValue>;
  /**
   * The task's `version` as the caller read it. A connector whose plan system takes no If-Match
   * (Planner premium's schedule APIs) compares it with a fresh read just before writing and
   * refuses with `task-changed`; absent, the caller has checked it.
   */
  expectedVersion?: string;
}

export interface PlanChangeSet {
  projectId: string;
  creates: NewPlanTask[];
  updates: PlanTaskUpdate[];
  /**
   * Task ids to delete, after the creates and updates of the same cycle. A task that is already
   * gone counts as deleted (a rerun after a crash). Deleting a summary task deletes its subtasks
   * too, as Project does; move a child out first (an update in the same set) to keep it.
   */
  deletes?: string[];
}

export interface PlanWriteResult {
  created: string[];
  updated: string[];
  /** Ids from `deletes`, including those already gone; a deleted summary's subtasks are not listed. */
  deleted: string[];
  /** Queue jobs (PWA) or operation sets (Planner premium) run, in order, with their final state. */
  jobs: Array<{ step: 'update' | 'publish' | 'checkIn' | 'forceCheckIn' | 'operationSet'; jobId: string; state: string }>;
}

export type PlanErrorCode =
  | 'auth-failed'          // 401: credentials rejected or expired; the connection needs attention
  | 'forbidden'            // the account lacks a permission
  | 'project-not-found'
  | 'project-archived'
  | 'checked-out'          // someone else holds the project
  | 'task-deleted'         // a task to update no longer exists
  | 'task-changed'         // a task changed since the caller read it (expectedVersion differs)
  | 'queue-failed'         // a queue job ended Failed / Canceled / CorrelationBlocked
  | 'queue-timeout'
  | 'queue-blocked'        // 26005: jobs of the project overlapped and retries did not clear it
  | 'throttled'            // 429/503 still failing after honouring Retry-After
  | 'not-licensed'         // the signed-in user lacks the licence the plan system requires for writes
  | 'invalid-request'      // the plan system refused a value
  | 'field-missing'        // a custom field to write does not exist
  | 'unreachable'
  | 'server-error';

/** A failure the user can act on: `message` says what happened and what to do; never holds secrets. */
export class PlanConnectorError extends UserFacingError {
  constructor(
    override readonly code: PlanErrorCode,
    message: string,
    readonly details: {
      status?: number;
      serverCode?: string;
      /** The connection must be fixed by a person (401, revoked consent). */
      needsAttention?: boolean;
      checkedOutBy?: string;
      jobState?: string;
      /** The write flow forced a check-in after this failure, so the plan is not left locked. */
      forcedCheckIn?: boolean;
    } = {},
  ) {
    super(code, message, { needsAttention: details.needsAttention });
  }
}

/**
 * Task values the plan system computes itself, by the plan-side field names (Name, Start, Work,
 * RemainingWork, ...; adapters/plan-side.ts), each with why, as the engine's WriteLimits takes them.
 */
export interface PlanWriteLimits {
  /** Never written on any task. */
  readonly readOnly: Readonly<Record<string, string>>;
  /** Never written on a task with subtasks (rolled up from them). */
  readonly rolledUp: Readonly<Record<string, string>>;
  /** Why a task with a parent can never be moved to the top level, when it cannot. */
  readonly noMoveToTop?: string;
}

export interface PlanConnector {
  /** e.g. 'pwa'. */
  readonly system: string;
  /** IANA time zone that SiteLocalDateTime values are in. */
  readonly timeZone: string;
  /** What this plan system computes and PlanBridge never writes; absent means Project Web App's rules. */
  readonly writeLimits?: PlanWriteLimits;
  verifyAccess(projectId?: string): Promise<AccessReport>;
  listProjects(): Promise<PlanProject[]>;
  findProjects(name: string): Promise<ProjectMatch[]>;
  getProject(projectId: string): Promise<PlanProject>;
  /** Every task of the published plan, in outline order, following all pages. */
  readTasks(projectId: string): Promise<PlanTask[]>;
  /** The project's team: its resources with their e-mail where known. */
  listResources(projectId: string): Promise<PlanResource[]>;
  listFields(): Promise<PlanFieldDefinition[]>;
  verifyFields(required?: readonly RequiredField[]): Promise<FieldCheck[]>;
  /** Creates the missing fields; wrong-type ones are reported, never changed. */
  createFields(required?: readonly RequiredField[]): Promise<FieldCheck[]>;
  /**
   * Applies creates and updates in one edit cycle; never leaves the plan locked.
   * Deletes run in the same cycle, after creates, updates and custom fields.
   */
  applyChanges(changes: PlanChangeSet): Promise<PlanWriteResult>;
}
