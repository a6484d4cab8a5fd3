import { randomUUID } from 'node:crypto';
import { demoPats } from './auth.js';
import { identityRef, makeUser } from './identities.js';
import type { SimMode } from './locations.js';
import { demoServicePrincipals } from './service-principals.js';
import { emptyState, nextChangeDate, type ProcessName, type SimIdentity, type SimNode, type SimProcess, type SimProject, type SimState, type SimTeam, type SimWorkItem } from './model.js';
import { PROCESSES, projectTypeDef } from './processes.js';
import { HIERARCHY_FORWARD, HIERARCHY_REVERSE, itemUrl } from './workitems.js';

/**
 * Seed data: the demo organization (Phoenix on Agile, plus one project per other process) and a
 * generator for big projects used by benchmarks. Items are inserted directly (no HTTP), as rev 1.
 */
export interface SeedContext {
  base: string;
  mode: SimMode;
}

export interface BigProjectOptions {
  name?: string;
  /** Total work items (default 10,000). */
  items?: number;
  /** Hierarchy depth, top first from the process backlog: Epic > Feature > Story > Task (default 4). */
  levels?: number;
  /** Children per parent (default 5). */
  fanOut?: number;
  process?: ProcessName;
}

export const DEMO_USERS = {
  dana: makeUser('6f2ad2a5-1c5e-4a8b-9f43-0b5b1b2e1d01', 'Dana Demo', 'dana@contoso.com'),
  sam: makeUser('0c1e2f3a-4b5c-4d6e-8f70-8192a3b4c502', 'Sam Lee', 'sam@contoso.com'),
  priya: makeUser('9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c03', 'Priya Patel', 'priya@contoso.com'),
  // Also resources of the PWA demo plan (sim/pwa/seed.ts), so a sync of Apollo shows real matches.
  chen: makeUser('3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e04', 'Chen Wu', 'chen.wu@contoso.com'),
  bob: makeUser('7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a05', 'Bob Lee', 'bob.lee@contoso.com'),
};

/** Phoenix's team members: the default team has everyone; the others a few each. */
function seedTeamMembers(project: SimProject): void {
  const u = DEMO_USERS;
  const members: Record<string, Array<[SimIdentity, boolean]>> = {
    'Phoenix Team': [[u.dana, true], [u.sam, false], [u.priya, false], [u.chen, false], [u.bob, false]],
    'Web Team': [[u.sam, true], [u.chen, false]],
    'Mobile Team': [[u.priya, true], [u.bob, false]],
  };
  for (const team of project.teams) {
    team.members = (members[team.name] ?? []).map(([user, isTeamAdmin]) => ({ userId: user.id, isTeamAdmin }));
  }
}

function node(state: SimState, name: string, structureType: SimNode['structureType'], children: SimNode[] = [], dates?: [string, string]): SimNode {
  const id = state.nextNodeId++;
  return {
    id, identifier: randomUUID(), name, structureType, children,
    ...(dates ? { startDate: dates[0], finishDate: dates[1] } : {}),
  };
}

function sprintDates(offsetWeeks: number): [string, string] {
  const start = new Date();
  start.setUTCHours(0, 0, 0, 0);
  start.setUTCDate(start.getUTCDate() - start.getUTCDay() + 1 + offsetWeeks * 7);
  const finish = new Date(start);
  finish.setUTCDate(finish.getUTCDate() + 11);
  return [start.toISOString(), finish.toISOString()];
}

export function addProject(
  state: SimState, name: string, process: ProcessName,
  options: { id?: string; description?: string; areas?: string[]; teams?: Array<{ name: string; area: string | null }>; customProcess?: SimProcess } = {},
): SimProject {
  const areaChildren = (options.areas ?? []).map((a) => node(state, a, 'area'));
  const iterations = [-2, 0, 2].map((w, i) => node(state, `Sprint ${i + 1}`, 'iteration', [], sprintDates(w)));
  const defaultTeam: SimTeam = { id: randomUUID(), name: `${name} Team`, description: `The default project team.`, areas: [{ value: name, includeChildren: true }], defaultArea: name, iterations: iterations.map((n) => `${name}\\${n.name}`) };
  const extra: SimTeam[] = (options.teams ?? []).map((t) => ({
    id: randomUUID(), name: t.name, description: '', areas: [{ value: t.area ? `${name}\\${t.area}` : name, includeChildren: true }],
    defaultArea: t.area ? `${name}\\${t.area}` : name, iterations: iterations.map((n) => `${name}\\${n.name}`),
  }));
  const project: SimProject = {
    id: options.id ?? randomUUID(),
    name,
    description: options.description ?? '',
    process,
    ...(options.customProcess ? { customProcess: options.customProcess } : {}),
    revision: 400 + state.projects.length,
    lastUpdateTime: new Date(state.lastChange).toISOString(),
    teams: [defaultTeam, ...extra],
    defaultTeamId: defaultTeam.id,
    areas: node(state, name, 'area', areaChildren),
    iterations: node(state, name, 'iteration', iterations),
  };
  state.projects.push(project);
  return project;
}

/** Inserts a rev-1 work item, linked both ways to its parent. */
export function insertItem(
  state: SimState, seed: SeedContext, project: SimProject, type: string, title: string,
  extra: Record<string, unknown> = {}, parent: SimWorkItem | null = null, by: SimIdentity = DEMO_USERS.dana,
): SimWorkItem {
  const id = state.nextId++;
  const def = projectTypeDef(project, type);
  if (!def) throw new Error(`Type ${type} is not in the process of ${project.name}.`);
  const now = nextChangeDate(state);
  const who = identityRef(by, seed.base);
  const fields: Record<string, unknown> = {
    'System.AreaPath': project.name,
    'System.TeamProject': project.name,
    'System.IterationPath': project.name,
    'System.WorkItemType': type,
    'System.State': def.states[0]!.name,
    'System.Reason': 'New',
    'System.CreatedDate': now,
    'System.CreatedBy': who,
    'System.ChangedDate': now,
    'System.ChangedBy': who,
    'System.AuthorizedDate': now,
    'System.CommentCount': 0,
    'System.Title': title,
    'Microsoft.VSTS.Common.StateChangeDate': now,
    ...(def.fields.includes('Microsoft.VSTS.Common.Priority') ? { 'Microsoft.VSTS.Common.Priority': 2 } : {}),
    ...extra,
  };
  const item: SimWorkItem = { id, projectId: project.id, rev: 1, fields, relations: [], revisions: [], deleted: false };
  if (parent) {
    item.relations.push({ rel: HIERARCHY_REVERSE, url: itemUrl(seed.base, parent.id), attributes: { isLocked: false, name: 'Parent' } });
    parent.relations.push({ rel: HIERARCHY_FORWARD, url: itemUrl(seed.base, id), attributes: { isLocked: false, name: 'Child' } });
    if (seed.mode === 'cloud') fields['System.Parent'] = parent.id;
  }
  item.revisions.push({ rev: 1, fields, relations: item.relations });
  state.items.set(id, item);
  return item;
}

const assigned = (seed: SeedContext, user: SimIdentity) => ({ 'System.AssignedTo': identityRef(user, seed.base) });

export function demoState(seed: SeedContext): SimState {
  const state = emptyState();
  state.users = Object.values(DEMO_USERS);
  state.pats = demoPats(DEMO_USERS.dana);
  state.servicePrincipals = demoServicePrincipals();

  const phoenix = addProject(state, 'Phoenix', 'Agile', {
    id: '2f1a3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    description: 'Online ordering for web and mobile.',
    areas: ['Web', 'Mobile'],
    teams: [{ name: 'Web Team', area: 'Web' }, { name: 'Mobile Team', area: 'Mobile' }],
  });
  seedTeamMembers(phoenix);
  const P = (type: string, title: string, extra: Record<string, unknown>, parent: SimWorkItem | null = null) => insertItem(state, seed, phoenix, type, title, extra, parent);
  const sprint1 = { 'System.IterationPath': 'Phoenix\\Sprint 1' };
  const sprint2 = { 'System.IterationPath': 'Phoenix\\Sprint 2' };
  const web = { 'System.AreaPath': 'Phoenix\\Web' };
  const mobile = { 'System.AreaPath': 'Phoenix\\Mobile' };
  const ordering = P('Epic', 'Online ordering', { 'Microsoft.VSTS.Scheduling.StartDate': '2025-01-06T00:00:00Z', 'Microsoft.VSTS.Scheduling.TargetDate': '2025-06-30T00:00:00Z', 'System.Tags': 'roadmap' });
  const checkout = P('Feature', 'Checkout', { ...web, 'System.State': 'Active' }, ordering);
  const mobileOrdering = P('Feature', 'Mobile app ordering', mobile, ordering);
  const s1 = P('User Story', 'Pay with a saved card', { ...web, ...sprint1, ...assigned(seed, DEMO_USERS.sam), 'System.State': 'Active', 'Microsoft.VSTS.Scheduling.StoryPoints': 5 }, checkout);
  P('Task', 'Card vault API client', { ...web, ...sprint1, ...assigned(seed, DEMO_USERS.sam), 'System.State': 'Active', 'Microsoft.VSTS.Scheduling.RemainingWork': 6, 'Microsoft.VSTS.Scheduling.OriginalEstimate': 8 }, s1);
  P('Task', 'Saved card picker UI', { ...web, ...sprint1, 'Microsoft.VSTS.Scheduling.RemainingWork': 5 }, s1);
  const s2 = P('User Story', 'Apply a discount code', { ...web, ...sprint2, 'Microsoft.VSTS.Scheduling.StoryPoints': 3 }, checkout);
  P('Task', 'Discount rules engine', { ...web, ...sprint2, 'Microsoft.VSTS.Scheduling.RemainingWork': 8 }, s2);
  P('Bug', 'Cart total ignores the discount', { ...web, ...sprint2, 'Microsoft.VSTS.Common.Severity': '2 - High' }, checkout);
  const s3 = P('User Story', 'Order from the mobile app', { ...mobile, ...sprint2, ...assigned(seed, DEMO_USERS.priya), 'Microsoft.VSTS.Scheduling.StoryPoints': 8 }, mobileOrdering);
  P('Task', 'Mobile cart screen', { ...mobile, ...sprint2, 'Microsoft.VSTS.Scheduling.RemainingWork': 10 }, s3);
  P('Task', 'Push notification on order status', { ...mobile, ...sprint2, 'Microsoft.VSTS.Scheduling.RemainingWork': 4 }, s3);
  const loyalty = P('Epic', 'Loyalty program', { 'System.Tags': 'roadmap; q3' });
  const points = P('Feature', 'Points balance', web, loyalty);
  const s4 = P('User Story', 'See my points balance', { ...web, 'Microsoft.VSTS.Scheduling.StoryPoints': 2 }, points);
  P('Task', 'Points ledger query', { ...web, 'Microsoft.VSTS.Scheduling.RemainingWork': 3 }, s4);
  P('User Story', 'Redeem points at checkout', { ...web, 'Microsoft.VSTS.Scheduling.StoryPoints': 5 }, points);
  state.queries.push({
    id: '8a8c8f3e-5b5e-4f0e-9d6a-3c2b1a0f9e8d', projectId: phoenix.id, name: 'Active stories', path: 'Shared Queries/Active stories',
    wiql: "SELECT [System.Id], [System.Title] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.WorkItemType] = 'User Story' AND [System.State] = 'Active' ORDER BY [System.Id]",
  });

  const small = (name: string, process: ProcessName, levels: string[]) => {
    const project = addProject(state, name, process, { description: `A ${process} process project.` });
    let parent: SimWorkItem | null = null;
    for (const [i, type] of levels.entries()) parent = insertItem(state, seed, project, type, `${name} ${type.toLowerCase()} ${i + 1}`, {}, parent);
  };
  small('Atlas', 'Scrum', ['Epic', 'Feature', 'Product Backlog Item', 'Task']);
  small('Hermes', 'Basic', ['Epic', 'Issue', 'Task']);
  small('Orion', 'CMMI', ['Epic', 'Feature', 'Requirement', 'Task']);
  return state;
}

/** The org with users and PATs but no projects. */
export function bareState(): SimState {
  const state = emptyState();
  state.users = Object.values(DEMO_USERS);
  state.pats = demoPats(DEMO_USERS.dana);
  state.servicePrincipals = demoServicePrincipals();
  return state;
}

/**
 * A big project for benchmarks: `items` work items, `levels` deep, each parent with `fanOut`
 * children, using the process's backlog levels top down (Agile: Epic > Feature > User Story > Task).
 */
export function addBigProject(state: SimState, seed: SeedContext, options: BigProjectOptions = {}): SimProject {
  const total = options.items ?? 10_000;
  const levels = options.levels ?? 4;
  const fanOut = options.fanOut ?? 5;
  const process = options.process ?? 'Agile';
  const def = PROCESSES[process];
  const types = def.backlogs.map((b) => b.types[0]!).slice(0, levels);
  if (types.length < levels) throw new Error(`The ${process} process has only ${types.length} backlog levels.`);
  const project = addProject(state, options.name ?? `Big ${total}`, process, { areas: ['Alpha', 'Beta'] });
  let weight = 0;
  for (let i = 0; i < levels; i += 1) weight += fanOut ** i;
  const roots = Math.max(1, Math.floor(total / weight));
  let previous: SimWorkItem[] = [];
  let made = 0;
  for (let level = 0; level < levels && made < total; level += 1) {
    const isLast = level === levels - 1;
    const count = isLast ? total - made : Math.min(roots * fanOut ** level, total - made);
    const current: SimWorkItem[] = [];
    for (let i = 0; i < count; i += 1) {
      const parent = previous.length > 0 ? previous[Math.min(Math.floor(i / fanOut), previous.length - 1)]! : null;
      const area = i % 2 === 0 ? 'Alpha' : 'Beta';
      current.push(insertItem(state, seed, project, types[level]!, `${types[level]} ${level + 1}.${i + 1}`, {
        'System.AreaPath': `${project.name}\\${area}`,
        'System.IterationPath': `${project.name}\\Sprint ${(i % 3) + 1}`,
      }, parent));
    }
    made += count;
    previous = current;
  }
  return project;
}
