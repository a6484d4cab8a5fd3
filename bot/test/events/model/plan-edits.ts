/**
 * A person's edits between syncs. Task fields go through the real PWA connector, as an edit in
 * Project Web App would (check out, update, publish, check in): name, dates, notes, the "Create
 * event" flag, a new task, a deleted task. Assignments change in the published plan directly, as
 * Project Professional would publish them (the connector does not write assignments). And now and
 * then the organizer deletes one of PlanBridge's events in Outlook.
 */
import type { GraphSimulator } from '../../../../sim/graph/server.js';
import type { SimTask } from '../../../../sim/pwa/model.js';
import type { PwaSimulator } from '../../../../sim/pwa/server.js';
import type { PwaConnector } from '../../../src/connectors/pwa/connector.js';
import type { PlanChangeSet } from '../../../src/connectors/ppm.js';
import { workday } from '../../runs/model/backlogs.js';
import type { Random } from '../../runs/model/random.js';
import { addressOf, ourEvents, projectOf } from './calendar-view.js';
import type { History } from './history.js';
import { assign, CREATE_EVENT, ORGANIZER, PEOPLE, taskName, uuidFrom, type SeededPlan } from './plan-seed.js';

export interface Editors {
  readonly pwa: PwaSimulator;
  readonly connector: PwaConnector;
  readonly graph: GraphSimulator;
  readonly plan: SeededPlan;
  readonly history: History;
}

const short = (t: SimTask): string => `"${t.Name}" (${t.Id.slice(0, 8)})`;

/** How often each edit comes, out of 100. */
const EDITS = [['rename', 16], ['dates', 14], ['notes', 8], ['flag', 18], ['assign', 14], ['unassign', 9], ['delete', 8], ['add', 7], ['delete in Outlook', 3], ['rename in Outlook', 3]] as const;
type Edit = (typeof EDITS)[number][0];

function pickEdit(r: Random): Edit {
  let roll = r.int(0, EDITS.reduce((n, [, w]) => n + w, 0) - 1);
  for (const [edit, weight] of EDITS) if ((roll -= weight) < 0) return edit;
  return 'rename';
}

export async function editOnce(r: Random, e: Editors): Promise<void> {
  const { projectId, fieldId } = e.plan;
  const change = async (what: string, set: Omit<PlanChangeSet, 'projectId'>): Promise<void> => {
    e.history.step(what);
    await e.connector.applyChanges({ projectId, ...set });
  };
  const tasks = projectOf(e.pwa, projectId).tasks;
  const edit = tasks.length === 0 ? 'add' : pickEdit(r);
  if (edit === 'delete in Outlook') return deleteInOutlook(r, e);
  if (edit === 'rename in Outlook') return renameInOutlook(r, e);
  if (edit === 'add') {
    const summaries = tasks.filter((t) => t.IsSummary);
    const parentId = summaries.length > 0 && r.chance(0.3) ? r.pick(summaries).Id : null;
    const flag = r.chance(0.6);
    const created = { id: uuidFrom(r), parentId, name: taskName(r), start: `${workday(r.int(0, 30))}T08:00:00`, durationMinutes: r.pick([480, 960, 1440]), customFields: { [CREATE_EVENT]: flag } };
    return change(`add task "${created.name}" (${created.id.slice(0, 8)})${flag ? ' flagged' : ''}`, { creates: [created], updates: [] });
  }
  const leaves = tasks.filter((t) => !t.IsSummary);
  const task = edit === 'dates' || edit === 'assign' || edit === 'unassign' ? (leaves.length > 0 ? r.pick(leaves) : null) : r.pick(tasks);
  if (!task) return;
  switch (edit) {
    case 'rename': {
      const name = taskName(r);
      return change(`rename ${short(task)} to "${name}"`, { creates: [], updates: [{ id: task.Id, name }] });
    }
    case 'dates': {
      const update = r.chance(0.5) ? { id: task.Id, start: `${workday(r.int(0, 30))}T08:00:00` } : { id: task.Id, durationMinutes: r.pick([480, 960, 2400]) };
      return change(`move ${short(task)}: ${JSON.stringify(update).replace(/"id":"[^"]+",?/, '')}`, { creates: [], updates: [update] });
    }
    case 'notes': {
      const notes = r.chance(0.3) ? '' : `Notes ${r.int(1, 99)}`;
      return change(`notes of ${short(task)} = "${notes}"`, { creates: [], updates: [{ id: task.Id, notes }] });
    }
    case 'flag': {
      const flag = task.custom[fieldId] !== true;
      return change(`${flag ? 'flag' : 'unflag'} ${short(task)}`, { creates: [], updates: [{ id: task.Id, customFields: { [CREATE_EVENT]: flag } }] });
    }
    case 'assign': return reassign(r, e, task, true);
    case 'unassign': return reassign(r, e, task, false);
    case 'delete': return change(`delete ${short(task)}${task.IsSummary ? ' and its subtasks' : ''}`, { creates: [], updates: [], deletes: [task.Id] });
  }
}

/** Adds a person not yet on the task, or takes one off, in the published plan. */
function reassign(r: Random, e: Editors, task: SimTask, add: boolean): void {
  const resourceName = (id: string): string => e.pwa.state.resources.find((x) => x.Id === id)!.Name;
  if (add) {
    const free = PEOPLE.filter((p) => !task.assignments.some((a) => resourceName(a.ResourceId) === p.name));
    if (free.length === 0) return;
    const person = r.pick(free);
    e.history.step(`assign ${person.name} to ${short(task)}`);
    assign(r, e.pwa, task, person);
    const address = addressOf(e.graph, person);
    if (address && address !== ORGANIZER) e.history.assigned(task.Id, address);
    return;
  }
  if (task.assignments.length === 0) return;
  const gone = task.assignments.splice(r.int(0, task.assignments.length - 1), 1)[0]!;
  const person = PEOPLE.find((p) => p.name === resourceName(gone.ResourceId))!;
  e.history.step(`take ${person.name} off ${short(task)}`);
  task.WorkMinutes = task.assignments.reduce((s, a) => s + a.WorkMinutes, 0);
  const address = addressOf(e.graph, person);
  if (address && address !== ORGANIZER) e.history.unassigned(task.Id, address);
}

/** The organizer renames one of PlanBridge's events in Outlook (attendees get an update; the plan wins next sync). */
function renameInOutlook(r: Random, e: Editors): void {
  const live = ourEvents(e.graph).filter((x) => x.live);
  if (live.length === 0) return;
  const victim = r.pick(live);
  const subject = `${victim.subject} (moved to the lab)`;
  e.history.step(`rename the event "${victim.subject}" (${victim.id.slice(-10)}) in Outlook to "${subject}"`);
  e.graph.calendars.update(e.graph.directory.find(ORGANIZER)!, victim.id, { subject });
}

/** The organizer deletes one of PlanBridge's events in Outlook (its attendees get a cancellation). */
function deleteInOutlook(r: Random, e: Editors): void {
  const live = ourEvents(e.graph).filter((x) => x.live);
  if (live.length === 0) return;
  const victim = r.pick(live);
  e.history.step(`delete the event "${victim.subject}" (${victim.id.slice(-10)}) in Outlook`);
  e.graph.calendars.remove(e.graph.directory.find(ORGANIZER)!, victim.id);
  e.history.deletedInOutlook.set(victim.id, { marker: victim.marker, createdMs: victim.createdMs, endedMs: Date.now() });
}
