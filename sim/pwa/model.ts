import { createHash } from 'node:crypto';

/**
 * The simulator's in-memory Project Server. Dates are site-local wall-clock strings
 * ("2026-03-02T08:00:00"), exactly as PWA stores and returns them: no zone, no offset.
 */

export const EMPTY_DATE = '0001-01-01T00:00:00';

/** Custom field types (PS.CustomFieldType). */
export const FieldType = { DATE: 4, DURATION: 6, COST: 9, NUMBER: 15, FLAG: 17, TEXT: 21, FINISHDATE: 27 } as const;

/** Queue job states (PS.JobState). */
export const JobState = {
  ReadyForProcessing: 1, Processing: 3, Success: 4, Failed: 5, FailedNotBlocking: 6, CorrelationBlocked: 8, Canceled: 9,
} as const;

/** ProjectType: 0 is a standard project; 1000 (InactiveProject) is how the simulator marks an archived one. */
export const ProjectType = { Project: 0, Inactive: 1000 } as const;

/** Task types (PS.TaskType): what Project holds fixed when work, duration or units change. */
export const TaskType = { FixedUnits: 0, FixedDuration: 1, FixedWork: 2 } as const;

/** Link types (PS.DependencyType, Microsoft.Office.Project.Scheduling.DependencyType). */
export const DependencyType = { FinishFinish: 0, FinishStart: 1, StartFinish: 2, StartStart: 3 } as const;

/** Enterprise resource types (PS.EnterpriseResourceType). */
export const ResourceType = { Work: 1, Material: 2, Cost: 3 } as const;

export interface SimAssignment {
  Id: string;
  ResourceId: string;
  WorkMinutes: number;
  /** Work reported done (timesheets or status updates); remaining work is WorkMinutes - ActualWorkMinutes. */
  ActualWorkMinutes: number;
}

export interface SimResource {
  Id: string;
  Name: string;
  /** Null for resources without a mailbox (generic and material resources), as PWA returns them. */
  Email: string | null;
  Initials: string | null;
  Group: string | null;
  ResourceType: number;
  IsGeneric: boolean;
  IsActive: boolean;
  Created: string;
  Modified: string;
}

/** A dependency: `StartId` is the predecessor, `EndId` the successor (PS.TaskLink naming). */
export interface SimTaskLink {
  Id: string;
  StartId: string;
  EndId: string;
  DependencyType: number;
  /** Lag in working minutes; negative is lead. */
  LagMinutes: number;
}

/** A nonworking period of a base calendar (PS.BaseCalendarException). */
export interface SimCalendarException {
  Id: number;
  Name: string;
  Start: string;
  Finish: string;
}

export interface SimCalendar {
  Id: string;
  Name: string;
  IsStandardCalendar: boolean;
  Created: string;
  Modified: string;
  exceptions: SimCalendarException[];
}

export interface SimTask {
  Id: string;
  Name: string;
  ParentId: string | null;
  /** Derived from the outline: recomputed after every structural change. */
  OutlineLevel: number;
  OutlinePosition: string;
  IsSummary: boolean;
  Start: string;
  Finish: string;
  DurationMinutes: number;
  WorkMinutes: number;
  PercentComplete: number;
  /** Sum of the assignments' actual work on a leaf; rolled up on summaries. */
  ActualWorkMinutes: number;
  /** EMPTY_DATE when the task has no deadline. */
  Deadline: string;
  /** False for tasks set inactive: kept in the plan, left out of the schedule and roll-ups. */
  IsActive: boolean;
  TaskType: number;
  Notes: string;
  IsManual: boolean;
  IsMilestone: boolean;
  /** An inserted project: the plan holding it is a master project. Absent: false. */
  IsSubProject?: boolean;
  Created: string;
  Modified: string;
  /** Task custom field values by custom field Id. */
  custom: Record<string, unknown>;
  assignments: SimAssignment[];
}

export interface SimCheckout {
  user: string;
  checkOutId: string;
  since: string;
}

export interface SimProject {
  Id: string;
  Name: string;
  /** Null when the project was created without one (PWA returns null, not ''). */
  Description: string | null;
  ProjectType: number;
  StartDate: string;
  FinishDate: string;
  CreatedDate: string;
  LastPublishedDate: string;
  LastSavedDate: string;
  MinutesPerDay: number;
  MinutesPerWeek: number;
  DaysPerMonth: number;
  OwnerId: string;
  /** Published plan, in outline order. */
  tasks: SimTask[];
  /** Published dependencies. */
  links: SimTaskLink[];
  /** Working copy while checked out (cloned from `tasks` at checkOut). */
  draft: SimTask[] | null;
  draftLinks: SimTaskLink[] | null;
  /** The project's base calendar. */
  CalendarId: string;
  checkout: SimCheckout | null;
}

export interface SimLookupEntry {
  Id: string;
  FullValue: string;
  Description: string;
  SortIndex: number;
}

export interface SimLookupTable {
  Id: string;
  Name: string;
  FieldType: number;
  entries: SimLookupEntry[];
}

export interface SimCustomField {
  Id: string;
  Name: string;
  FieldType: number;
  EntityTypeId: string;
  LookupTableId: string | null;
  Description: string;
  IsRequired: boolean;
  IsMultilineText: boolean;
  Formula: string;
}

export interface SimQueueJob {
  Id: string;
  ProjectId: string;
  MessageType: number;
  JobState: number;
  PercentComplete: number;
  submittedAt: number;
  doneAt: number;
  /** Applied once when the job succeeds. */
  effect: (() => void) | null;
  /** Set when the job is scripted to fail: the Project Server error name it fails with. */
  failure: string | null;
}

export interface SimUser {
  /** Login as the server shows it: `i:0#.f|membership|pm@contoso.com` style is shortened to a plain name. */
  login: string;
  displayName: string;
  /** Global permission: may create enterprise custom fields. */
  canManageFields: boolean;
  /** Project permissions: open / save / publish. */
  canEdit: boolean;
}

export const ENTITY_TYPE_NAMES = ['ProjectEntity', 'TaskEntity', 'ResourceEntity', 'AssignmentEntity'] as const;
export type EntityTypeName = (typeof ENTITY_TYPE_NAMES)[number];

export interface SimState {
  projects: SimProject[];
  customFields: SimCustomField[];
  lookupTables: SimLookupTable[];
  resources: SimResource[];
  calendars: SimCalendar[];
  entityTypes: Record<EntityTypeName, string>;
  jobs: Map<string, SimQueueJob>;
}

/** Deterministic GUID from a label, so seeds give the same ids on every start. */
export function guidFor(label: string): string {
  const h = createHash('sha1').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Internal name and task property name of a custom field: `Custom_{hex}` / `Custom_x005f_{hex}`. */
export function customInternalName(fieldId: string): string {
  return `Custom_${fieldId.replace(/-/g, '')}`;
}
export function customPropertyName(fieldId: string): string {
  return `Custom_x005f_${fieldId.replace(/-/g, '')}`;
}
export function lookupEntryInternalName(entryId: string): string {
  return `Entry_${entryId.replace(/-/g, '')}`;
}

export function emptyState(): SimState {
  return {
    projects: [],
    customFields: [],
    lookupTables: [],
    resources: [],
    calendars: [],
    entityTypes: {
      ProjectEntity: guidFor('entity:project'),
      TaskEntity: guidFor('entity:task'),
      ResourceEntity: guidFor('entity:resource'),
      AssignmentEntity: guidFor('entity:assignment'),
    },
    jobs: new Map(),
  };
}

export function cloneTasks(tasks: SimTask[]): SimTask[] {
  return tasks.map((t) => ({ ...t, custom: { ...t.custom }, assignments: t.assignments.map((a) => ({ ...a })) }));
}

export function cloneLinks(links: SimTaskLink[]): SimTaskLink[] {
  return links.map((l) => ({ ...l }));
}
