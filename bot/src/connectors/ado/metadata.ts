import type { WorkItemClassificationNode } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces.js';
import type { AdoSession } from './session.js';
import type { AdoBacklogLevel, AdoClassificationPath, AdoField, AdoWorkItemType } from './types.js';

/** Process metadata (types, states, fields, backlog levels) and area / iteration paths of a project. */

/** `\Phoenix\Area\Web` (node path) -> `Phoenix\Web` (the form work items and WIQL use). */
export function nodePathToItemPath(nodePath: string): string {
  const parts = nodePath.split('\\').filter(Boolean);
  return [parts[0], ...parts.slice(2)].filter(Boolean).join('\\');
}

function flatten(node: WorkItemClassificationNode, depth = 0): AdoClassificationPath[] {
  const date = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : null);
  const attrs = (node.attributes ?? {}) as Record<string, unknown>;
  return [
    { path: nodePathToItemPath(node.path ?? ''), name: node.name ?? '', depth, startDate: date(attrs.startDate), finishDate: date(attrs.finishDate) },
    ...(node.children ?? []).flatMap((c) => flatten(c, depth + 1)),
  ];
}

/** Both trees in one call (getRootNodes with $depth), avoiding the library's TreeStructureGroup pitfall. */
export async function classificationPaths(session: AdoSession, project: string, depth = 10): Promise<{ areas: AdoClassificationPath[]; iterations: AdoClassificationPath[] }> {
  const op = { what: `read area and iteration paths of ${project}`, scope: 'work-read' as const, project };
  const roots = await session.call(op, async () => (await session.wit()).getRootNodes(project, depth));
  if (!roots) throw await session.explainNull(op);
  const pick = (kind: number | string) => roots.filter((r) => String(r.structureType) === String(kind) || String(r.structureType).toLowerCase() === (kind === 0 ? 'area' : 'iteration'));
  return { areas: pick(0).flatMap((r) => flatten(r)), iterations: pick(1).flatMap((r) => flatten(r)) };
}

export async function teamAreaPaths(session: AdoSession, project: string, team: string): Promise<Array<{ path: string; includeChildren: boolean }>> {
  const op = { what: `read the area paths of team ${team}`, scope: 'work-read' as const, project };
  const values = await session.call(op, async () => (await session.work()).getTeamFieldValues({ project, team }));
  if (!values) throw await session.explainNull(op);
  return (values.values ?? []).map((v) => ({ path: v.value ?? '', includeChildren: v.includeChildren ?? false }));
}

export async function teamIterations(session: AdoSession, project: string, team: string, timeframe?: 'current'): Promise<AdoClassificationPath[]> {
  const op = { what: `read the iterations of team ${team}`, scope: 'work-read' as const, project };
  const list = await session.call(op, async () => (await session.work()).getTeamIterations({ project, team }, timeframe));
  if (!list) throw await session.explainNull(op);
  const date = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : null);
  return list.map((i) => ({ path: i.path ?? '', name: i.name ?? '', depth: (i.path ?? '').split('\\').length - 1, startDate: date(i.attributes?.startDate), finishDate: date(i.attributes?.finishDate) }));
}

export async function workItemTypes(session: AdoSession, project: string): Promise<AdoWorkItemType[]> {
  const op = { what: `read work item types of ${project}`, scope: 'work-read' as const, project };
  const wit = await session.call(op, () => session.wit());
  const types = await session.call(op, () => wit.getWorkItemTypes(project));
  if (!types) throw await session.explainNull(op);
  return Promise.all(types.filter((t) => !t.isDisabled).map(async (t) => {
    // Older servers leave `states` out of the type; ask for them then.
    const states = t.states ?? (await session.call(op, () => wit.getWorkItemTypeStates(project, t.name!))) ?? [];
    const fields = (t.fieldInstances ?? t.fields ?? []).map((f) => f.referenceName).filter((r): r is string => typeof r === 'string');
    return { name: t.name!, referenceName: t.referenceName ?? '', color: t.color ?? '', states: states.map((s) => ({ name: s.name!, category: s.category ?? '' })), fields };
  }));
}

export async function fields(session: AdoSession, project?: string): Promise<AdoField[]> {
  const op = { what: 'read work item fields', scope: 'work-read' as const, ...(project ? { project } : {}) };
  const list = await session.call(op, async () => (await session.wit()).getFields(project));
  if (!list) throw await session.explainNull(op);
  return list.map((f) => ({ referenceName: f.referenceName!, name: f.name!, type: String(f.type ?? ''), readOnly: f.readOnly ?? false }));
}

const BACKLOG_KINDS: Record<string, AdoBacklogLevel['kind']> = { 0: 'portfolio', 1: 'requirement', 2: 'task', portfolio: 'portfolio', requirement: 'requirement', task: 'task' };

/** Backlog levels, top first (Epics, Features, Stories, Tasks for Agile). */
export async function backlogLevels(session: AdoSession, project: string, team?: string): Promise<AdoBacklogLevel[]> {
  const op = { what: `read the backlog levels of ${project}`, scope: 'work-read' as const, project };
  const list = await session.call(op, async () => (await session.work()).getBacklogs({ project, ...(team ? { team } : {}) }));
  if (!list) throw await session.explainNull(op);
  return list
    .map((b) => ({
      id: b.id ?? '', name: b.name ?? '', kind: BACKLOG_KINDS[String(b.type)] ?? 'portfolio', rank: b.rank ?? 0,
      types: (b.workItemTypes ?? []).map((t) => t.name!), defaultType: b.defaultWorkItemType?.name ?? b.workItemTypes?.[0]?.name ?? '',
    }))
    .sort((a, b) => b.rank - a.rank);
}
