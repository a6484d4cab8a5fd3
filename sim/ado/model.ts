import type { FieldKind, TypeDef } from './processes.js';

/**
 * In-memory state of the simulated Azure DevOps organization (or Server collection). Work item
 * fields are copied on write: each revision keeps the `fields` object it had, so history costs
 * nothing until an item changes.
 */
export type ProcessName = 'Agile' | 'Scrum' | 'CMMI' | 'Basic';

/**
 * An inherited or hosted-XML process the organization made (the four system processes are
 * fixed data in processes.ts). `base` is the system process whose types and backlogs its
 * projects get: the parent for an inherited process; for an XML one the simulator still needs a
 * type set, though ADO reports no parent for it.
 */
export interface SimProcess {
  typeId: string;
  name: string;
  referenceName: string;
  description: string;
  customization: 'inherited' | 'custom';
  base: ProcessName;
  isEnabled: boolean;
  /** Work item types the process adds to its base's (inherited processes may add their own). */
  extraTypes: TypeDef[];
}

export interface SimIdentity {
  id: string;
  displayName: string;
  uniqueName: string;
  descriptor: string;
}

export interface SimNode {
  id: number;
  identifier: string;
  name: string;
  structureType: 'area' | 'iteration';
  children: SimNode[];
  /** Iterations only: ISO dates. */
  startDate?: string;
  finishDate?: string;
}

export interface SimRelation {
  rel: string;
  url: string;
  attributes: Record<string, unknown>;
}

export interface SimRevision {
  rev: number;
  fields: Record<string, unknown>;
  relations: SimRelation[];
}

export interface SimWorkItem {
  id: number;
  projectId: string;
  rev: number;
  /**
   * The current fields, without `System.History`: ADO keeps History on the revision that wrote it
   * (revisions and updates show it there, and the next revision does not carry it on).
   */
  fields: Record<string, unknown>;
  relations: SimRelation[];
  /** Each revision's fields, `System.History` included when that revision wrote one. */
  revisions: SimRevision[];
  deleted: boolean;
  /** Discussion comments (comments API), oldest first; a History write adds one too. */
  comments?: SimComment[];
}

/** A work item comment as the comments API (wit 7.1-preview.4) serves it. */
export interface SimComment {
  id: number;
  text: string;
  version: number;
  createdBy: Record<string, unknown>;
  createdDate: string;
  modifiedBy: Record<string, unknown>;
  modifiedDate: string;
  isDeleted: boolean;
}

export interface SimTeam {
  id: string;
  name: string;
  description: string;
  /** Work item area paths (`Phoenix\Web`) the team owns. */
  areas: Array<{ value: string; includeChildren: boolean }>;
  defaultArea: string;
  /** Iteration paths (`Phoenix\Sprint 1`) the team has selected. */
  iterations: string[];
  /** Users on the team (by SimIdentity id), as "Project settings > Teams > Members" lists them. */
  members?: Array<{ userId: string; isTeamAdmin: boolean }>;
}

export interface SimProject {
  id: string;
  name: string;
  description: string;
  /** The system process whose types and backlogs the project has (the base of `customProcess`). */
  process: ProcessName;
  /** Set when the project uses an inherited or XML process rather than a system one. */
  customProcess?: SimProcess;
  revision: number;
  lastUpdateTime: string;
  teams: SimTeam[];
  defaultTeamId: string;
  areas: SimNode;
  iterations: SimNode;
}

export interface SimQuery {
  id: string;
  projectId: string;
  name: string;
  path: string;
  wiql: string;
}

export interface SimPat {
  token: string;
  /** Scopes as ADO names them (`vso.work_write`); `app_token` is a full-access PAT. */
  scopes: string[];
  user: SimIdentity;
  /** ISO date; a PAT past it gets 401 "has expired". */
  validTo?: string;
  /** Made for "All accessible organizations": refused since the decommissioning of 2026-12-01. */
  global?: boolean;
}

/**
 * A service principal (or managed identity) an administrator added to the organization as a user
 * (Users page or `serviceprincipalentitlements`): matched on the Entra object id (`originId`) an
 * app-only token carries as `oid`. `scopes` stand for what its group memberships allow.
 */
export interface SimServicePrincipal {
  originId: string;
  appId: string;
  identity: SimIdentity;
  scopes: string[];
}

/** Organization and tenant policies that decide whether a PAT is honoured at all. */
export interface SimPatPolicy {
  /** Global PATs are refused (true from 2026-12-01, when Azure DevOps decommissioned them). */
  globalPatsRetired: boolean;
  /** A Conditional Access policy that also applies to non-interactive flows refuses every PAT. */
  conditionalAccess: boolean;
}

export interface SimState {
  instanceId: string;
  projects: SimProject[];
  /** Inherited and XML processes of the organization. */
  processes: SimProcess[];
  items: Map<number, SimWorkItem>;
  nextId: number;
  nextNodeId: number;
  queries: SimQuery[];
  users: SimIdentity[];
  pats: SimPat[];
  servicePrincipals: SimServicePrincipal[];
  patPolicy: SimPatPolicy;
  /** Seed instant (projects' lastUpdateTime); work item dates come from the clock (`nextChangeDate`). */
  lastChange: number;
  /** Comment ids are unique in the organization. */
  nextCommentId: number;
  /** Fields the organization created (Fields - Create); the system ones are fixed data in processes.ts. */
  customFields: SimField[];
}

/** An organization field made with Fields - Create: on no work item type until a process adds it. */
export interface SimField {
  referenceName: string;
  name: string;
  type: FieldKind;
  readOnly: boolean;
  description: string;
  isLocked: boolean;
  isDeleted: boolean;
}

/** ../shared/notes/ado-auth-and-hooks.md: global PATs were fully decommissioned on this day. */
export const GLOBAL_PAT_RETIREMENT = Date.UTC(2026, 11, 1);

export function emptyState(): SimState {
  return {
    instanceId: 'c0f8a8a6-6f5e-4d9e-9c77-0d7e1f6b1a01',
    projects: [],
    processes: [],
    items: new Map(),
    nextId: 1,
    nextNodeId: 100,
    queries: [],
    users: [],
    pats: [],
    servicePrincipals: [],
    patPolicy: { globalPatsRetired: Date.now() >= GLOBAL_PAT_RETIREMENT, conditionalAccess: false },
    lastChange: Date.UTC(2025, 0, 6, 9, 0, 0),
    nextCommentId: 1,
    customFields: [],
  };
}

/**
 * The `System.ChangedDate` of a write, from the server's clock and never ahead of it, so an
 * `asOf` of "now" right after a write finds the new revision.
 *
 * ADO keeps each item's dates strictly increasing: the revision store keys revisions by their
 * date range ([ChangedDate, RevisedDate)), and a write that sets ChangedDate itself (bypassRules)
 * must be later than the previous revision's (the same instant is refused). So `after` lists the
 * ChangedDate of every item the write touches (the item and the far ends of its links); when one
 * of them already holds this millisecond, the write waits for the clock to pass it (at most 1 ms)
 * rather than hand out a date in the future. Different items may share an instant.
 */
export function nextChangeDate(_state: SimState, after: unknown[] = []): string {
  let floor = 0;
  for (const d of after) {
    const t = typeof d === 'string' ? Date.parse(d) : NaN;
    if (Number.isFinite(t)) floor = Math.max(floor, t + 1);
  }
  let now = Date.now();
  // Only a date someone wrote with bypassRules can be more than a moment ahead; never spin on that.
  if (floor > now + 5) return new Date(floor).toISOString();
  while (now < floor) now = Date.now();
  return new Date(now).toISOString();
}

export function findProject(state: SimState, nameOrId: string): SimProject | undefined {
  const key = nameOrId.toLowerCase();
  return state.projects.find((p) => p.id === key || p.name.toLowerCase() === key);
}

export function findTeam(project: SimProject, nameOrId: string): SimTeam | undefined {
  const key = nameOrId.toLowerCase();
  return project.teams.find((t) => t.id === key || t.name.toLowerCase() === key);
}

/** Walks `Phoenix\Web\Checkout` (work item form, project name first) to its node. */
export function nodeByPath(root: SimNode, path: string): SimNode | undefined {
  const parts = path.split('\\').filter(Boolean);
  if (parts[0]?.toLowerCase() !== root.name.toLowerCase()) return undefined;
  let node: SimNode | undefined = root;
  for (const part of parts.slice(1)) {
    node = node?.children.find((c) => c.name.toLowerCase() === part.toLowerCase());
    if (!node) return undefined;
  }
  return node;
}

/** Every work item path (`Phoenix`, `Phoenix\Web`, ...) under a root node, with its node. */
export function allPaths(root: SimNode, prefix = ''): Array<{ path: string; node: SimNode }> {
  const path = prefix ? `${prefix}\\${root.name}` : root.name;
  return [{ path, node: root }, ...root.children.flatMap((c) => allPaths(c, path))];
}
