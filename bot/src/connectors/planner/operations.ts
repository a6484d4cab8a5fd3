import { randomUUID } from 'node:crypto';
import {
  PlanConnectorError, type NewPlanTask, type PlanChangeSet, type PlanFieldValue, type PlanTask, type PlanTaskUpdate,
} from '../ppm.js';
import { siteLocalToUtc } from '../pwa/dates.js';
import type { Row } from './client.js';
import { BUCKET_FIELD, PRIORITIES, PRIORITY_FIELD, SPRINT_FIELD, lower, minutesToHours, str, textToHtml } from './mapping.js';
import type { PlanSnapshot } from './reads.js';

/**
 * A change set as Project Schedule API operations (msdyn_PssCreateV1 / PssUpdateV1 / PssDeleteV1),
 * built against a fresh read of the plan and checked before anything is sent, so a refusal costs
 * no operation set. What the scheduling service computes is never sent ("Write rules and limits"
 * in ../shared/notes/planner-premium.md): a summary's dates, effort and progress roll up, progress
 * is update-only, and a task's place comes only from its parent bind.
 */
export type PssAction = 'msdyn_PssCreateV1' | 'msdyn_PssUpdateV1' | 'msdyn_PssDeleteV1';

export interface Operation {
  action: PssAction;
  /** The action's parameters without OperationSetId. */
  params: Row;
  /** The task (or bucket) the operation writes, and what to call it in a message. */
  recordId: string;
  label: string;
}

/** Operations that must land in the same set (a create and the progress it can only get by update). */
export type OperationGroup = Operation[];

export interface BuiltChanges {
  groups: OperationGroup[];
  created: string[];
  updated: string[];
  deleted: string[];
}

const TASK_TYPE = 'Microsoft.Dynamics.CRM.msdyn_projecttask';
const BUCKET_TYPE = 'Microsoft.Dynamics.CRM.msdyn_projectbucket';
const bind = (set: string, id: string): string => `/${set}(${id})`;

/** Parents before children, so a new task can hang under another new task of the same set. */
function orderCreates(creates: NewPlanTask[]): NewPlanTask[] {
  const pending = new Map(creates.map((c) => [lower(c.id), c]));
  const out: NewPlanTask[] = [];
  const visit = (c: NewPlanTask, seen: Set<string>): void => {
    const key = lower(c.id);
    if (!pending.has(key)) return;
    if (seen.has(key)) throw new PlanConnectorError('invalid-request', `New tasks form a parent cycle at "${c.name}".`);
    seen.add(key);
    const parent = c.parentId ? pending.get(lower(c.parentId)) : undefined;
    if (parent) visit(parent, seen);
    pending.delete(key);
    out.push(c);
  };
  for (const c of creates) visit(c, new Set());
  return out;
}

export class ChangeBuilder {
  private readonly rows: Map<string, Row>;
  private readonly tasks: Map<string, PlanTask>;
  private readonly bucketIds: Map<string, string>;
  private readonly newBuckets: Operation[] = [];
  /** Tasks that have, or get in this set, subtasks: their schedule values roll up. */
  private readonly summaries = new Set<string>();
  /** Bucket of each task created in this set, for children that name none. */
  private readonly createdBuckets = new Map<string, string>();

  constructor(private readonly plan: PlanSnapshot, tasks: PlanTask[], private readonly timeZone: string) {
    this.rows = new Map(plan.tasks.map((r) => [lower(String(r.msdyn_projecttaskid)), r]));
    this.tasks = new Map(tasks.map((t) => [lower(t.id), t]));
    this.bucketIds = new Map([...plan.buckets].map(([id, name]) => [name.toLowerCase(), id]));
    for (const t of tasks) if (t.isSummary) this.summaries.add(lower(t.id));
  }

  build(changes: PlanChangeSet): BuiltChanges {
    for (const c of changes.creates) if (c.parentId) this.summaries.add(lower(c.parentId));
    for (const u of changes.updates) if (u.parentId) this.summaries.add(lower(u.parentId));
    const created: string[] = [];
    const groups: OperationGroup[] = [];
    const newIds = new Set(changes.creates.map((c) => lower(c.id)));
    for (const c of orderCreates(changes.creates)) {
      created.push(c.id);
      // Already there: a rerun after a crash; client-chosen ids make creates idempotent [notes, MS].
      if (this.rows.has(lower(c.id))) continue;
      if (c.parentId && !this.rows.has(lower(c.parentId)) && !newIds.has(lower(c.parentId))) {
        throw new PlanConnectorError('task-deleted', `The parent of the new task "${c.name}" is not in the plan any more. Refresh the preview.`);
      }
      groups.push(this.create(c));
    }
    const updated: string[] = [];
    for (const u of changes.updates) {
      const op = this.update(u);
      if (op) groups.push([op]);
      updated.push(u.id);
    }
    const { deleted, ops } = this.deletes(changes.deletes ?? []);
    groups.push(...ops.map((op) => [op]));
    // New buckets first: the tasks of later operations bind to them.
    return { groups: [...this.newBuckets.map((b) => [b]), ...groups], created, updated, deleted };
  }

  private create(c: NewPlanTask): OperationGroup {
    const id = lower(c.id);
    const summary = this.summaries.has(id);
    const custom = this.customValues(c.customFields, c.name);
    const parent = c.parentId ? lower(c.parentId) : null;
    const bucket = custom.bucket ?? (parent ? this.createdBuckets.get(parent) ?? str(this.rows.get(parent)?._msdyn_projectbucket_value) : null) ?? this.defaultBucket();
    this.createdBuckets.set(id, bucket);
    const entity: Row = {
      '@odata.type': TASK_TYPE, msdyn_projecttaskid: id, msdyn_subject: c.name,
      'msdyn_project@odata.bind': bind('msdyn_projects', this.plan.project.id),
      'msdyn_projectbucket@odata.bind': bind('msdyn_projectbuckets', bucket),
      ...(parent ? { 'msdyn_parenttask@odata.bind': bind('msdyn_projecttasks', parent) } : {}),
      ...(c.notes ? { msdyn_description: textToHtml(c.notes) } : {}),
      ...custom.columns,
    };
    // A task that gets subtasks in this set takes its dates and effort from them.
    if (!summary) Object.assign(entity, this.schedule(c));
    const group: OperationGroup = [{ action: 'msdyn_PssCreateV1', params: { Entity: entity }, recordId: id, label: `"${c.name}"` }];
    // msdyn_progress on create is refused (ScheduleAPI-AV-0001 [notes]): set it by an update in the same set.
    if (!summary && c.percentComplete !== undefined && c.percentComplete > 0) {
      group.push({ action: 'msdyn_PssUpdateV1', params: { Entity: { '@odata.type': TASK_TYPE, msdyn_projecttaskid: id, msdyn_progress: progress(c.percentComplete) } }, recordId: id, label: `"${c.name}"` });
    }
    return group;
  }

  private update(u: PlanTaskUpdate): Operation | null {
    const id = lower(u.id);
    const row = this.rows.get(id);
    const task = this.tasks.get(id);
    if (!row || !task) throw new PlanConnectorError('task-deleted', `A task to update is not in the plan any more (${u.id}). Refresh the preview; PlanBridge will offer to unlink it.`);
    if (u.expectedVersion !== undefined && u.expectedVersion !== task.version) {
      throw new PlanConnectorError('task-changed', `"${task.name}" changed in Planner since PlanBridge read it, so nothing was written. Refresh the preview to see the new values.`);
    }
    const name = u.name ?? task.name;
    const entity: Row = { '@odata.type': TASK_TYPE, msdyn_projecttaskid: id };
    if (u.name !== undefined) entity.msdyn_subject = u.name;
    if (u.notes !== undefined) entity.msdyn_description = textToHtml(u.notes);
    if (u.parentId !== undefined && lower(u.parentId ?? '') !== lower(task.parentId ?? '')) {
      // Un-parenting is blocked by the schedule APIs [notes, 3P opsora].
      if (u.parentId === null) throw new PlanConnectorError('invalid-request', `Planner premium cannot move "${name}" back to the top level of the plan; only a move under another task is possible. Move it in Planner, then sync again.`);
      entity['msdyn_parenttask@odata.bind'] = bind('msdyn_projecttasks', lower(u.parentId));
    }
    const custom = this.customValues(u.customFields, name);
    Object.assign(entity, custom.columns);
    if (custom.bucket) entity['msdyn_projectbucket@odata.bind'] = bind('msdyn_projectbuckets', custom.bucket);
    // A summary's dates, effort and progress roll up from its subtasks: writing them is refused [notes].
    if (!this.summaries.has(id)) {
      Object.assign(entity, this.schedule(u));
      if (u.percentComplete !== undefined) entity.msdyn_progress = progress(u.percentComplete);
    }
    if (Object.keys(entity).length <= 2) return null;
    return { action: 'msdyn_PssUpdateV1', params: { Entity: entity }, recordId: id, label: `"${name}"` };
  }

  /** Dates in UTC from the connection's zone, duration in days, effort in hours. */
  private schedule(values: { start?: string; finish?: string; durationMinutes?: number; workMinutes?: number }): Row {
    const out: Row = {};
    if (values.start) out.msdyn_scheduledstart = siteLocalToUtc(values.start, this.timeZone);
    if (values.finish) out.msdyn_scheduledend = siteLocalToUtc(values.finish, this.timeZone);
    else if (values.durationMinutes !== undefined) out.msdyn_duration = Math.round((values.durationMinutes / this.plan.project.minutesPerDay) * 100) / 100;
    if (values.workMinutes !== undefined) out.msdyn_effort = minutesToHours(Math.max(0, values.workMinutes));
    return out;
  }

  /**
   * Deletes after creates and updates; one that is gone already (a rerun) or goes with a summary
   * deleted in the same set (deleting a summary deletes its subtasks [notes, MS create-wbs.md]) is not sent.
   */
  private deletes(ids: string[]): { deleted: string[]; ops: Operation[] } {
    // One operation per task: ids differing only in case are the same GUID; the first spelling is reported.
    const unique = [...ids.reduce((m, id) => (m.has(lower(id)) ? m : m.set(lower(id), id)), new Map<string, string>()).values()];
    const doomed = new Set(unique.map(lower));
    const underDoomed = (id: string): boolean => {
      for (let p = str(this.rows.get(id)?._msdyn_parenttask_value); p; p = str(this.rows.get(lower(p))?._msdyn_parenttask_value)) {
        if (doomed.has(lower(p))) return true;
      }
      return false;
    };
    const ops = unique.filter((id) => this.rows.has(lower(id)) && !underDoomed(lower(id))).map((id): Operation => ({
      action: 'msdyn_PssDeleteV1', params: { RecordId: lower(id), EntityLogicalName: 'msdyn_projecttask' }, recordId: lower(id), label: `"${this.tasks.get(lower(id))?.name ?? id}"`,
    }));
    return { deleted: unique, ops };
  }

  /** Bucket, Sprint and Priority by name; Planner premium has no other task fields. */
  private customValues(values: Record<string, PlanFieldValue> | undefined, taskName: string): { bucket: string | null; columns: Row } {
    let bucket: string | null = null;
    const columns: Row = {};
    for (const [field, value] of Object.entries(values ?? {})) {
      const text = Array.isArray(value) ? value.join(', ') : value === null ? null : String(value).trim();
      if (field === BUCKET_FIELD) {
        if (!text) throw new PlanConnectorError('invalid-request', `Every Planner task needs a bucket; "${taskName}" would have none.`);
        bucket = this.bucket(text);
      } else if (field === SPRINT_FIELD) {
        columns['msdyn_projectsprint@odata.bind'] = text ? bind('msdyn_projectsprints', this.sprint(text, taskName)) : null;
      } else if (field === PRIORITY_FIELD) {
        const code = Object.entries(PRIORITIES).find(([, label]) => label.toLowerCase() === text?.toLowerCase())?.[0];
        if (!code) throw new PlanConnectorError('invalid-request', `"${String(value)}" is not a Planner priority (allowed: ${Object.values(PRIORITIES).join(', ')}).`);
        columns.msdyn_priority = Number(code);
      } else {
        throw new PlanConnectorError('field-missing', `Planner premium plans have no task field "${field}": only ${BUCKET_FIELD}, ${SPRINT_FIELD} and ${PRIORITY_FIELD} can be written besides the task's own values. Change the field mapping.`);
      }
    }
    return { bucket, columns };
  }

  /** A bucket by name; a new name becomes a new bucket, created first in the same set (buckets are free to add, unlike sprints). */
  private bucket(name: string): string {
    const known = this.bucketIds.get(name.toLowerCase());
    if (known) return known;
    const id = randomUUID();
    this.bucketIds.set(name.toLowerCase(), id);
    this.newBuckets.push({
      action: 'msdyn_PssCreateV1', recordId: id, label: `the new bucket "${name}"`,
      params: { Entity: { '@odata.type': BUCKET_TYPE, msdyn_projectbucketid: id, msdyn_name: name, 'msdyn_project@odata.bind': bind('msdyn_projects', this.plan.project.id) } },
    });
    return id;
  }

  private defaultBucket(): string {
    const first = this.plan.buckets.keys().next();
    return first.done ? this.bucket('Bucket 1') : first.value;
  }

  /** Sprints need dates and must not overlap [notes], so PlanBridge only picks existing ones. */
  private sprint(name: string, taskName: string): string {
    const hit = [...this.plan.sprints].find(([, n]) => n.toLowerCase() === name.toLowerCase());
    if (!hit) {
      const known = [...this.plan.sprints.values()];
      throw new PlanConnectorError('invalid-request', `The plan has no sprint "${name}" for "${taskName}" (${known.length ? `its sprints: ${known.join(', ')}` : 'it has no sprints'}). Add the sprint in Planner, or change the mapping.`);
    }
    return hit[0];
  }
}

/** Whole percent to msdyn_progress, a 0..1 fraction [3P]. */
const progress = (percent: number): number => Math.min(1, Math.max(0, Math.round(percent) / 100));
