/**
 * Random starting backlogs and random user edits, on both sides. Starting data goes straight into
 * the simulators' state (data that existed before PlanBridge came); edits go through the real
 * connectors, as a person editing in ADO, Project Web App or Planner premium would (a Planner
 * edit reaches Dataverse only through the Project schedule APIs' operation sets).
 */
import { addProject, insertItem } from '../../../../sim/ado/seed.js';
import { addContosoAgile } from '../../../../sim/ado/seed-processes.js';
import { projectTypeDef, typeFields } from '../../../../sim/ado/processes.js';
import type { AdoSimulator } from '../../../../sim/ado/server.js';
import { rollUpProject } from '../../../../sim/dataverse/rollup.js';
import type { DataverseSimulator } from '../../../../sim/dataverse/server.js';
import type { Row } from '../../../../sim/dataverse/store.js';
import { LICENSED_USER } from '../../../../sim/dataverse/users.js';
import { finishFor } from '../../../../sim/pwa/outline.js';
import { finishProject, newProject, newTask } from '../../../../sim/pwa/seed.js';
import type { PwaSimulator } from '../../../../sim/pwa/server.js';
import type { AdoConnector } from '../../../src/connectors/ado/connector.js';
import type { PlannerConnector } from '../../../src/connectors/planner/connector.js';
import type { PlanTaskUpdate } from '../../../src/connectors/ppm.js';
import type { PwaConnector } from '../../../src/connectors/pwa/connector.js';
import { siteLocalToUtc } from '../../../src/connectors/pwa/dates.js';
import { dayToAdo } from '../../../src/sync/mapping/dates.js';
import { PROCESSES, type ProcessName } from '../../../src/sync/processes.js';
import type { Random } from './random.js';

const WORDS = ['Checkout', 'Payments', 'Search', 'Profile', 'Reports', 'Export', 'Login', 'Cart', 'Billing', 'Alerts', 'Audit', 'Import'];
const SCHED = 'Microsoft.VSTS.Scheduling';
const FIRST_MONDAY = Date.UTC(2026, 0, 5);

/** A weekday `n` working days after 2026-01-05 (Project moves weekend starts to Monday). */
export function workday(n: number): string {
  const week = Math.floor(n / 5);
  return new Date(FIRST_MONDAY + (week * 7 + (n % 5)) * 86_400_000).toISOString().slice(0, 10);
}

/** A version-4-shaped GUID from the scenario's generator, so a seed replays the same ids. */
function uuidFrom(r: Random): string {
  const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const title = (r: Random, prefix: string): string => `${r.pick(WORDS)} ${prefix}${r.int(1, 999)}`;

export interface AdoProjectSpec {
  readonly name: string;
  /** The process as the organization names it: a system one or the inherited "Contoso Agile". */
  readonly processLabel: string;
  readonly base: ProcessName;
}

export function seedAdoBacklog(r: Random, ado: AdoSimulator, spec: AdoProjectSpec, zone: string): void {
  const state = ado.state;
  const seed = { base: ado.url, mode: ado.mode };
  const project = addProject(state, spec.name, spec.base, spec.processLabel === 'Contoso Agile' ? { customProcess: addContosoAgile(state) } : {});
  const p = PROCESSES[spec.base];
  const levels = [...p.levels, p.leafType];
  const grow = (depth: number, parent: ReturnType<typeof insertItem> | null): void => {
    const type = levels[depth]!;
    const count = depth === 0 ? r.int(1, 2) : r.int(0, 2);
    for (let n = 0; n < count; n++) {
      const leaf = depth === levels.length - 1;
      const start = r.int(0, 40);
      const fields: Record<string, unknown> = {};
      const has = (f: string): boolean => typeFields(projectTypeDef(project, type)!).has(f.toLowerCase());
      if (r.chance(0.6)) fields[`${SCHED}.StartDate`] = dayToAdo(workday(start), zone);
      if (r.chance(0.6)) fields[leaf || type === p.requirementType ? `${SCHED}.FinishDate` : `${SCHED}.TargetDate`] = dayToAdo(workday(start + r.int(1, 10)), zone);
      for (const f of Object.keys(fields)) if (!has(f)) delete fields[f];
      if (leaf && r.chance(0.7)) fields[`${SCHED}.RemainingWork`] = r.int(1, 16);
      if (leaf && (spec.base === 'Agile' || spec.base === 'CMMI') && r.chance(0.4)) fields[`${SCHED}.OriginalEstimate`] = r.int(1, 24);
      if (r.chance(0.5)) fields['System.State'] = r.pick(projectTypeDef(project, type)!.states.map((st) => st.name));
      const item = insertItem(state, seed, project, type, title(r, 'A'), fields, parent);
      if (!leaf) grow(depth + 1, item);
    }
  };
  grow(0, null);
}

export function seedPlan(r: Random, pwa: PwaSimulator, name: string): string {
  const project = newProject(name, `${workday(0)}T08:00:00`);
  let key = 0;
  const add = (depth: number, parentId: string | null): void => {
    const count = depth === 0 ? r.int(1, 2) : r.int(0, 3);
    for (let n = 0; n < count; n++) {
      const task = newTask(project, title(r, 'P'), parentId, String(key++));
      project.tasks.push(task);
      if (depth < 3 && r.chance(0.5)) add(depth + 1, task.Id);
      else {
        task.Start = `${workday(r.int(0, 40))}T08:00:00`;
        task.DurationMinutes = r.int(1, 5) * project.MinutesPerDay;
        task.Finish = finishFor(task.Start, task.DurationMinutes, project.MinutesPerDay);
        task.WorkMinutes = r.int(0, 40) * 60;
        task.PercentComplete = r.pick([0, 0, 25, 50, 100]);
      }
    }
  };
  add(0, null);
  finishProject(project);
  pwa.state.projects.push(project);
  return project.Id;
}

/**
 * A Planner premium plan as it stood before PlanBridge came: a project, its bucket and a task tree
 * of the same shape as seedPlan's, leaves from 09:00 to 17:00 in the users' zone; the scheduling
 * engine's roll-up then computes the summaries, as Dataverse holds them.
 */
export function seedPlannerPlan(r: Random, dataverse: DataverseSimulator, name: string, zone: string): string {
  const store = dataverse.state;
  const owner = LICENSED_USER.systemuserid;
  const projectId = uuidFrom(r);
  const bucketId = uuidFrom(r);
  const at = (day: string, time: string): string => siteLocalToUtc(`${day}T${time}`, zone);
  const start = at(workday(0), '09:00:00');
  store.insert('msdyn_project', 'msdyn_projectid', {
    msdyn_projectid: projectId, msdyn_subject: name, msdyn_description: null, msdyn_scheduledstart: start, msdyn_start: start, msdyn_finish: start,
    msdyn_duration: 0, msdyn_effort: 0, msdyn_effortcompleted: 0, msdyn_effortremaining: 0, msdyn_progress: 0, _msdyn_projectmanager_value: owner,
  }, owner);
  store.insert('msdyn_projectbucket', 'msdyn_projectbucketid', { msdyn_projectbucketid: bucketId, msdyn_name: 'Bucket 1', _msdyn_project_value: projectId }, owner);
  let sequence = 0;
  const add = (depth: number, parentId: string | null): void => {
    const count = depth === 0 ? r.int(1, 2) : r.int(0, 3);
    for (let n = 0; n < count; n++) {
      const id = uuidFrom(r);
      const row: Row = {
        msdyn_projecttaskid: id, msdyn_subject: title(r, 'P'), msdyn_description: null, _msdyn_project_value: projectId, _msdyn_parenttask_value: parentId,
        msdyn_outlinelevel: depth + 1, msdyn_displaysequence: ++sequence, msdyn_wbsid: '', msdyn_start: null, msdyn_finish: null, msdyn_scheduledstart: null, msdyn_scheduledend: null,
        msdyn_duration: 0, msdyn_effort: 0, msdyn_effortcompleted: 0, msdyn_effortremaining: 0, msdyn_progress: 0,
        _msdyn_projectbucket_value: bucketId, _msdyn_projectsprint_value: null, msdyn_summary: false, msdyn_ismilestone: false, msdyn_iscritical: false, msdyn_priority: 5,
      };
      store.insert('msdyn_projecttask', 'msdyn_projecttaskid', row, owner);
      if (depth < 3 && r.chance(0.5)) add(depth + 1, id);
      else {
        const first = r.int(0, 40);
        const taskStart = at(workday(first), '09:00:00');
        const taskFinish = at(workday(first + r.int(1, 5) - 1), '17:00:00');
        const effort = r.int(0, 40);
        const progress = r.pick([0, 0, 0.25, 0.5, 1]);
        Object.assign(row, {
          msdyn_start: taskStart, msdyn_finish: taskFinish, msdyn_scheduledstart: taskStart, msdyn_scheduledend: taskFinish,
          msdyn_effort: effort, msdyn_effortcompleted: effort * progress, msdyn_effortremaining: effort * (1 - progress), msdyn_progress: progress,
        });
      }
    }
  };
  add(0, null);
  // A summary holds no dates of its own; the engine rolls them up (a childless "summary" becomes a leaf at the project start).
  for (const t of store.list('msdyn_projecttask')) {
    if (t._msdyn_project_value === projectId && t.msdyn_start === null) Object.assign(t, { msdyn_start: start, msdyn_finish: start, msdyn_scheduledstart: start, msdyn_scheduledend: start });
  }
  rollUpProject(store, projectId);
  return projectId;
}

/** A person's edit of the plan between syncs; false when there was nothing to edit. */
export interface PlanEditor {
  edit(r: Random): Promise<boolean>;
}

/** Edits in Project Web App: a field of a task, a new subtask, a deleted leaf. */
export function pwaEditor(connector: PwaConnector, projectId: string): PlanEditor {
  return {
    async edit(r) {
      const tasks = await connector.readTasks(projectId);
      if (tasks.length === 0) return false;
      const task = r.pick(tasks);
      const roll = r.next();
      if (roll < 0.6) {
        const what = r.int(0, 2);
        const update = what === 0 ? { id: task.id, name: title(r, 'P') }
          : what === 1 && !task.isSummary ? { id: task.id, workMinutes: r.int(1, 40) * 60 }
            : !task.isSummary ? { id: task.id, percentComplete: r.pick([0, 25, 50, 100]) } : { id: task.id, name: title(r, 'P') };
        await connector.applyChanges({ projectId, creates: [], updates: [update] });
      } else if (roll < 0.85) {
        await connector.applyChanges({ projectId, creates: [{ id: uuidFrom(r), parentId: task.id, name: title(r, 'P'), start: `${workday(r.int(0, 40))}T08:00:00` }], updates: [] });
      } else if (!task.isSummary) {
        await connector.applyChanges({ projectId, creates: [], updates: [], deletes: [task.id] });
      }
      return true;
    },
  };
}

/**
 * Edits in Planner premium, only what Planner allows: a task's name, notes, or a leaf's effort,
 * progress or start (a summary's roll up); a new subtask or top-level task; a deleted leaf. No
 * custom fields, and no move back to the top level. They reach Dataverse through operation sets.
 */
export function plannerEditor(connector: PlannerConnector, projectId: string): PlanEditor {
  return {
    async edit(r) {
      const tasks = await connector.readTasks(projectId);
      const newTask = (parentId: string | null) => ({ id: uuidFrom(r), parentId, name: title(r, 'P'), start: `${workday(r.int(0, 40))}T09:00:00` });
      if (tasks.length === 0) {
        await connector.applyChanges({ projectId, creates: [newTask(null)], updates: [] });
        return true;
      }
      const task = r.pick(tasks);
      const leaf = !task.isSummary;
      const roll = r.next();
      if (roll < 0.6) {
        const what = r.int(0, 4);
        const update: PlanTaskUpdate = what === 1 && leaf ? { id: task.id, workMinutes: r.int(1, 40) * 60 }
          : what === 2 && leaf ? { id: task.id, percentComplete: r.pick([0, 25, 50, 100]) }
            : what === 3 && leaf ? { id: task.id, start: `${workday(r.int(0, 40))}T09:00:00` }
              : what === 4 ? { id: task.id, notes: `Note ${r.int(1, 999)}` }
                : { id: task.id, name: title(r, 'P') };
        await connector.applyChanges({ projectId, creates: [], updates: [update] });
      } else if (roll < 0.8) {
        await connector.applyChanges({ projectId, creates: [newTask(task.id)], updates: [] });
      } else if (roll < 0.9) {
        await connector.applyChanges({ projectId, creates: [newTask(null)], updates: [] });
      } else if (leaf) {
        await connector.applyChanges({ projectId, creates: [], updates: [], deletes: [task.id] });
      }
      return true;
    },
  };
}

export interface EditCounts {
  ado: number;
  plan: number;
}

/** A few edits a person would make between syncs: fields, a new item, a deletion, on either side. */
export async function editBothSides(
  r: Random, ado: { sim: AdoSimulator; connector: AdoConnector; project: string; base: ProcessName; zone: string },
  plan: PlanEditor, edits: number,
): Promise<EditCounts> {
  const counts = { ado: 0, plan: 0 };
  const p = PROCESSES[ado.base];
  for (let e = 0; e < edits; e++) {
    if (r.chance(0.5)) {
      const items = [...ado.sim.state.items.values()].filter((w) => !w.deleted && w.fields['System.TeamProject'] === ado.project);
      if (items.length === 0) continue;
      const item = r.pick(items);
      const type = String(item.fields['System.WorkItemType']);
      const leaf = type === p.leafType;
      const roll = r.next();
      if (roll < 0.6) {
        const fields: Record<string, unknown> = {};
        const what = r.int(0, 3);
        if (what === 0) fields['System.Title'] = title(r, 'A');
        else if (what === 1 && leaf) fields[`${SCHED}.RemainingWork`] = r.int(0, 20);
        else if (what === 2) fields['System.State'] = r.pick(projectTypeDef(ado.sim.state.projects.find((x) => x.name === ado.project)!, type)!.states.map((st) => st.name));
        else fields[`${SCHED}.StartDate`] = dayToAdo(workday(r.int(0, 40)), ado.zone);
        const project = ado.sim.state.projects.find((x) => x.name === ado.project)!;
        for (const f of Object.keys(fields)) if (!typeFields(projectTypeDef(project, type)!).has(f.toLowerCase())) delete fields[f];
        if (Object.keys(fields).length === 0) continue;
        await ado.connector.update({ id: item.id, expectedRev: item.rev, fields });
      } else if (roll < 0.85 && !leaf) {
        const levels = [...p.levels, p.leafType];
        const childType = levels[levels.indexOf(type) + 1] ?? p.leafType;
        const project = ado.sim.state.projects.find((x) => x.name === ado.project)!;
        insertItem(ado.sim.state, { base: ado.sim.url, mode: ado.sim.mode }, project, childType, title(r, 'A'), childType === p.leafType ? { [`${SCHED}.RemainingWork`]: r.int(1, 8) } : {}, item);
      } else {
        await ado.connector.remove(item.id, item.rev);
      }
      counts.ado++;
    } else {
      if (!(await plan.edit(r))) continue;
      counts.plan++;
    }
  }
  return counts;
}
