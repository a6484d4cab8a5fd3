import { finishFor, recomputeOutline } from './outline.js';
import {
  EMPTY_DATE, FieldType, ProjectType, ResourceType, TaskType, emptyState, guidFor,
  type SimCalendar, type SimProject, type SimResource, type SimState, type SimTask,
} from './model.js';

/** Demo data: a few projects with real-looking outlines, resources and one lookup-backed field. */

const SEED_TIME = '2026-01-05T09:00:00';
const MINUTES_PER_DAY = 480;
/** The enterprise Standard calendar every demo project uses. */
export const STANDARD_CALENDAR_ID = guidFor('calendar:standard');

interface TaskSpec {
  name: string;
  days?: number;
  percent?: number;
  notes?: string;
  who?: string[];
  children?: TaskSpec[];
}

export function newProject(name: string, start: string, extra: Partial<SimProject> = {}): SimProject {
  return {
    Id: guidFor(`project:${name}`),
    Name: name,
    Description: `${name} (demo project)`,
    ProjectType: ProjectType.Project,
    StartDate: start,
    FinishDate: start,
    CreatedDate: SEED_TIME,
    LastPublishedDate: SEED_TIME,
    LastSavedDate: SEED_TIME,
    MinutesPerDay: MINUTES_PER_DAY,
    MinutesPerWeek: MINUTES_PER_DAY * 5,
    DaysPerMonth: 20,
    OwnerId: 'demo\\pm',
    tasks: [],
    links: [],
    draft: null,
    draftLinks: null,
    checkout: null,
    CalendarId: STANDARD_CALENDAR_ID,
    ...extra,
  };
}

export function newTask(project: SimProject, name: string, parentId: string | null, key: string): SimTask {
  return {
    Id: guidFor(`task:${project.Name}:${key}`),
    Name: name,
    ParentId: parentId,
    OutlineLevel: 1,
    OutlinePosition: '',
    IsSummary: false,
    Start: project.StartDate,
    Finish: finishFor(project.StartDate, MINUTES_PER_DAY, project.MinutesPerDay),
    DurationMinutes: project.MinutesPerDay,
    WorkMinutes: 0,
    PercentComplete: 0,
    ActualWorkMinutes: 0,
    Deadline: EMPTY_DATE,
    IsActive: true,
    TaskType: TaskType.FixedUnits,
    Notes: '',
    IsManual: false,
    IsMilestone: false,
    Created: SEED_TIME,
    Modified: SEED_TIME,
    custom: {},
    assignments: [],
  };
}

/** Lays out leaves one after another from the project start, like a simple finish-to-start chain. */
function addOutline(state: SimState, project: SimProject, specs: TaskSpec[], parentId: string | null, cursor: { start: string; key: number }): void {
  for (const spec of specs) {
    cursor.key += 1;
    const task = newTask(project, spec.name, parentId, String(cursor.key));
    task.Notes = spec.notes ?? '';
    task.PercentComplete = spec.percent ?? 0;
    project.tasks.push(task);
    if (spec.children && spec.children.length > 0) {
      addOutline(state, project, spec.children, task.Id, cursor);
      continue;
    }
    const days = spec.days ?? 3;
    task.Start = cursor.start.slice(0, 10) + 'T08:00:00';
    task.DurationMinutes = days * project.MinutesPerDay;
    task.Finish = finishFor(task.Start, task.DurationMinutes, project.MinutesPerDay);
    for (const who of spec.who ?? []) {
      const resource = state.resources.find((r) => r.Name === who);
      if (!resource) continue;
      // Progress reported as planned: actual work is work x % complete on each assignment.
      const actual = Math.round((task.DurationMinutes * task.PercentComplete) / 100);
      task.assignments.push({ Id: guidFor(`assignment:${task.Id}:${who}`), ResourceId: resource.Id, WorkMinutes: task.DurationMinutes, ActualWorkMinutes: actual });
    }
    task.WorkMinutes = task.assignments.reduce((sum, a) => sum + a.WorkMinutes, 0);
    task.ActualWorkMinutes = task.assignments.reduce((sum, a) => sum + a.ActualWorkMinutes, 0);
    // The next leaf starts the working day after this one finishes.
    cursor.start = finishFor(task.Finish.slice(0, 10) + 'T08:00:00', 2 * project.MinutesPerDay, project.MinutesPerDay).slice(0, 10) + 'T08:00:00';
  }
}

export function finishProject(project: SimProject): void {
  recomputeOutline(project.tasks, project.MinutesPerDay);
  if (project.tasks.length > 0) {
    project.StartDate = project.tasks.map((t) => t.Start).sort()[0]!;
    project.FinishDate = project.tasks.map((t) => t.Finish).sort().at(-1)!;
  }
}

const APOLLO: TaskSpec[] = [
  { name: 'Discovery', children: [
    { name: 'Stakeholder interviews', days: 4, percent: 100, who: ['Alice Kim'], notes: 'Interview the five regional leads.' },
    { name: 'Requirements', children: [
      { name: 'Functional requirements', days: 5, percent: 60, who: ['Alice Kim', 'Bob Lee'] },
      { name: 'Non-functional requirements', days: 3, percent: 20, who: ['Bob Lee'] },
    ] },
  ] },
  { name: 'Build', children: [
    { name: 'Backend', children: [
      { name: 'API', children: [
        { name: 'Design API contract', days: 2, who: ['Chen Wu'] },
        { name: 'Implement endpoints', days: 8, who: ['Chen Wu', 'Bob Lee'], notes: 'Includes paging and retries.' },
      ] },
      { name: 'Data migration', days: 5, who: ['Dana Ruiz'] },
    ] },
    { name: 'Frontend', children: [
      { name: 'Dashboard screens', days: 6, who: ['Dana Ruiz'] },
    ] },
  ] },
  { name: 'Launch', children: [
    { name: 'User acceptance testing', days: 5, who: ['Alice Kim'] },
    { name: 'Go-live', days: 1 },
  ] },
];

const APOLLO_ROLLOUT: TaskSpec[] = [
  { name: 'Pilot', children: [
    { name: 'Pilot site setup', days: 3, who: ['Bob Lee'] },
    { name: 'Pilot feedback', days: 4, who: ['Alice Kim'] },
  ] },
  { name: 'Regional rollout', children: [
    { name: 'EMEA', days: 10, who: ['Dana Ruiz'] },
    { name: 'Americas', days: 10, who: ['Chen Wu'] },
  ] },
];

const HERMES: TaskSpec[] = [
  { name: 'Content audit', days: 5, percent: 100, who: ['Dana Ruiz'] },
  { name: 'Redesign', children: [
    { name: 'Wireframes', days: 4, percent: 50, who: ['Dana Ruiz'] },
    { name: 'Visual design', days: 6, who: ['Dana Ruiz'] },
  ] },
];

export function workResource(name: string, email: string | null, extra: Partial<SimResource> = {}): SimResource {
  return {
    Id: guidFor(`resource:${name}`), Name: name, Email: email,
    Initials: name.split(/\s+/).map((w) => w[0]).join('').toUpperCase(), Group: null,
    ResourceType: ResourceType.Work, IsGeneric: false, IsActive: true, Created: SEED_TIME, Modified: SEED_TIME,
    ...extra,
  };
}

/**
 * Monday to Friday, 08:00-17:00, as outline.ts schedules. Its holidays fall after every demo plan
 * ends, because the simulator's scheduler does not skip them.
 */
function standardCalendar(): SimCalendar {
  const holidays: Array<[string, string]> = [['Christmas Day', '2026-12-25'], ['Boxing Day', '2026-12-28'], ['New Year', '2027-01-01']];
  return {
    Id: STANDARD_CALENDAR_ID, Name: 'Standard', IsStandardCalendar: true, Created: '2025-11-03T10:12:44.217', Modified: '2025-12-15T16:03:09.5',
    exceptions: holidays.map(([name, day], i) => ({ Id: i + 1, Name: name, Start: `${day}T00:00:00`, Finish: `${day}T23:59:00` })),
  };
}

/** The default seed `npm run sim` serves. */
export function demoState(): SimState {
  const state = emptyState();
  for (const [name, email] of [['Alice Kim', 'alice'], ['Bob Lee', 'bob'], ['Chen Wu', 'chen'], ['Dana Ruiz', 'dana']] as const) {
    state.resources.push(workResource(name, `${email}@contoso.example`));
  }
  state.calendars.push(standardCalendar());
  const costCenters = { Id: guidFor('lookup:cost-center'), Name: 'Cost Center', FieldType: FieldType.TEXT, entries: [] as SimState['lookupTables'][number]['entries'] };
  ['Engineering', 'Marketing', 'Operations'].forEach((v, i) =>
    costCenters.entries.push({ Id: guidFor(`lookup:cost-center:${v}`), FullValue: v, Description: '', SortIndex: i + 1 }));
  state.lookupTables.push(costCenters);
  state.customFields.push(
    { Id: guidFor('cf:cost-center'), Name: 'Cost Center', FieldType: FieldType.TEXT, EntityTypeId: state.entityTypes.TaskEntity, LookupTableId: costCenters.Id, Description: 'Budget owner', IsRequired: false, IsMultilineText: false, Formula: '' },
    { Id: guidFor('cf:risk'), Name: 'Risk Notes', FieldType: FieldType.TEXT, EntityTypeId: state.entityTypes.TaskEntity, LookupTableId: null, Description: '', IsRequired: false, IsMultilineText: true, Formula: '' },
  );

  const specs: Array<[string, string, TaskSpec[], Partial<SimProject>?]> = [
    ['Apollo', '2026-03-02T08:00:00', APOLLO],
    ['Apollo Rollout', '2026-06-01T08:00:00', APOLLO_ROLLOUT],
    ['Hermes Website Refresh', '2026-04-06T08:00:00', HERMES],
    ['Legacy CRM Retirement', '2025-01-06T08:00:00', [{ name: 'Decommission', days: 5, percent: 100 }], { ProjectType: ProjectType.Inactive }],
  ];
  for (const [name, start, outline, extra] of specs) {
    const project = newProject(name, start, extra);
    addOutline(state, project, outline, null, { start, key: 0 });
    finishProject(project);
    state.projects.push(project);
  }
  const apollo = state.projects[0]!;
  const engineering = costCenters.entries[0]!;
  for (const task of apollo.tasks.filter((t) => t.OutlinePosition.startsWith('2'))) {
    task.custom[guidFor('cf:cost-center')] = [engineering.Id];
  }
  return state;
}

export interface BigProjectOptions {
  name?: string;
  tasks?: number;
  levels?: number;
}

/**
 * A large project for benchmarks: `tasks` tasks in `levels` outline levels (defaults 5,000 and 5),
 * generated depth-first with the smallest branching factor that reaches the count.
 */
export function addBigProject(state: SimState, options: BigProjectOptions = {}): SimProject {
  const total = options.tasks ?? 5000;
  const levels = options.levels ?? 5;
  let branching = 2;
  while (Array.from({ length: levels }, (_, i) => branching ** (i + 1)).reduce((a, b) => a + b, 0) < total) branching += 1;
  const project = newProject(options.name ?? `Big Project ${total}`, '2026-01-05T08:00:00');
  const alice = state.resources[0];
  let made = 0;
  let day = 0;
  const grow = (parentId: string | null, level: number): void => {
    for (let i = 0; i < branching && made < total; i += 1) {
      made += 1;
      const task = newTask(project, `Task ${made}`, parentId, String(made));
      project.tasks.push(task);
      if (level < levels && made < total) {
        grow(task.Id, level + 1);
        if (project.tasks.at(-1) !== task) continue;
      }
      task.Start = finishFor('2026-01-05T08:00:00', (day % 200 + 1) * project.MinutesPerDay, project.MinutesPerDay).slice(0, 10) + 'T08:00:00';
      task.DurationMinutes = (1 + (made % 5)) * project.MinutesPerDay;
      task.Finish = finishFor(task.Start, task.DurationMinutes, project.MinutesPerDay);
      task.PercentComplete = (made * 7) % 101;
      const actual = Math.round((task.DurationMinutes * task.PercentComplete) / 100);
      if (alice) task.assignments.push({ Id: guidFor(`assignment:${task.Id}`), ResourceId: alice.Id, WorkMinutes: task.DurationMinutes, ActualWorkMinutes: actual });
      task.WorkMinutes = task.DurationMinutes;
      task.ActualWorkMinutes = actual;
      day += 1;
    }
  };
  grow(null, 1);
  finishProject(project);
  state.projects.push(project);
  return project;
}
