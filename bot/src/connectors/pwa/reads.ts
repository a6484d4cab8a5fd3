import { PlanConnectorError, taskVersion, type DependencyKind, type PlanDependency, type PlanFieldValue, type PlanProject, type PlanResource, type PlanTask, type PlanTaskType, type ProjectMatch } from '../ppm.js';
import type { PwaClient, Row } from './client.js';
import { fromPwaDate } from './dates.js';
import type { PwaField } from './fields.js';
import { PROJECT_SELECT, taskPropertyName, toPlanProject } from './mapping.js';
import { parsePwaDuration } from './units.js';

const TASK_SELECT = [
  'Id', 'Name', 'OutlineLevel', 'OutlinePosition', 'IsSummary', 'Start', 'Finish', 'Duration', 'Work', 'ActualWork', 'RemainingWork',
  'PercentComplete', 'Notes', 'Modified', 'Deadline', 'IsMilestone', 'IsActive', 'TaskType', 'IsSubProject',
  'Parent/Id', 'Assignments/Id', 'Assignments/Work', 'Assignments/ActualWork', 'Assignments/RemainingWork',
  'Assignments/Resource/Id', 'Assignments/Resource/Name', 'Assignments/Resource/Email',
];

/** PS.DependencyType codes (projectserver-rest-docs/DependencyType.md). */
const DEPENDENCY_KINDS: Record<number, DependencyKind> = { 0: 'finish-to-finish', 1: 'finish-to-start', 2: 'start-to-finish', 3: 'start-to-start' };
/** PS TaskType codes (projectserver-rest-docs/TaskType.md); 1000 is Project's internal placeholder. */
const TASK_TYPES: Record<number, PlanTaskType> = { 0: 'fixed-units', 1: 'fixed-duration', 2: 'fixed-work' };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

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

function customValue(field: PwaField, raw: unknown): PlanFieldValue {
  if (raw === null || raw === undefined) return null;
  if (field.entries.length > 0 || Array.isArray(raw)) {
    const items = Array.isArray(raw) ? raw : [raw];
    return items.map((i) => field.entries.find((e) => e.internalName.toLowerCase() === String(i).toLowerCase())?.value ?? String(i));
  }
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return String(raw);
}

/** Each task's predecessors, from the project's published task links (Start = predecessor, End = successor). */
async function readDependencies(client: PwaClient, projectId: string): Promise<Map<string, PlanDependency[]>> {
  const rows = await client.getAll(`ProjectServer/Projects('${projectId}')/TaskLinks`, { $select: 'Id,DependencyType,Start/Id,End/Id', $expand: 'Start,End' });
  const byTask = new Map<string, PlanDependency[]>();
  for (const row of rows) {
    const from = str((row.Start as Row | null | undefined)?.Id);
    const to = str((row.End as Row | null | undefined)?.Id);
    if (!from || !to) continue;
    const kind = DEPENDENCY_KINDS[Number(row.DependencyType)] ?? 'finish-to-start';
    byTask.set(to.toLowerCase(), [...(byTask.get(to.toLowerCase()) ?? []), { predecessorId: from, kind }]);
  }
  return byTask;
}

/** All published tasks with hierarchy, work, dependencies, assignments and task custom fields, following every page. */
export async function readTasks(client: PwaClient, project: PlanProject, taskFields: PwaField[]): Promise<PlanTask[]> {
  const select = [...TASK_SELECT, ...taskFields.map((f) => taskPropertyName(f.internalName))].join(',');
  const [rows, dependencies] = await Promise.all([
    client.getAllConcurrently(`ProjectServer/Projects('${project.id}')/Tasks`, { $select: select, $expand: 'Parent,Assignments/Resource' }),
    readDependencies(client, project.id),
  ]);
  const mpd = project.minutesPerDay;
  const minutes = (v: unknown): number => parsePwaDuration(v as string | undefined, mpd) ?? 0;
  return rows.map((row): PlanTask => {
    const parent = row.Parent as Row | null | undefined;
    const customFields: Record<string, PlanFieldValue> = {};
    for (const field of taskFields) {
      const raw = row[taskPropertyName(field.internalName)];
      if (raw !== undefined && raw !== null) customFields[field.name] = customValue(field, raw);
    }
    const modified = fromPwaDate(row.Modified);
    const id = String(row.Id);
    const task: Omit<PlanTask, 'version'> = {
      id,
      parentId: parent && typeof parent.Id === 'string' ? parent.Id : null,
      outlineLevel: Number(row.OutlineLevel),
      outlinePosition: String(row.OutlinePosition ?? ''),
      isSummary: row.IsSummary === true,
      name: String(row.Name ?? ''),
      start: fromPwaDate(row.Start),
      finish: fromPwaDate(row.Finish),
      durationMinutes: minutes(row.Duration),
      workMinutes: minutes(row.Work),
      actualWorkMinutes: minutes(row.ActualWork),
      remainingWorkMinutes: minutes(row.RemainingWork),
      percentComplete: Number(row.PercentComplete ?? 0),
      notes: typeof row.Notes === 'string' ? row.Notes : '',
      deadline: fromPwaDate(row.Deadline),
      isMilestone: row.IsMilestone === true,
      // Absent means active: only Project 2010+ plans can inactivate a task.
      isActive: row.IsActive !== false,
      taskType: TASK_TYPES[Number(row.TaskType)] ?? null,
      isSubProject: row.IsSubProject === true,
      predecessors: dependencies.get(id.toLowerCase()) ?? [],
      assignments: ((row.Assignments as Row[] | undefined) ?? []).map((a) => {
        const resource = (a.Resource as Row | null | undefined) ?? {};
        return {
          resourceId: String(resource.Id ?? ''), resourceName: String(resource.Name ?? ''), resourceEmail: str(resource.Email),
          workMinutes: minutes(a.Work), actualWorkMinutes: minutes(a.ActualWork), remainingWorkMinutes: minutes(a.RemainingWork),
        };
      }),
      customFields,
      modified,
    };
    return { ...task, version: taskVersion(task, task.modified) };
  });
}

/** The project's team (ProjectResources), with e-mail addresses for matching people. */
export async function listResources(client: PwaClient, projectId: string): Promise<PlanResource[]> {
  const rows = await client.getAll(`ProjectServer/Projects('${projectId}')/ProjectResources`, { $select: 'Id,Name,Email,IsGenericResource' });
  return rows.map((row) => ({ id: String(row.Id), name: String(row.Name ?? ''), email: str(row.Email), isGeneric: row.IsGenericResource === true }));
}
