import type { TypeDef } from './processes.js';

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
  fields: Record<string, unknown>;
  relations: SimRelation[];
  revisions: SimRevision[];
  deleted: boolean;
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
  /** Last ChangedDate handed out; dates strictly increase, as ADO's do. */
  lastChange: number;
}

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
    lastChange: Date.UTC(2025, 0, 6, 9, 0, 0),
  };
}

/** A strictly increasing ISO timestamp for ChangedDate / revisedDate. */
export function nextChangeDate(state: SimState): string {
  state.lastChange = Math.max(state.lastChange + 10, Date.now());
  return new Date(state.lastChange).toISOString();
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
