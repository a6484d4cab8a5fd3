import { workingDays } from './dates.js';
import type { Row, Store } from './store.js';

/**
 * What the scheduling engine recomputes after an operation set: the outline (levels, WBS,
 * display sequence in tree order), summary tasks' dates, effort and progress from their children
 * [notes "Summary tasks: ... roll up from the children", MS create-wbs.md], milestones, the
 * project's totals, and each assignment's share of its task's effort.
 */
export const round = (n: number, places = 4): number => Math.round(n * 10 ** places) / 10 ** places;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export interface Outline {
  roots: Row[];
  children: Map<string, Row[]>;
}

export function projectTasks(store: Store, projectId: string): Row[] {
  return store.list('msdyn_projecttask').filter((t) => t._msdyn_project_value === projectId);
}

/** The task tree, siblings ordered by msdyn_displaysequence [notes "Mapping": tree = parent + sequence]. */
export function outline(tasks: Row[]): Outline {
  const children = new Map<string, Row[]>();
  const roots: Row[] = [];
  for (const t of tasks) {
    const parent = t._msdyn_parenttask_value as string | null;
    if (parent) children.set(parent, [...(children.get(parent) ?? []), t]);
    else roots.push(t);
  }
  const bySequence = (a: Row, b: Row) => num(a.msdyn_displaysequence) - num(b.msdyn_displaysequence);
  roots.sort(bySequence);
  for (const list of children.values()) list.sort(bySequence);
  return { roots, children };
}

/** Depth of the deepest task (1 = top level). */
export function depth(o: Outline): number {
  const walk = (t: Row, level: number): number => Math.max(level, ...(o.children.get(t.msdyn_projecttaskid as string) ?? []).map((c) => walk(c, level + 1)));
  return Math.max(0, ...o.roots.map((r) => walk(r, 1)));
}

function rollUpTask(t: Row, o: Outline): void {
  const kids = o.children.get(t.msdyn_projecttaskid as string) ?? [];
  for (const k of kids) rollUpTask(k, o);
  if (kids.length === 0) {
    t.msdyn_summary = false;
    t.msdyn_scheduledstart = t.msdyn_start;
    t.msdyn_scheduledend = t.msdyn_finish;
    t.msdyn_duration = workingDays(t.msdyn_start as string, t.msdyn_finish as string);
    t.msdyn_ismilestone = t.msdyn_start === t.msdyn_finish;
    t.msdyn_effortremaining = round(Math.max(0, num(t.msdyn_effort) - num(t.msdyn_effortcompleted)));
    return;
  }
  const starts = kids.map((k) => k.msdyn_start as string).sort();
  const finishes = kids.map((k) => k.msdyn_finish as string).sort();
  t.msdyn_summary = true;
  t.msdyn_ismilestone = false;
  t.msdyn_start = t.msdyn_scheduledstart = starts[0];
  t.msdyn_finish = t.msdyn_scheduledend = finishes.at(-1);
  t.msdyn_duration = workingDays(t.msdyn_start as string, t.msdyn_finish as string);
  t.msdyn_effort = round(kids.reduce((s, k) => s + num(k.msdyn_effort), 0));
  t.msdyn_effortcompleted = round(kids.reduce((s, k) => s + num(k.msdyn_effortcompleted), 0));
  t.msdyn_effortremaining = round(kids.reduce((s, k) => s + num(k.msdyn_effortremaining), 0));
  t.msdyn_progress = num(t.msdyn_effort) > 0
    ? round(num(t.msdyn_effortcompleted) / num(t.msdyn_effort))
    : round(kids.reduce((s, k) => s + num(k.msdyn_progress), 0) / kids.length);
}

/** Levels, WBS ids ("1.2.3") and display sequence 1..n in tree order. */
function renumber(o: Outline): void {
  let sequence = 0;
  const walk = (list: Row[], level: number, prefix: string): void => {
    list.forEach((t, i) => {
      sequence += 1;
      t.msdyn_outlinelevel = level;
      t.msdyn_displaysequence = sequence;
      t.msdyn_wbsid = prefix ? `${prefix}.${i + 1}` : String(i + 1);
      walk(o.children.get(t.msdyn_projecttaskid as string) ?? [], level + 1, t.msdyn_wbsid as string);
    });
  };
  walk(o.roots, 1, '');
}

function rollUpAssignments(store: Store, projectId: string): void {
  const byTask = new Map<string, Row[]>();
  for (const a of store.list('msdyn_resourceassignment')) {
    if (a._msdyn_projectid_value !== projectId) continue;
    byTask.set(a._msdyn_taskid_value as string, [...(byTask.get(a._msdyn_taskid_value as string) ?? []), a]);
  }
  for (const [taskId, list] of byTask) {
    const task = store.get('msdyn_projecttask', taskId);
    if (!task) continue;
    for (const a of list) {
      a.msdyn_start = task.msdyn_start;
      a.msdyn_finish = task.msdyn_finish;
      a.msdyn_effort = a.msdyn_plannedwork = round(num(task.msdyn_effort) / list.length);
      a.msdyn_effortcompleted = round(num(task.msdyn_effortcompleted) / list.length);
      a.msdyn_effortremaining = round(num(task.msdyn_effortremaining) / list.length);
    }
  }
}

export function rollUpProject(store: Store, projectId: string): void {
  const project = store.get('msdyn_project', projectId);
  if (!project) return;
  const o = outline(projectTasks(store, projectId));
  renumber(o);
  for (const r of o.roots) rollUpTask(r, o);
  rollUpAssignments(store, projectId);
  if (o.roots.length === 0) {
    project.msdyn_start = project.msdyn_scheduledstart;
    project.msdyn_finish = project.msdyn_scheduledstart;
    project.msdyn_effort = project.msdyn_effortcompleted = project.msdyn_effortremaining = project.msdyn_progress = 0;
    project.msdyn_duration = 0;
    return;
  }
  project.msdyn_start = o.roots.map((r) => r.msdyn_start as string).sort()[0];
  project.msdyn_finish = o.roots.map((r) => r.msdyn_finish as string).sort().at(-1);
  project.msdyn_duration = workingDays(project.msdyn_start as string, project.msdyn_finish as string);
  project.msdyn_effort = round(o.roots.reduce((s, r) => s + num(r.msdyn_effort), 0));
  project.msdyn_effortcompleted = round(o.roots.reduce((s, r) => s + num(r.msdyn_effortcompleted), 0));
  project.msdyn_effortremaining = round(o.roots.reduce((s, r) => s + num(r.msdyn_effortremaining), 0));
  project.msdyn_progress = num(project.msdyn_effort) > 0 ? round(num(project.msdyn_effortcompleted) / num(project.msdyn_effort)) : 0;
}

/** Gives every row that differs from `before` a new versionnumber and modifiedon. */
export function touchChanged(before: Store, after: Store): void {
  const strip = (r: Row): string => JSON.stringify({ ...r, versionnumber: 0, modifiedon: 0 });
  for (const [name, rows] of after.tables) {
    for (const [id, row] of rows) {
      const prev = before.get(name, id);
      if (!prev || strip(prev) !== strip(row)) after.touch(row);
    }
  }
}
