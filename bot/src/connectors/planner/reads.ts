import { PlanConnectorError, taskVersion, type PlanAssignment, type PlanDependency, type PlanFieldValue, type PlanProject, type PlanResource, type PlanTask } from '../ppm.js';
import type { DataverseClient, Row } from './client.js';
import {
  BUCKET_FIELD, PRIORITIES, PRIORITY_FIELD, PROJECT_SELECT, SPRINT_FIELD, TASK_SELECT,
  dependencyKind, hoursToMinutes, htmlToText, localDate, lower, num, str, toPlanProject,
} from './mapping.js';

/**
 * Reads of a Planner premium plan through the Dataverse Web API: projects, and a whole plan
 * (tasks, buckets, sprints, team, assignments, dependencies), one filtered query per table,
 * every page followed ("Queries and protocol" in ../shared/notes/planner-premium.md).
 */

export interface TeamMember {
  id: string;
  name: string;
  email: string | null;
  isGeneric: boolean;
}

/** Everything PlanBridge reads of one plan, as Dataverse returned it. */
export interface PlanSnapshot {
  project: PlanProject;
  tasks: Row[];
  buckets: Map<string, string>;
  sprints: Map<string, string>;
  team: Map<string, TeamMember>;
  assignments: Row[];
  dependencies: Row[];
}

const byProject = (projectId: string, column = '_msdyn_project_value'): string => `${column} eq ${projectId}`;

export async function listProjects(client: DataverseClient, timeZone: string): Promise<PlanProject[]> {
  const rows = await client.getAll('msdyn_projects', { $select: PROJECT_SELECT, $orderby: 'msdyn_subject asc' });
  return rows.map((r) => toPlanProject(r, timeZone));
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getProject(client: DataverseClient, projectId: string, timeZone: string): Promise<PlanProject> {
  const missing = (details = {}) => new PlanConnectorError('project-not-found', `There is no Planner premium plan with id ${projectId} in ${client.environmentUrl} (it may have been deleted). Pick the plan again.`, details);
  if (!GUID.test(projectId)) throw missing();
  try {
    return toPlanProject(await client.get(`msdyn_projects(${projectId})`, { $select: PROJECT_SELECT }), timeZone);
  } catch (err) {
    if (err instanceof PlanConnectorError && err.details.status === 404) throw missing(err.details);
    throw err;
  }
}

/** Team members with the e-mail of the user behind each bookable resource. */
async function readTeam(client: DataverseClient, projectId: string): Promise<Map<string, TeamMember>> {
  const rows = await client.getAll('msdyn_projectteams', {
    $select: 'msdyn_projectteamid,msdyn_name', $filter: byProject(projectId),
    $expand: 'msdyn_bookableresourceid($select=name,resourcetype;$expand=UserId($select=internalemailaddress,domainname))',
  });
  return new Map(rows.map((r) => {
    const resource = (r.msdyn_bookableresourceid as Row | null | undefined) ?? null;
    const user = (resource?.UserId as Row | null | undefined) ?? null;
    const member: TeamMember = {
      id: String(r.msdyn_projectteamid),
      name: String(r.msdyn_name ?? resource?.name ?? ''),
      email: str(user?.internalemailaddress) ?? str(user?.domainname),
      // bookableresource.resourcetype 1 is Generic: a role, not a person.
      isGeneric: Number(resource?.resourcetype) === 1,
    };
    return [lower(member.id), member];
  }));
}

const names = (rows: Row[], key: string): Map<string, string> => new Map(rows.map((r) => [lower(String(r[key])), String(r.msdyn_name ?? '')]));

/** The whole plan, one query per table in parallel (the client caps requests in flight). */
export async function readPlan(client: DataverseClient, project: PlanProject): Promise<PlanSnapshot> {
  const p = project.id;
  const [tasks, buckets, sprints, team, assignments, dependencies] = await Promise.all([
    client.getAll('msdyn_projecttasks', { $select: TASK_SELECT, $filter: byProject(p), $orderby: 'msdyn_displaysequence asc' }),
    client.getAll('msdyn_projectbuckets', { $select: 'msdyn_projectbucketid,msdyn_name', $filter: byProject(p) }),
    client.getAll('msdyn_projectsprints', { $select: 'msdyn_projectsprintid,msdyn_name,msdyn_start', $filter: byProject(p), $orderby: 'msdyn_start asc' }),
    readTeam(client, p),
    client.getAll('msdyn_resourceassignments', {
      $select: 'msdyn_resourceassignmentid,_msdyn_taskid_value,_msdyn_projectteamid_value,msdyn_effort,msdyn_effortcompleted,msdyn_effortremaining',
      $filter: byProject(p, '_msdyn_projectid_value'),
    }),
    client.getAll('msdyn_projecttaskdependencies', {
      $select: 'msdyn_projecttaskdependencyid,_msdyn_predecessortask_value,_msdyn_successortask_value,msdyn_projecttaskdependencylinktype', $filter: byProject(p),
    }),
  ]);
  return {
    project, tasks, team, assignments, dependencies,
    buckets: names(buckets, 'msdyn_projectbucketid'),
    sprints: names(sprints, 'msdyn_projectsprintid'),
  };
}

function group<T>(rows: Row[], key: string, map: (r: Row) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = str(r[key]);
    if (k) out.set(lower(k), [...(out.get(lower(k)) ?? []), map(r)]);
  }
  return out;
}

/** Tasks in outline order (parents before children, siblings by msdyn_displaysequence), with positions "2.1.3". */
function outlineOrder(rows: Row[]): Array<{ row: Row; position: string }> {
  const ids = new Set(rows.map((r) => lower(String(r.msdyn_projecttaskid))));
  const children = new Map<string | null, Row[]>();
  for (const r of rows) {
    const parent = str(r._msdyn_parenttask_value);
    const key = parent && ids.has(lower(parent)) ? lower(parent) : null;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  for (const list of children.values()) list.sort((a, b) => num(a.msdyn_displaysequence) - num(b.msdyn_displaysequence));
  const out: Array<{ row: Row; position: string }> = [];
  const walk = (parent: string | null, prefix: string): void => {
    (children.get(parent) ?? []).forEach((row, i) => {
      const position = prefix ? `${prefix}.${i + 1}` : String(i + 1);
      out.push({ row, position });
      walk(lower(String(row.msdyn_projecttaskid)), position);
    });
  };
  walk(null, '');
  return out;
}

/** The plan's tasks as PlanBridge's neutral tasks: hours to minutes, progress to %, UTC to the connection's zone. */
export function toPlanTasks(plan: PlanSnapshot, timeZone: string): PlanTask[] {
  const mpd = plan.project.minutesPerDay;
  const predecessors = group<PlanDependency>(plan.dependencies, '_msdyn_successortask_value', (d) => ({ predecessorId: String(d._msdyn_predecessortask_value), kind: dependencyKind(d.msdyn_projecttaskdependencylinktype) }));
  const assignments = group<PlanAssignment>(plan.assignments, '_msdyn_taskid_value', (a) => {
    const member = plan.team.get(lower(String(a._msdyn_projectteamid_value ?? '')));
    return {
      resourceId: String(a._msdyn_projectteamid_value ?? ''), resourceName: member?.name ?? '', resourceEmail: member?.email ?? null,
      workMinutes: hoursToMinutes(a.msdyn_effort), actualWorkMinutes: hoursToMinutes(a.msdyn_effortcompleted), remainingWorkMinutes: hoursToMinutes(a.msdyn_effortremaining),
    };
  });
  const parents = new Set(plan.tasks.map((t) => str(t._msdyn_parenttask_value)).filter((p): p is string => p !== null).map(lower));
  return outlineOrder(plan.tasks).map(({ row, position }) => {
    const id = String(row.msdyn_projecttaskid);
    const customFields: Record<string, PlanFieldValue> = {};
    const bucket = plan.buckets.get(lower(String(row._msdyn_projectbucket_value ?? '')));
    if (bucket !== undefined) customFields[BUCKET_FIELD] = bucket;
    const sprint = plan.sprints.get(lower(String(row._msdyn_projectsprint_value ?? '')));
    if (sprint !== undefined) customFields[SPRINT_FIELD] = sprint;
    const priority = PRIORITIES[Number(row.msdyn_priority)];
    if (priority) customFields[PRIORITY_FIELD] = priority;
    const task: Omit<PlanTask, 'version'> = {
      id,
      parentId: str(row._msdyn_parenttask_value),
      outlineLevel: num(row.msdyn_outlinelevel) || position.split('.').length,
      outlinePosition: position,
      isSummary: row.msdyn_summary === true || parents.has(lower(id)),
      // Planner premium has no inserted projects.
      isSubProject: false,
      name: String(row.msdyn_subject ?? ''),
      start: localDate(row.msdyn_start, timeZone),
      finish: localDate(row.msdyn_finish, timeZone),
      durationMinutes: Math.round(num(row.msdyn_duration) * mpd),
      workMinutes: hoursToMinutes(row.msdyn_effort),
      // As Dataverse holds them (completed = effort x progress, remaining = the rest), never derived here.
      actualWorkMinutes: hoursToMinutes(row.msdyn_effortcompleted),
      remainingWorkMinutes: hoursToMinutes(row.msdyn_effortremaining),
      // msdyn_progress is a 0..1 fraction [3P]; Project shows whole percents.
      percentComplete: Math.round(num(row.msdyn_progress) * 100),
      notes: htmlToText(row.msdyn_description),
      deadline: null,
      isMilestone: row.msdyn_ismilestone === true,
      isActive: Number(row.statecode ?? 0) === 0,
      taskType: null,
      predecessors: predecessors.get(lower(id)) ?? [],
      assignments: assignments.get(lower(id)) ?? [],
      customFields,
      modified: localDate(row.modifiedon, timeZone),
    };
    return { ...task, version: taskVersion(task, row.versionnumber) };
  });
}

export async function listResources(client: DataverseClient, projectId: string): Promise<PlanResource[]> {
  return [...(await readTeam(client, projectId)).values()].map((m) => ({ id: m.id, name: m.name, email: m.email, isGeneric: m.isGeneric }));
}
