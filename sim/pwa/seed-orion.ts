import { DependencyType, EMPTY_DATE, TaskType, guidFor, type SimProject, type SimState, type SimTask } from './model.js';
import { finishProject, newProject, newTask, workResource } from './seed.js';

/**
 * "Orion Network Upgrade": a plan in flight, as real PWA data looks mid-project. Team members log
 * actuals through timesheets, so actual work is not work x % complete; progress is uneven across
 * assignments; tasks are linked finish-to-start (one with a 2-day lag), start-to-start with a lag,
 * and finish-to-finish; there are milestones with deadlines, an inactive task (kept out of the
 * roll-ups), a fixed-work task, a generic resource with no mailbox, null strings and dates with
 * fractional seconds.
 */

export const ORION = 'Orion Network Upgrade';

interface Leaf {
  key: string;
  name: string;
  parent: string | null;
  start: string;
  finish: string;
  days: number;
  percent: number;
  /** Resource name, planned hours, hours reported on timesheets. */
  work: Array<[string, number, number]>;
  milestone?: boolean;
  deadline?: string;
  inactive?: boolean;
  fixedWork?: boolean;
  notes?: string;
  modified: string;
}

const LEAVES: Leaf[] = [
  { key: '1.1', name: 'Site survey', parent: '1', start: '2026-02-02', finish: '2026-02-05', days: 4, percent: 100, work: [['Erin Park', 32, 32], ['Farid Haddad', 32, 32]], modified: '2026-02-06T09:14:27.403' },
  { key: '1.2', name: 'Network design', parent: '1', start: '2026-02-06', finish: '2026-02-12', days: 5, percent: 80, work: [['Farid Haddad', 40, 30]],
    notes: 'Core, distribution and access layers; see the design pack on the project site.', modified: '2026-02-11T17:42:03.85' },
  { key: '1.3', name: 'Design sign-off', parent: '1', start: '2026-02-12', finish: '2026-02-12', days: 0, percent: 0, work: [], milestone: true, deadline: '2026-02-13T17:00:00', modified: '2026-01-19T10:41:07.53' },
  { key: '2.1', name: 'Order hardware', parent: '2', start: '2026-02-13', finish: '2026-02-17', days: 3, percent: 100, work: [['Procurement Officer', 16, 16]], fixedWork: true, modified: '2026-02-18T08:05:44.1' },
  { key: '2.2', name: 'Install core switches', parent: '2', start: '2026-02-20', finish: '2026-02-27', days: 6, percent: 40, work: [['Erin Park', 48, 30], ['Gus Olsen', 48, 6]], modified: '2026-02-24T18:02:51.117' },
  { key: '2.3', name: 'Configure VLANs', parent: '2', start: '2026-02-23', finish: '2026-02-26', days: 4, percent: 0, work: [['Farid Haddad', 32, 0]], modified: '2026-01-19T10:41:07.53' },
  { key: '2.4', name: 'Legacy firewall migration', parent: '2', start: '2026-02-23', finish: '2026-02-25', days: 3, percent: 0, work: [['Gus Olsen', 24, 0]], inactive: true,
    notes: 'Descoped: the old firewalls retire with the data centre.', modified: '2026-02-09T13:30:00.2' },
  { key: '2.5', name: 'Cutover weekend', parent: '2', start: '2026-02-27', finish: '2026-03-02', days: 2, percent: 0, work: [['Erin Park', 16, 0]], modified: '2026-01-19T10:41:07.53' },
  { key: '3', name: 'Go-live', parent: null, start: '2026-03-02', finish: '2026-03-02', days: 0, percent: 0, work: [], milestone: true, deadline: '2026-03-06T17:00:00', modified: '2026-01-19T10:41:07.53' },
];

/** [predecessor, successor, type, lag in working days]. */
const LINKS: Array<[string, string, number, number]> = [
  ['1.1', '1.2', DependencyType.FinishStart, 0],
  ['1.2', '1.3', DependencyType.FinishStart, 0],
  ['1.3', '2.1', DependencyType.FinishStart, 0],
  ['2.1', '2.2', DependencyType.FinishStart, 2],
  ['2.2', '2.3', DependencyType.StartStart, 1],
  ['2.3', '2.5', DependencyType.FinishFinish, 0],
  ['2.5', '3', DependencyType.FinishStart, 0],
];

function leafTask(project: SimProject, state: SimState, spec: Leaf, ids: Map<string, string>): SimTask {
  const task = newTask(project, spec.name, spec.parent ? ids.get(spec.parent)! : null, spec.key);
  task.Start = spec.milestone ? `${spec.start}T17:00:00` : `${spec.start}T08:00:00`;
  task.Finish = `${spec.finish}T17:00:00`;
  task.DurationMinutes = spec.days * project.MinutesPerDay;
  task.PercentComplete = spec.percent;
  task.IsMilestone = spec.milestone === true;
  task.IsActive = spec.inactive !== true;
  task.TaskType = spec.fixedWork ? TaskType.FixedWork : TaskType.FixedUnits;
  task.Deadline = spec.deadline ?? EMPTY_DATE;
  task.Notes = spec.notes ?? '';
  task.Created = '2026-01-19T10:41:07.53';
  task.Modified = spec.modified;
  for (const [who, hours, done] of spec.work) {
    const resource = state.resources.find((r) => r.Name === who)!;
    task.assignments.push({ Id: guidFor(`assignment:${task.Id}:${who}`), ResourceId: resource.Id, WorkMinutes: hours * 60, ActualWorkMinutes: done * 60 });
  }
  task.WorkMinutes = task.assignments.reduce((s, a) => s + a.WorkMinutes, 0);
  task.ActualWorkMinutes = task.assignments.reduce((s, a) => s + a.ActualWorkMinutes, 0);
  return task;
}

export function addOrionProject(state: SimState): SimProject {
  state.resources.push(
    workResource('Erin Park', 'erin@contoso.example', { Group: 'Network' }),
    workResource('Farid Haddad', 'farid@contoso.example', { Group: 'Network' }),
    workResource('Gus Olsen', 'gus@contoso.example', { Group: null }),
    // A generic role, not a person: no mailbox, so Email is null.
    workResource('Procurement Officer', null, { IsGeneric: true, Group: 'Procurement', Initials: null }),
  );
  const project = newProject(ORION, '2026-02-02T08:00:00', {
    Description: null, CreatedDate: '2026-01-19T10:38:52.667', LastPublishedDate: '2026-02-24T18:03:12.9', LastSavedDate: '2026-02-24T18:03:09.023',
  });
  const ids = new Map<string, string>();
  // Outline order: each summary, then its leaves; Go-live last.
  for (const [key, name] of [['1', 'Planning'], ['2', 'Rollout']] as const) {
    const summary = newTask(project, name, null, key);
    summary.Created = '2026-01-19T10:41:07.53';
    summary.Modified = '2026-02-24T18:02:51.117';
    ids.set(key, summary.Id);
    project.tasks.push(summary);
    for (const spec of LEAVES.filter((l) => l.parent === key)) {
      const task = leafTask(project, state, spec, ids);
      ids.set(spec.key, task.Id);
      project.tasks.push(task);
    }
  }
  const goLive = leafTask(project, state, LEAVES.at(-1)!, ids);
  ids.set('3', goLive.Id);
  project.tasks.push(goLive);
  project.links = LINKS.map(([from, to, type, lagDays]) => ({
    Id: guidFor(`link:${ORION}:${from}->${to}`), StartId: ids.get(from)!, EndId: ids.get(to)!, DependencyType: type, LagMinutes: lagDays * project.MinutesPerDay,
  }));
  const costCenter = guidFor('cf:cost-center');
  const operations = state.lookupTables.find((t) => t.Name === 'Cost Center')?.entries.find((e) => e.FullValue === 'Operations');
  for (const task of project.tasks) if (operations) task.custom[costCenter] = [operations.Id];
  project.tasks.find((t) => t.Name === 'Install core switches')!.custom[guidFor('cf:risk')] = 'Lead time on line cards is six weeks.';
  finishProject(project);
  state.projects.push(project);
  return project;
}
