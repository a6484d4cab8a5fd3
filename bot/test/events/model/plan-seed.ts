/**
 * The plan of one Outlook scenario as it stood before PlanBridge came, written straight into the
 * PWA simulator's state: the "Create event" task flag, a team of resources chosen to cover every
 * way a person can match the directory, and a small outline whose leaves span several days, one
 * working day, or part of a day, some flagged, with random people and notes.
 */
import { FieldType, guidFor, type SimTask } from '../../../../sim/pwa/model.js';
import { finishProject, newProject, newTask, workResource } from '../../../../sim/pwa/seed.js';
import type { PwaSimulator } from '../../../../sim/pwa/server.js';
import { workday } from '../../runs/model/backlogs.js';
import type { Random } from '../../runs/model/random.js';

export const CREATE_EVENT = 'Create event';
/** Whose calendar the events go into (the Graph simulator's demo token acts as this user). */
export const ORGANIZER = 'pm@contoso.onmicrosoft.com';

/**
 * The team: matched by e-mail (Alice, Bob, Chen; Dana has no Exchange Online mailbox but is still
 * invited), by a name only one user has (Erin, no e-mail in the plan), the organizer (never an
 * attendee of their own event), and two who match nobody (an outside address, a machine).
 */
export const PEOPLE: ReadonlyArray<{ name: string; email: string | null }> = [
  { name: 'Alice Kim', email: 'alice@contoso.example' },
  { name: 'Bob Lee', email: 'bob@contoso.example' },
  { name: 'Chen Wu', email: 'chen@contoso.example' },
  { name: 'Dana Ruiz', email: 'dana@contoso.example' },
  { name: 'Erin Park', email: null },
  { name: 'Demo PM', email: ORGANIZER },
  { name: 'Zed Outsider', email: 'zed@fabrikam.example' },
  { name: 'Test Rig', email: null },
];

const WORDS = ['Kickoff', 'Review', 'Design', 'Build', 'Test', 'Training', 'Cutover', 'Audit', 'Demo', 'Retro'];
export const taskName = (r: Random): string => `${r.pick(WORDS)} ${r.int(1, 999)}`;

/** A version-4-shaped GUID from the scenario's generator, so a seed replays the same ids. */
export function uuidFrom(r: Random): string {
  const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface SeededPlan {
  readonly projectId: string;
  /** The "Create event" custom field's id (SimTask.custom key). */
  readonly fieldId: string;
}

/** Assigns a person to a task as Project Professional would (work = the task's duration). */
export function assign(r: Random, pwa: PwaSimulator, task: SimTask, person: { name: string }): void {
  const resource = pwa.state.resources.find((x) => x.Name === person.name)!;
  task.assignments.push({ Id: uuidFrom(r), ResourceId: resource.Id, WorkMinutes: task.DurationMinutes, ActualWorkMinutes: 0 });
  task.WorkMinutes = task.assignments.reduce((s, a) => s + a.WorkMinutes, 0);
}

/** A leaf's dates: several working days, one whole working day, or two hours of one. */
function schedule(r: Random, task: SimTask): void {
  const first = r.int(0, 30);
  const day = workday(first);
  const kind = r.int(0, 2);
  if (kind === 0) {
    const days = r.int(2, 5);
    Object.assign(task, { Start: `${day}T08:00:00`, Finish: `${workday(first + days - 1)}T17:00:00`, DurationMinutes: days * 480 });
  } else if (kind === 1) {
    Object.assign(task, { Start: `${day}T08:00:00`, Finish: `${day}T17:00:00`, DurationMinutes: 480 });
  } else {
    Object.assign(task, { Start: `${day}T13:00:00`, Finish: `${day}T15:00:00`, DurationMinutes: 120 });
  }
}

export function seedEventPlan(r: Random, pwa: PwaSimulator, name: string): SeededPlan {
  const state = pwa.state;
  for (const p of PEOPLE) state.resources.push(workResource(p.name, p.email));
  const fieldId = guidFor('cf:create-event');
  state.customFields.push({ Id: fieldId, Name: CREATE_EVENT, FieldType: FieldType.FLAG, EntityTypeId: state.entityTypes.TaskEntity, LookupTableId: null, Description: 'PlanBridge: make an Outlook event of this task.', IsRequired: false, IsMultilineText: false, Formula: '' });
  const project = newProject(name, `${workday(0)}T08:00:00`);
  let key = 0;
  const leaf = (parentId: string | null): SimTask => {
    const task = newTask(project, taskName(r), parentId, String(key++));
    schedule(r, task);
    const people = [...PEOPLE];
    for (let n = r.int(0, 3); n > 0; n--) assign(r, pwa, task, people.splice(r.int(0, people.length - 1), 1)[0]!);
    if (r.chance(0.3)) task.Notes = `Notes ${r.int(1, 99)}`;
    if (r.chance(0.6)) task.custom[fieldId] = true;
    return task;
  };
  for (let n = r.int(3, 6); n > 0; n--) {
    if (r.chance(0.25)) {
      const summary = newTask(project, taskName(r), null, String(key++));
      if (r.chance(0.3)) summary.custom[fieldId] = true;
      project.tasks.push(summary);
      for (let c = r.int(1, 2); c > 0; c--) project.tasks.push(leaf(summary.Id));
    } else {
      project.tasks.push(leaf(null));
    }
  }
  finishProject(project);
  state.projects.push(project);
  return { projectId: project.Id, fieldId };
}
