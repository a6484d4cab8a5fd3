import type { Logger } from '../../log.js';
import {
  PlanConnectorError,
  type NewPlanTask, type PlanChangeSet, type PlanFieldValue, type PlanProject, type PlanTaskUpdate, type PlanWriteResult,
} from '../ppm.js';
import type { PwaClient, Row } from './client.js';
import { setTaskCustomFieldsRequest, type CustomFieldWrite } from './csom.js';
import type { PwaField } from './fields.js';
import { waitForJob, type QueuePolling } from './queue.js';
import { formatPwaDuration, formatPwaWork } from './units.js';

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

export interface WriteContext {
  client: PwaClient;
  project: PlanProject;
  taskFields: PwaField[];
  polling: QueuePolling;
  logger?: Logger;
  /** Retries when the server answers 26005 because another client's job on the project is running. */
  blockedRetries: number;
}

/** Parents before children, so a new task can hang under another new task. */
function orderCreates(creates: NewPlanTask[]): NewPlanTask[] {
  const pending = new Map(creates.map((c) => [c.id.toLowerCase(), c]));
  const out: NewPlanTask[] = [];
  const visit = (c: NewPlanTask, seen: Set<string>): void => {
    const key = c.id.toLowerCase();
    if (!pending.has(key)) return;
    if (seen.has(key)) throw new PlanConnectorError('invalid-request', `New tasks form a parent cycle at "${c.name}".`);
    seen.add(key);
    const parent = c.parentId ? pending.get(c.parentId.toLowerCase()) : undefined;
    if (parent) visit(parent, seen);
    pending.delete(key);
    out.push(c);
  };
  for (const c of creates) visit(c, new Set());
  return out;
}

function draftChanges(update: PlanTaskUpdate, minutesPerDay: number): Row {
  const row: Row = {};
  if (update.name !== undefined) row.Name = update.name;
  if (update.notes !== undefined) row.Notes = update.notes;
  if (update.start !== undefined) row.Start = update.start;
  if (update.finish !== undefined) row.Finish = update.finish;
  if (update.durationMinutes !== undefined) row.Duration = formatPwaDuration(update.durationMinutes, minutesPerDay);
  if (update.workMinutes !== undefined) row.Work = formatPwaWork(update.workMinutes);
  if (update.percentComplete !== undefined) row.PercentComplete = update.percentComplete;
  if (update.parentId !== undefined) row.ParentId = update.parentId ?? EMPTY_GUID;
  return row;
}

function customWrites(taskId: string, values: Record<string, PlanFieldValue> | undefined, fields: PwaField[]): CustomFieldWrite[] {
  return Object.entries(values ?? {}).map(([name, value]) => {
    const field = fields.find((f) => f.name === name);
    if (!field) throw new PlanConnectorError('field-missing', `The task custom field "${name}" does not exist in Project Web App. Run "Verify configuration" and "Create fields".`);
    if (field.entries.length > 0 && value !== null) {
      const texts = Array.isArray(value) ? value : [String(value)];
      const entries = texts.map((t) => {
        const entry = field.entries.find((e) => e.value === t);
        if (!entry) throw new PlanConnectorError('invalid-request', `"${t}" is not a value of the lookup field "${name}" (allowed: ${field.entries.map((e) => e.value).join(', ')}).`);
        return entry.internalName;
      });
      return { taskId, internalName: field.internalName, value: entries };
    }
    return { taskId, internalName: field.internalName, value };
  });
}

const isNotFound = (err: unknown): err is PlanConnectorError =>
  err instanceof PlanConnectorError && (err.code === 'task-deleted' || err.details.status === 404);

/**
 * Deletes one draft task with `DraftTask.DeleteObject` (PS CSDL: a bound function on PS.DraftTask,
 * `POST .../Draft/Tasks('{id}')/deleteObject()`). Project removes a summary's subtasks with it.
 * A task that is not in the draft any more is already deleted: a rerun after a crash, or a subtask
 * that went with its summary earlier in the same set. A 404 is confirmed with a read first, so a
 * server that does not know the call never passes for a successful delete.
 */
async function deleteDraftTask(ctx: WriteContext, base: string, taskId: string): Promise<void> {
  const task = `${base}/Draft/Tasks('${taskId}')`;
  try {
    await ctx.client.post(`${task}/deleteObject()`);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const stillThere = await ctx.client.get(task, { $select: 'Id' }).then(() => true, (readErr: unknown) => {
      if (isNotFound(readErr)) return false;
      throw readErr;
    });
    if (stillThere) throw err;
    ctx.logger?.info({ projectId: ctx.project.id, taskId }, 'pwa task to delete is already gone; counting it as deleted');
  }
}

/** Submits a queue-job call, retrying while the server reports 26005 for the project. */
async function submit(ctx: WriteContext, path: string): Promise<Row> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await ctx.client.post(path);
    } catch (err) {
      if (!(err instanceof PlanConnectorError) || err.code !== 'queue-blocked' || attempt >= ctx.blockedRetries) throw err;
      ctx.logger?.info({ attempt: attempt + 1 }, 'pwa queue correlation blocked (26005); waiting for the running job');
      await ctx.polling.sleep(ctx.polling.pollIntervalMs * 4);
    }
  }
}

/**
 * One edit cycle: check out, add/patch draft tasks, set custom fields, delete draft tasks, update,
 * publish, check in; each queue job is polled before the next is sent. Deletes come last so an
 * update in the same set can move a child out of a summary before the summary (and what is still
 * under it) goes. Any failure after check-out forces a check-in.
 */
export async function applyChangeSet(ctx: WriteContext, changes: PlanChangeSet): Promise<PlanWriteResult> {
  const { client, project } = ctx;
  const base = `ProjectServer/Projects('${project.id}')`;
  if (project.archived) {
    throw new PlanConnectorError('project-archived', `"${project.name}" is archived in Project Web App, so PlanBridge will not edit it. Reactivate it in PWA or pick another project.`);
  }
  const result: PlanWriteResult = { created: [], updated: [], deleted: [], jobs: [] };
  const creates = orderCreates(changes.creates);
  // One call per task: ids differing only in case are the same GUID.
  const deletes = [...new Map((changes.deletes ?? []).map((id) => [id.toLowerCase(), id])).values()];
  // Resolve custom field values before touching the server, so a bad value never costs a check-out.
  const fieldWrites = [
    ...creates.flatMap((c) => customWrites(c.id, c.customFields, ctx.taskFields)),
    ...changes.updates.flatMap((u) => customWrites(u.id, u.customFields, ctx.taskFields)),
  ];

  await client.post(`${base}/checkOut`);
  try {
    for (const c of creates) {
      await client.post(`${base}/Draft/Tasks/Add`, {
        Id: c.id, Name: c.name, ParentId: c.parentId ?? EMPTY_GUID, AddAfterId: c.addAfterId ?? EMPTY_GUID,
        ...(c.start ? { Start: c.start } : {}), ...(c.finish ? { Finish: c.finish } : {}),
        ...(c.durationMinutes !== undefined ? { Duration: formatPwaDuration(c.durationMinutes, project.minutesPerDay) } : {}),
        Notes: c.notes ?? '', IsManual: false,
      }, 'PS.TaskCreationInformation');
      // Work and % complete are not creation properties: set them on the new draft task, same cycle.
      const extra = draftChanges({ id: c.id, ...(c.workMinutes !== undefined ? { workMinutes: c.workMinutes } : {}), ...(c.percentComplete !== undefined ? { percentComplete: c.percentComplete } : {}) }, project.minutesPerDay);
      if (Object.keys(extra).length > 0) await client.merge(`${base}/Draft/Tasks('${c.id}')`, extra, 'PS.DraftTask');
      result.created.push(c.id);
    }
    for (const u of changes.updates) {
      const row = draftChanges(u, project.minutesPerDay);
      if (Object.keys(row).length > 0) await client.merge(`${base}/Draft/Tasks('${u.id}')`, row, 'PS.DraftTask');
      result.updated.push(u.id);
    }
    if (fieldWrites.length > 0) await client.processQuery(setTaskCustomFieldsRequest(project.id, fieldWrites));
    for (const id of deletes) {
      await deleteDraftTask(ctx, base, id);
      result.deleted.push(id);
    }
    for (const [step, path] of [['update', `${base}/Draft/update()`], ['publish', `${base}/Draft/publish(false)`], ['checkIn', `${base}/Draft/checkIn(false)`]] as const) {
      const job = await submit(ctx, path);
      result.jobs.push({ step, ...(await waitForJob(client, project.id, job, step, ctx.polling)) });
    }
    return result;
  } catch (err) {
    const failure = err instanceof PlanConnectorError ? err : new PlanConnectorError('server-error', `Writing to "${project.name}" failed: ${(err as Error).message}`);
    ctx.logger?.warn({ projectId: project.id, code: failure.code }, 'pwa write failed; forcing check-in');
    let forced = false;
    try {
      const job = await submit(ctx, `${base}/Draft/checkIn(true)`);
      await waitForJob(client, project.id, job, 'force check-in', ctx.polling);
      forced = true;
    } catch (checkInError) {
      ctx.logger?.error({ projectId: project.id, code: (checkInError as PlanConnectorError).code }, 'pwa forced check-in failed');
    }
    const suffix = forced
      ? ' The project was checked in again, so nothing is left locked.'
      : ` PlanBridge could not check the project back in: a PWA admin should force check-in "${project.name}".`;
    throw new PlanConnectorError(failure.code, failure.message + suffix, { ...failure.details, forcedCheckIn: forced });
  }
}
