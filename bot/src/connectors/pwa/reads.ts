import { PlanConnectorError, type PlanFieldValue, type PlanProject, type PlanTask, type ProjectMatch } from '../ppm.js';
import type { PwaClient, Row } from './client.js';
import { fromPwaDate } from './dates.js';
import type { PwaField } from './fields.js';
import { PROJECT_SELECT, taskPropertyName, toPlanProject } from './mapping.js';
import { parsePwaDuration } from './units.js';

const TASK_SELECT = [
  'Id', 'Name', 'OutlineLevel', 'OutlinePosition', 'IsSummary', 'Start', 'Finish', 'Duration', 'Work', 'PercentComplete', 'Notes', 'Modified',
  'Parent/Id', 'Assignments/Id', 'Assignments/Work', 'Assignments/Resource/Id', 'Assignments/Resource/Name',
];

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

/** All published tasks with hierarchy, assignments and task custom fields, following every page. */
export async function readTasks(client: PwaClient, project: PlanProject, taskFields: PwaField[]): Promise<PlanTask[]> {
  const select = [...TASK_SELECT, ...taskFields.map((f) => taskPropertyName(f.internalName))].join(',');
  const rows = await client.getAll(`ProjectServer/Projects('${project.id}')/Tasks`, { $select: select, $expand: 'Parent,Assignments/Resource' });
  const mpd = project.minutesPerDay;
  return rows.map((row): PlanTask => {
    const parent = row.Parent as Row | null | undefined;
    const customFields: Record<string, PlanFieldValue> = {};
    for (const field of taskFields) {
      const raw = row[taskPropertyName(field.internalName)];
      if (raw !== undefined && raw !== null) customFields[field.name] = customValue(field, raw);
    }
    const modified = fromPwaDate(row.Modified);
    return {
      id: String(row.Id),
      parentId: parent && typeof parent.Id === 'string' ? parent.Id : null,
      outlineLevel: Number(row.OutlineLevel),
      outlinePosition: String(row.OutlinePosition ?? ''),
      isSummary: row.IsSummary === true,
      name: String(row.Name ?? ''),
      start: fromPwaDate(row.Start),
      finish: fromPwaDate(row.Finish),
      durationMinutes: parsePwaDuration(row.Duration as string | undefined, mpd) ?? 0,
      workMinutes: parsePwaDuration(row.Work as string | undefined, mpd) ?? 0,
      percentComplete: Number(row.PercentComplete ?? 0),
      notes: typeof row.Notes === 'string' ? row.Notes : '',
      assignments: ((row.Assignments as Row[] | undefined) ?? []).map((a) => {
        const resource = (a.Resource as Row | null | undefined) ?? {};
        return { resourceId: String(resource.Id ?? ''), resourceName: String(resource.Name ?? ''), workMinutes: parsePwaDuration(a.Work as string | undefined, mpd) ?? 0 };
      }),
      customFields,
      modified,
      version: modified ?? '',
    };
  });
}
