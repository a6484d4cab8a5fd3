import { PlanConnectorError, type DependencyKind, type PlanDependency, type PlanProject, type PlanResource, type PlanTask, type ProjectMatch } from '../ppm.js';
import type { PwaClient, Row } from './client.js';
import type { PwaField } from './fields.js';
import { PROJECT_SELECT, toPlanProject } from './mapping.js';
import { PageMapper } from './page-mapper.js';
import { fieldReader, str, taskRowMapper } from './task-rows.js';

const TASK_SELECT = [
  'Id', 'Name', 'OutlineLevel', 'OutlinePosition', 'IsSummary', 'Start', 'Finish', 'Duration', 'Work', 'ActualWork', 'RemainingWork',
  'PercentComplete', 'Notes', 'Modified', 'Deadline', 'IsMilestone', 'IsActive', 'TaskType', 'IsSubProject',
  'Parent/Id', 'Assignments/Id', 'Assignments/Work', 'Assignments/ActualWork', 'Assignments/RemainingWork',
  'Assignments/Resource/Id', 'Assignments/Resource/Name', 'Assignments/Resource/Email',
];

/** PS.DependencyType codes (projectserver-rest-docs/DependencyType.md). */
const DEPENDENCY_KINDS: Record<number, DependencyKind> = { 0: 'finish-to-finish', 1: 'finish-to-start', 2: 'start-to-finish', 3: 'start-to-start' };

export async function listProjects(client: PwaClient): Promise<PlanProject[]> {
  const rows = await client.getAll('ProjectServer/Projects', { $select: PROJECT_SELECT, $expand: 'CheckedOutBy' });
  return rows.map(toPlanProject);
}

export async function getProject(client: PwaClient, projectId: string): Promise<PlanProject> {
  try {
    return toPlanProject(await client.get(`ProjectServer/Projects('${projectId}')`, { $select: PROJECT_SELECT, $expand: 'CheckedOutBy' }));
  } catch (err) {
    if (err instanceof PlanConnectorError && err.details.status === 404) {
      throw new PlanConnectorError('project-not-found', `There is no project with id ${projectId} in Project Web App (it may have been deleted). Pick the project again.`, err.details);
    }
    throw err;
  }
}

/** Ranks projects for "project X": exact name, then prefix, then substring, then all words present. */
export function rankProjects(projects: PlanProject[], query: string): ProjectMatch[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const words = q.split(/\s+/);
  const order = { exact: 0, prefix: 1, contains: 2, words: 3 } as const;
  const matches: ProjectMatch[] = [];
  for (const project of projects) {
    const name = project.name.toLowerCase();
    const match = name === q ? 'exact' : name.startsWith(q) ? 'prefix' : name.includes(q) ? 'contains'
      : words.every((w) => name.includes(w)) ? 'words' : null;
    if (match) matches.push({ project, match });
  }
  return matches.sort((a, b) => order[a.match] - order[b.match] || a.project.name.length - b.project.name.length || a.project.name.localeCompare(b.project.name));
}

/** Each task's predecessors, from the project's published task links (Start = predecessor, End = successor). */
export async function readDependencies(client: PwaClient, projectId: string): Promise<Map<string, PlanDependency[]>> {
  const rows = await client.getAll(`ProjectServer/Projects('${projectId}')/TaskLinks`, { $select: 'Id,DependencyType,Start/Id,End/Id', $expand: 'Start,End' });
  const byTask = new Map<string, PlanDependency[]>();
  for (const row of rows) {
    const from = str((row.Start as Row | null | undefined)?.Id);
    const to = str((row.End as Row | null | undefined)?.Id);
    if (!from || !to) continue;
    const kind = DEPENDENCY_KINDS[Number(row.DependencyType)] ?? 'finish-to-start';
    const key = to.toLowerCase();
    const list = byTask.get(key);
    if (list) list.push({ predecessorId: from, kind });
    else byTask.set(key, [{ predecessorId: from, kind }]);
  }
  return byTask;
}

/**
 * All published tasks with hierarchy, work, dependencies, assignments and task custom fields,
 * following every page. `dependencies` is `readDependencies` of the project, when the caller
 * started it already.
 */
export async function readTasks(
  client: PwaClient, project: PlanProject, taskFields: PwaField[], dependencies = readDependencies(client, project.id),
): Promise<PlanTask[]> {
  const fields = taskFields.map(fieldReader);
  const select = [...TASK_SELECT, ...fields.map((f) => f.property)].join(',');
  const pages = new PageMapper(dependencies.then((map) => taskRowMapper({ fields, minutesPerDay: project.minutesPerDay, dependencies: map })));
  const [rows] = await Promise.all([
    client.getAllConcurrently(`ProjectServer/Projects('${project.id}')/Tasks`, { $select: select, $expand: 'Parent,Assignments/Resource' }, { onPage: pages.add }),
    dependencies,
  ]);
  return pages.tasks(rows);
}

/** The project's team (ProjectResources), with e-mail addresses for matching people. */
export async function listResources(client: PwaClient, projectId: string): Promise<PlanResource[]> {
  const rows = await client.getAll(`ProjectServer/Projects('${projectId}')/ProjectResources`, { $select: 'Id,Name,Email,IsGenericResource' });
  return rows.map((row) => ({ id: String(row.Id), name: String(row.Name ?? ''), email: str(row.Email), isGeneric: row.IsGenericResource === true }));
}
