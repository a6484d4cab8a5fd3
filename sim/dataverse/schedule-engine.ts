import { finishAfter, inScheduleRange, workingDays } from './dates.js';
import type { PssOperation } from './pss-payload.js';
import { depth, outline, projectTasks, round, rollUpProject } from './rollup.js';
import type { Row, Store } from './store.js';
import { mustTable } from './tables.js';

/**
 * The simulated Project Scheduling Service: applies an operation set's operations in request order
 * to a draft copy of the environment, then rolls up and checks the plan limits. Any failure throws
 * a ScheduleFailure and the caller drops the draft: PSS persists in one transaction, Completed or
 * Failed, and one bad entity fails the whole set (E_BATCHFAILED) [notes "Asynchronous", "Errors seen"].
 */
export class ScheduleFailure extends Error {
  constructor(readonly key: string, message: string, readonly recordId: string | null = null) {
    super(message);
  }
}

/** Per project [notes "Write rules", MS]: 3,000 tasks, 10 levels, 2,000 links, 400 sprints. */
export const PLAN_LIMITS = { tasks: 3000, levels: 10, links: 2000, sprints: 400 } as const;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const LEAF_SCHEDULE_FIELDS = ['msdyn_start', 'msdyn_finish', 'msdyn_scheduledstart', 'msdyn_scheduledend', 'msdyn_duration', 'msdyn_effort', 'msdyn_effortcompleted', 'msdyn_effortremaining', 'msdyn_progress'];

export class ScheduleEngine {
  constructor(private readonly draft: Store, private readonly projectId: string, private readonly owner: string) {}

  apply(ops: PssOperation[]): void {
    for (const op of ops) {
      if (op.type === 'Create') this.create(op);
      else if (op.type === 'Update') this.update(op);
      else this.delete(op);
    }
    rollUpProject(this.draft, this.projectId);
    this.checkLimits();
  }

  private fail(op: PssOperation, message: string, key = 'E_BATCHFAILED'): never {
    throw new ScheduleFailure(key, message, op.recordId);
  }

  /** ScheduleAPI-AV-0006 a bind to a row that doesn't exist (or lives in another project) [notes]. */
  private referenced(op: PssOperation, table: string, id: unknown, nav: string): Row {
    const row = typeof id === 'string' ? this.draft.get(table, id) : undefined;
    if (!row) this.fail(op, `ScheduleAPI-AV-0006 Referenced row of ${nav} with id ${String(id)} does not exist.`);
    const project = table === 'msdyn_project' ? row.msdyn_projectid : row._msdyn_project_value;
    if (project !== this.projectId) this.fail(op, `ScheduleAPI: the ${nav} ${String(id)} belongs to another project than the operation set's project ${this.projectId}.`);
    return row;
  }

  private existing(op: PssOperation): Row {
    const t = mustTable(op.table);
    const row = this.draft.get(op.table, op.recordId);
    if (!row) this.fail(op, `The ${op.table} with id ${op.recordId} does not exist.`, 'E_INVALIDENTITYUID');
    const project = op.table === 'msdyn_project' ? row[t.primaryKey] : row._msdyn_project_value ?? row._msdyn_projectid_value;
    if (project !== this.projectId) this.fail(op, `The ${op.table} ${op.recordId} belongs to another project than the operation set's project ${this.projectId}.`);
    return row;
  }

  private create(op: PssOperation): void {
    const t = mustTable(op.table);
    // Client-set ids are honoured; the service throws if one can't be used [notes, MS].
    if (this.draft.get(op.table, op.recordId)) this.fail(op, `A record of ${op.table} with id ${op.recordId} already exists; the id can't be used.`, 'E_INVALIDENTITYUID');
    const v = { ...op.values };
    if (op.table === 'msdyn_projecttask') this.prepareTask(op, v);
    else if (op.table === 'msdyn_resourceassignment') this.prepareAssignment(op, v);
    else if (op.table === 'msdyn_projecttaskdependency') this.prepareDependency(op, v);
    else {
      this.referenced(op, 'msdyn_project', v._msdyn_project_value, 'msdyn_project');
      if (op.table === 'msdyn_projectbucket') v.msdyn_name ??= 'Bucket';
      if (op.table === 'msdyn_projectteam' && v._msdyn_bookableresourceid_value && !this.draft.get('bookableresource', v._msdyn_bookableresourceid_value as string)) {
        this.fail(op, `ScheduleAPI-AV-0006 Referenced row of msdyn_bookableresourceid with id ${String(v._msdyn_bookableresourceid_value)} does not exist.`);
      }
    }
    const blank = Object.fromEntries(t.columns.filter((c) => !['createdon', 'modifiedon', 'versionnumber', 'statecode', '_ownerid_value'].includes(c.name)).map((c) => [c.name, null]));
    const row = this.draft.insert(op.table, t.primaryKey, { ...blank, ...v, [t.primaryKey]: op.recordId }, this.owner);
    if (op.table === 'msdyn_projectsprint') this.checkSprint(op, row);
  }

  private prepareTask(op: PssOperation, v: Row): void {
    const project = this.referenced(op, 'msdyn_project', v._msdyn_project_value, 'msdyn_project');
    this.referenced(op, 'msdyn_projectbucket', v._msdyn_projectbucket_value, 'msdyn_projectbucket');
    if (v._msdyn_projectsprint_value) this.referenced(op, 'msdyn_projectsprint', v._msdyn_projectsprint_value, 'msdyn_projectsprint');
    const parentId = (v._msdyn_parenttask_value as string | undefined) ?? null;
    if (parentId) {
      this.referenced(op, 'msdyn_projecttask', parentId, 'msdyn_parenttask');
      // A task that gets its first child becomes a summary: its own assignments go.
      this.deleteWhere('msdyn_resourceassignment', (a) => a._msdyn_taskid_value === parentId);
    }
    const start = (v.msdyn_start ?? v.msdyn_scheduledstart ?? project.msdyn_scheduledstart) as string;
    const finish = (v.msdyn_finish ?? v.msdyn_scheduledend ?? finishAfter(start, typeof v.msdyn_duration === 'number' ? v.msdyn_duration : 1)) as string;
    this.checkDates(op, start, finish);
    const effort = num(v.msdyn_effort);
    Object.assign(v, {
      _msdyn_parenttask_value: parentId, msdyn_start: start, msdyn_finish: finish, msdyn_scheduledstart: start, msdyn_scheduledend: finish,
      msdyn_duration: workingDays(start, finish), msdyn_effort: effort, msdyn_effortcompleted: 0, msdyn_effortremaining: effort, msdyn_progress: 0,
      msdyn_priority: v.msdyn_priority ?? 5, msdyn_summary: false, msdyn_ismilestone: false, msdyn_iscritical: false,
      msdyn_displaysequence: this.sequenceAfter(parentId), msdyn_outlinelevel: 0,
    });
  }

  /** A sequence just after the parent's last descendant (or at the end); rollUp renumbers 1..n. */
  private sequenceAfter(parentId: string | null): number {
    const o = outline(projectTasks(this.draft, this.projectId));
    let last = 0;
    const walk = (list: Row[]): void => { for (const t of list) { last = Math.max(last, num(t.msdyn_displaysequence)); walk(o.children.get(t.msdyn_projecttaskid as string) ?? []); } };
    if (parentId) {
      last = num(this.draft.get('msdyn_projecttask', parentId)!.msdyn_displaysequence);
      walk(o.children.get(parentId) ?? []);
    } else {
      walk(o.roots);
    }
    const next = projectTasks(this.draft, this.projectId).map((t) => num(t.msdyn_displaysequence)).filter((s) => s > last).sort((a, b) => a - b)[0];
    return next === undefined ? last + 1 : (last + next) / 2;
  }

  private prepareAssignment(op: PssOperation, v: Row): void {
    const task = this.referenced(op, 'msdyn_projecttask', v._msdyn_taskid_value, 'msdyn_taskid');
    const team = this.referenced(op, 'msdyn_projectteam', v._msdyn_projectteamid_value, 'msdyn_projectteamid');
    if (v._msdyn_projectid_value !== undefined && v._msdyn_projectid_value !== this.projectId) this.fail(op, `ScheduleAPI: msdyn_projectid ${String(v._msdyn_projectid_value)} is not the operation set's project.`);
    if (this.hasChildren(task.msdyn_projecttaskid as string)) this.fail(op, `ScheduleAPI: resources can't be assigned to the summary task ${String(task.msdyn_projecttaskid)}.`);
    const twin = this.draft.list('msdyn_resourceassignment').find((a) => a._msdyn_taskid_value === task.msdyn_projecttaskid && a._msdyn_projectteamid_value === team.msdyn_projectteamid);
    if (twin) this.fail(op, `ScheduleAPI: team member ${String(team.msdyn_projectteamid)} is already assigned to task ${String(task.msdyn_projecttaskid)}.`);
    Object.assign(v, { _msdyn_projectid_value: this.projectId, _msdyn_bookableresourceid_value: team._msdyn_bookableresourceid_value ?? null, msdyn_name: v.msdyn_name ?? team.msdyn_name });
  }

  private prepareDependency(op: PssOperation, v: Row): void {
    const pred = this.referenced(op, 'msdyn_projecttask', v._msdyn_predecessortask_value, 'msdyn_PredecessorTask');
    const succ = this.referenced(op, 'msdyn_projecttask', v._msdyn_successortask_value, 'msdyn_SuccessorTask');
    if (v._msdyn_project_value !== undefined && v._msdyn_project_value !== this.projectId) this.fail(op, `ScheduleAPI: msdyn_Project ${String(v._msdyn_project_value)} is not the operation set's project.`);
    if (pred === succ) this.fail(op, 'ScheduleAPI: a task can not depend on itself.');
    // A summary task can't be a dependency end [notes, 3P opsora].
    for (const t of [pred, succ]) if (this.hasChildren(t.msdyn_projecttaskid as string)) this.fail(op, `ScheduleAPI: the summary task ${String(t.msdyn_projecttaskid)} can't be a dependency end.`);
    const links = this.draft.list('msdyn_projecttaskdependency').filter((d) => d._msdyn_project_value === this.projectId);
    if (links.some((d) => d._msdyn_predecessortask_value === pred.msdyn_projecttaskid && d._msdyn_successortask_value === succ.msdyn_projecttaskid)) this.fail(op, 'ScheduleAPI: this dependency already exists.');
    if (this.reaches(links, succ.msdyn_projecttaskid as string, pred.msdyn_projecttaskid as string)) this.fail(op, 'ScheduleAPI: this dependency would create a circular relationship.');
    Object.assign(v, { _msdyn_project_value: this.projectId, msdyn_projecttaskdependencylinktype: v.msdyn_projecttaskdependencylinktype ?? 192350000 });
  }

  private reaches(links: Row[], from: string, to: string): boolean {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) {
      const at = stack.pop()!;
      if (at === to) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      for (const l of links) if (l._msdyn_predecessortask_value === at) stack.push(l._msdyn_successortask_value as string);
    }
    return false;
  }

  private update(op: PssOperation): void {
    const row = this.existing(op);
    const v = op.values;
    if (op.table === 'msdyn_projecttask') return this.updateTask(op, row);
    if (op.table === 'msdyn_project' && v._msdyn_projectmanager_value && !this.draft.get('systemuser', v._msdyn_projectmanager_value as string)) {
      this.fail(op, `ScheduleAPI-AV-0006 Referenced row of msdyn_projectmanager with id ${String(v._msdyn_projectmanager_value)} does not exist.`);
    }
    Object.assign(row, v);
    if (op.table === 'msdyn_projectsprint') this.checkSprint(op, row);
  }

  private updateTask(op: PssOperation, row: Row): void {
    const v = op.values;
    const id = row.msdyn_projecttaskid as string;
    // Summary tasks: dates, effort and duration roll up from the children [notes "Write rules"].
    if (this.hasChildren(id)) {
      const rolled = Object.keys(v).filter((k) => LEAF_SCHEDULE_FIELDS.includes(k));
      if (rolled.length) this.fail(op, `ScheduleAPI: ${rolled.join(', ')} of the summary task ${id} can't be edited; they roll up from its subtasks.`);
    }
    if (v._msdyn_projectbucket_value) this.referenced(op, 'msdyn_projectbucket', v._msdyn_projectbucket_value, 'msdyn_projectbucket');
    if (v._msdyn_projectsprint_value) this.referenced(op, 'msdyn_projectsprint', v._msdyn_projectsprint_value, 'msdyn_projectsprint');
    if (v._msdyn_parenttask_value !== undefined && v._msdyn_parenttask_value !== row._msdyn_parenttask_value) this.moveTask(op, row, v._msdyn_parenttask_value as string);
    for (const k of ['msdyn_subject', 'msdyn_description', 'msdyn_priority', '_msdyn_projectbucket_value', '_msdyn_projectsprint_value']) if (k in v) row[k] = v[k];

    const start = (v.msdyn_start ?? v.msdyn_scheduledstart ?? row.msdyn_start) as string;
    let finish = (v.msdyn_finish ?? v.msdyn_scheduledend ?? row.msdyn_finish) as string;
    const finishGiven = v.msdyn_finish !== undefined || v.msdyn_scheduledend !== undefined;
    if (typeof v.msdyn_duration === 'number' && !finishGiven) finish = finishAfter(start, v.msdyn_duration);
    // A new start alone moves the task: the auto-scheduled task keeps its duration, as Project does.
    else if (start !== row.msdyn_start && !finishGiven) finish = num(row.msdyn_duration) > 0 ? finishAfter(start, num(row.msdyn_duration)) : start;
    this.checkDates(op, start, finish);
    Object.assign(row, { msdyn_start: start, msdyn_finish: finish, msdyn_scheduledstart: start, msdyn_scheduledend: finish });

    // Effort, completed, remaining and progress stay consistent: completed = effort x progress.
    let effort = num(v.msdyn_effort ?? row.msdyn_effort);
    let progress = num(row.msdyn_progress);
    if (v.msdyn_effort !== undefined && effort < 0) this.fail(op, 'ScheduleAPI: msdyn_effort can not be negative.');
    let completed = round(effort * progress);
    if (v.msdyn_effortcompleted !== undefined) {
      completed = num(v.msdyn_effortcompleted);
      if (completed < 0) this.fail(op, 'ScheduleAPI: msdyn_effortcompleted can not be negative.');
      effort = Math.max(effort, completed);
    }
    if (v.msdyn_effortremaining !== undefined) {
      if (num(v.msdyn_effortremaining) < 0) this.fail(op, 'ScheduleAPI: msdyn_effortremaining can not be negative.');
      effort = completed + num(v.msdyn_effortremaining);
    }
    if (v.msdyn_progress !== undefined) {
      progress = num(v.msdyn_progress);
      if (progress < 0 || progress > 1) this.fail(op, `ScheduleAPI: msdyn_progress must be a fraction between 0 and 1; got ${progress}.`);
      completed = round(effort * progress);
    } else {
      progress = effort > 0 ? round(completed / effort) : progress;
    }
    Object.assign(row, { msdyn_effort: round(effort), msdyn_effortcompleted: round(completed), msdyn_effortremaining: round(effort - completed), msdyn_progress: progress });
  }

  private moveTask(op: PssOperation, row: Row, parentId: string): void {
    const parent = this.referenced(op, 'msdyn_projecttask', parentId, 'msdyn_parenttask');
    for (let at: Row | undefined = parent; at; at = at._msdyn_parenttask_value ? this.draft.get('msdyn_projecttask', at._msdyn_parenttask_value as string) : undefined) {
      if (at === row) this.fail(op, `ScheduleAPI: task ${String(row.msdyn_projecttaskid)} can't be moved under its own subtask ${parentId}.`);
    }
    this.deleteWhere('msdyn_resourceassignment', (a) => a._msdyn_taskid_value === parentId);
    row._msdyn_parenttask_value = parentId;
    row.msdyn_displaysequence = this.sequenceAfter(parentId);
  }

  private delete(op: PssOperation): void {
    const row = this.existing(op);
    const id = op.recordId;
    switch (op.table) {
      case 'msdyn_projecttask': {
        // Deleting a summary task deletes its children [notes, MS create-wbs.md], with their assignments and links.
        const doomed = new Set<string>([id]);
        const o = outline(projectTasks(this.draft, this.projectId));
        const walk = (t: string): void => { for (const c of o.children.get(t) ?? []) { doomed.add(c.msdyn_projecttaskid as string); walk(c.msdyn_projecttaskid as string); } };
        walk(id);
        for (const t of doomed) this.draft.remove('msdyn_projecttask', t);
        this.deleteWhere('msdyn_resourceassignment', (a) => doomed.has(a._msdyn_taskid_value as string));
        this.deleteWhere('msdyn_projecttaskdependency', (d) => doomed.has(d._msdyn_predecessortask_value as string) || doomed.has(d._msdyn_successortask_value as string));
        return;
      }
      case 'msdyn_projectbucket':
        if (projectTasks(this.draft, this.projectId).some((t) => t._msdyn_projectbucket_value === id)) this.fail(op, `ScheduleAPI: the bucket ${id} still holds tasks; move them to another bucket first.`);
        break;
      case 'msdyn_projectsprint':
        for (const t of projectTasks(this.draft, this.projectId)) if (t._msdyn_projectsprint_value === id) t._msdyn_projectsprint_value = null;
        break;
      case 'msdyn_projectteam':
        this.deleteWhere('msdyn_resourceassignment', (a) => a._msdyn_projectteamid_value === id);
        break;
    }
    this.draft.remove(op.table, row[mustTable(op.table).primaryKey] as string);
  }

  private deleteWhere(table: string, match: (r: Row) => boolean): void {
    const key = mustTable(table).primaryKey;
    for (const r of this.draft.list(table)) if (match(r)) this.draft.remove(table, r[key] as string);
  }

  private hasChildren(taskId: string): boolean {
    return this.draft.list('msdyn_projecttask').some((t) => t._msdyn_parenttask_value === taskId);
  }

  private checkDates(op: PssOperation, start: string, finish: string): void {
    if (!inScheduleRange(start) || !inScheduleRange(finish)) this.fail(op, 'ScheduleAPI: dates must be between 2000-01-01 and 2149-12-31.');
    if (new Date(finish).getTime() < new Date(start).getTime()) this.fail(op, `ScheduleAPI: the finish ${finish} is before the start ${start}.`);
  }

  /** Sprints: start < finish, no overlap, at most 400 per project [notes, MS]. */
  private checkSprint(op: PssOperation, sprint: Row): void {
    const start = new Date(String(sprint.msdyn_start)).getTime();
    const finish = new Date(String(sprint.msdyn_finish)).getTime();
    if (!(start < finish)) this.fail(op, 'ScheduleAPI: a sprint\'s start must be earlier than its finish.');
    const others = this.draft.list('msdyn_projectsprint').filter((s) => s._msdyn_project_value === this.projectId && s !== sprint);
    if (others.length + 1 > PLAN_LIMITS.sprints) this.fail(op, `ScheduleAPI: a project can have at most ${PLAN_LIMITS.sprints} sprints.`, 'E_LIMITEXCEEDED');
    const clash = others.find((s) => new Date(String(s.msdyn_start)).getTime() < finish && start < new Date(String(s.msdyn_finish)).getTime());
    if (clash) this.fail(op, `ScheduleAPI: sprints of a project can't overlap; it overlaps '${String(clash.msdyn_name)}'.`);
  }

  private checkLimits(): void {
    const tasks = projectTasks(this.draft, this.projectId);
    if (tasks.length > PLAN_LIMITS.tasks) throw new ScheduleFailure('E_LIMITEXCEEDED', `A project can have at most ${PLAN_LIMITS.tasks} tasks; this operation set would make ${tasks.length}.`);
    if (depth(outline(tasks)) > PLAN_LIMITS.levels) throw new ScheduleFailure('E_LIMITEXCEEDED_TASKLEVEL', `A project's tasks can be at most ${PLAN_LIMITS.levels} levels deep.`);
    const links = this.draft.list('msdyn_projecttaskdependency').filter((d) => d._msdyn_project_value === this.projectId).length;
    if (links > PLAN_LIMITS.links) throw new ScheduleFailure('E_LIMITEXCEEDED', `A project can have at most ${PLAN_LIMITS.links} dependencies.`);
  }
}
