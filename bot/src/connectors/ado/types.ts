/** The connector's own DTOs; the sync engine adapts them to its model. */

export interface AdoWorkItem {
  id: number;
  rev: number;
  project: string;
  type: string;
  title: string;
  state: string;
  /**
   * Every field ADO returned, by reference name (identities stay objects; the items of one read
   * share one frozen object per person: identity-pool.ts).
   */
  fields: Record<string, unknown>;
  /** From the Hierarchy-Reverse relation (works on Server 2019, which has no System.Parent). */
  parentId: number | null;
  childIds: number[];
  tags: string[];
  hyperlinks: Array<{ url: string; comment: string | null }>;
  /** REST URL of the item. */
  url: string;
}

export interface AdoProject {
  id: string;
  name: string;
  description: string;
  url: string;
}

export type AdoSystemProcess = 'Agile' | 'Scrum' | 'CMMI' | 'Basic';

/** The process a project uses, placed against the four system processes PlanBridge knows. */
export interface AdoProjectProcess {
  /** As the organization names it: "Agile", "Contoso Agile". */
  name: string;
  /** The process's type id (the project's templateTypeId); '' when the project reports none. */
  typeId: string;
  /** `custom` is an XML process; `unknown` when the process API could not say. */
  customization: 'system' | 'inherited' | 'custom' | 'unknown';
  /** The system process it is, inherits from or works like; null when nothing tells. */
  base: AdoSystemProcess | null;
  /** How `base` was found: from the process (or its parent), or from the project's work item types. */
  basedOn: 'process' | 'work-item-types' | null;
  /** For people: "Agile", "Contoso Agile (inherits Agile)", "Legacy (custom process, works like Scrum)". */
  label: string;
}

export interface AdoTeam {
  id: string;
  name: string;
  projectName: string;
}

export interface AdoClassificationPath {
  /** Work item form: `Phoenix\Web\Checkout`. */
  path: string;
  name: string;
  depth: number;
  startDate: string | null;
  finishDate: string | null;
}

export interface AdoWorkItemType {
  name: string;
  referenceName: string;
  color: string;
  states: Array<{ name: string; category: string }>;
  /** Reference names of the fields the type has (`fieldInstances`): writing any other is refused (TF51535). */
  fields: string[];
}

export interface AdoField {
  referenceName: string;
  name: string;
  type: string;
  readOnly: boolean;
}

export interface AdoBacklogLevel {
  id: string;
  name: string;
  kind: 'portfolio' | 'requirement' | 'task';
  rank: number;
  types: string[];
  defaultType: string;
}

export type AdoScopeName = 'work-read' | 'work-write' | 'project-read' | 'identity-read' | 'graph-read';

export interface ScopeCheck {
  scope: AdoScopeName;
  /** As the ADO token page names it, e.g. "Work Items: Read & write". */
  label: string;
  /** true: granted; false: missing; null: could not tell (see detail). */
  present: boolean | null;
  detail?: string;
}

export interface ConnectionReport {
  orgUrl: string;
  deployment: 'services' | 'server';
  user: { displayName: string; uniqueName: string };
  scopes: ScopeCheck[];
  missing: string[];
  /** What to do, in one sentence, when scopes are missing; null when all are present. */
  advice: string | null;
}

/** A scope to read: a project, optionally narrowed by team, area, iteration, types, or a saved query. */
export interface AdoReadScope {
  project: string;
  team?: string;
  areaPath?: string;
  iterationPath?: string;
  types?: string[];
  queryId?: string;
  ids?: number[];
}

export interface AdoCreateRequest {
  project: string;
  type: string;
  fields: Record<string, unknown>;
  parentId?: number | null;
  /** Added to System.Tags in the create request itself, so the item is never unmarked. */
  marker: string;
  /** Optional hyperlink back to the plan task. */
  link?: { url: string; comment?: string };
}

export interface AdoUpdateRequest {
  id: number;
  expectedRev: number;
  fields?: Record<string, unknown>;
  /** undefined: leave; null: remove the parent; a number: set it. */
  parentId?: number | null;
}

export type AdoUpdateResult = { status: 'done'; item: AdoWorkItem } | { status: 'stale'; id: number };

/** A person who can be assigned work items: a member of one of a project's teams. */
export interface AdoUser {
  id: string;
  displayName: string;
  /** Sign-in name (usually the e-mail address); what System.AssignedTo is set to. */
  uniqueName: string;
}
