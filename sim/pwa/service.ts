import { randomUUID } from 'node:crypto';
import { psErrors } from './errors.js';
import { finishFor, insertTask, nextWorkingDay, recomputeOutline, removeSubtree } from './outline.js';
import { newTask } from './seed.js';
import { flagDemoEventTasks } from './seed-events.js';
import {
  EMPTY_DATE, FieldType, JobState, ProjectType, TaskType, cloneLinks, cloneTasks,
  type SimCustomField, type SimProject, type SimQueueJob, type SimState, type SimTask, type SimUser,
} from './model.js';
import { SCHEMA, fitsEdm } from './schema.js';
import { setActualWork, setPercentComplete, setRemainingWork, setWork } from './work.js';

/** Queue message types (PS.QueueMsgType) for the jobs the edit flow creates. */
export const MessageType = { ProjectCheckIn: 21, ProjectPublish: 24, ProjectUpdate: 28 } as const;

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

export interface ServiceOptions {
  /** How long a queue job stays in Processing. */
  queueJobMs: number;
  /** The site's regional zone (IANA): PWA dates, `Modified` included, are wall-clock times there. Default UTC. */
  timeZone?: string;
}

/** A scripted queue failure: the next job of this type (on this project, if given) fails. */
export interface JobFailure {
  messageType?: number;
  projectId?: string;
  error: string;
}

/** Project Server behaviour independent of HTTP: check-out, drafts, queue jobs, custom fields. */
export class PwaService {
  jobFailures: JobFailure[] = [];

  constructor(public state: SimState, public options: ServiceOptions) {}

  /** The site's wall-clock time now, as PWA writes it into Created, Modified and the like. */
  now(): string {
    return siteLocalNow(this.options.timeZone ?? 'UTC');
  }

  project(id: string): SimProject {
    const p = this.state.projects.find((x) => x.Id.toLowerCase() === id.toLowerCase());
    if (!p) throw psErrors.projectNotFound(id);
    return p;
  }

  /** Moves every job whose time is up to Success (applying its effect) or Failed. */
  advanceJobs(): void {
    const now = Date.now();
    for (const job of this.state.jobs.values()) {
      if (job.JobState !== JobState.Processing || job.doneAt > now) continue;
      if (job.failure) {
        job.JobState = JobState.Failed;
      } else {
        job.effect?.();
        job.JobState = JobState.Success;
        job.PercentComplete = 100;
      }
      job.effect = null;
    }
  }

  private submit(p: SimProject, messageType: number, effect: () => void): SimQueueJob {
    this.advanceJobs();
    const busy = [...this.state.jobs.values()].some((j) => j.ProjectId === p.Id && j.JobState === JobState.Processing);
    if (busy) throw psErrors.correlationBlocked(p.Name);
    const scripted = this.jobFailures.findIndex((f) => (f.messageType === undefined || f.messageType === messageType) && (f.projectId === undefined || f.projectId === p.Id));
    const failure = scripted >= 0 ? this.jobFailures.splice(scripted, 1)[0]!.error : null;
    const job: SimQueueJob = {
      Id: randomUUID(), ProjectId: p.Id, MessageType: messageType, JobState: JobState.Processing, PercentComplete: 0,
      submittedAt: Date.now(), doneAt: Date.now() + this.options.queueJobMs, effect, failure,
    };
    this.state.jobs.set(job.Id, job);
    if (this.options.queueJobMs <= 0) this.advanceJobs();
    return job;
  }

  job(p: SimProject, jobId: string): SimQueueJob {
    this.advanceJobs();
    const job = this.state.jobs.get(jobId.toLowerCase());
    if (!job || job.ProjectId !== p.Id) throw psErrors.itemDoesNotExist(`QueueJob ${jobId}`);
    return job;
  }

  checkOut(p: SimProject, user: SimUser): SimProject {
    if (!user.canEdit) throw psErrors.accessDenied();
    if (p.ProjectType === ProjectType.Inactive) throw psErrors.projectTypeInvalid(p.Name);
    if (p.checkout && p.checkout.user !== user.login) throw psErrors.checkedOutToOtherUser(p.Name, p.checkout.user);
    if (!p.checkout) {
      p.checkout = { user: user.login, checkOutId: randomUUID(), since: this.now() };
      p.draft = cloneTasks(p.tasks);
      p.draftLinks = cloneLinks(p.links);
    }
    return p;
  }

  /** The draft of a project checked out to this user. */
  draft(p: SimProject, user: SimUser): SimTask[] {
    if (!p.checkout || !p.draft) throw psErrors.notCheckedOut(p.Name);
    if (p.checkout.user !== user.login) throw psErrors.checkedOutToOtherUser(p.Name, p.checkout.user);
    return p.draft;
  }

  addDraftTask(p: SimProject, user: SimUser, info: Record<string, unknown>): SimTask {
    const draft = this.draft(p, user);
    const parentId = typeof info.ParentId === 'string' && info.ParentId !== EMPTY_GUID ? info.ParentId.toLowerCase() : null;
    if (parentId && !draft.some((t) => t.Id === parentId)) throw psErrors.taskNotFound(parentId);
    const id = typeof info.Id === 'string' && info.Id !== EMPTY_GUID ? info.Id.toLowerCase() : randomUUID();
    if (draft.some((t) => t.Id === id)) throw psErrors.badRequest(`A task with id ${id} already exists in the project.`);
    if (typeof info.Name !== 'string' || info.Name.trim() === '') throw psErrors.badRequest('The task name is required.');
    const task = newTask(p, info.Name, parentId, id);
    task.Id = id;
    task.Created = this.now();
    task.Modified = task.Created;
    task.Notes = typeof info.Notes === 'string' ? info.Notes : '';
    task.IsManual = info.IsManual === true;
    const parent = parentId ? draft.find((t) => t.Id === parentId) : undefined;
    task.Start = typeof info.Start === 'string' ? nextWorkingDay(info.Start.slice(0, 19)) : (parent?.Start ?? p.StartDate);
    this.applyDuration(p, task, info.Duration, typeof info.Finish === 'string' ? info.Finish.slice(0, 19) : undefined);
    const addAfter = typeof info.AddAfterId === 'string' && info.AddAfterId !== EMPTY_GUID ? info.AddAfterId.toLowerCase() : null;
    insertTask(draft, task, addAfter);
    recomputeOutline(draft, p.MinutesPerDay);
    return task;
  }

  private applyDuration(p: SimProject, task: SimTask, duration: unknown, finish: string | undefined): void {
    if (typeof duration === 'string') {
      const minutes = parseDuration(duration, p.MinutesPerDay);
      if (minutes === null) throw psErrors.badRequest(`The duration '${duration}' is not valid. Use forms like "5d", "16h" or "30m".`);
      task.DurationMinutes = minutes;
      task.Finish = finishFor(task.Start, minutes, p.MinutesPerDay);
    } else if (finish) {
      task.Finish = finish < task.Start ? task.Start : finish;
      const days = Math.max(1, Math.round((Date.parse(`${task.Finish.slice(0, 10)}Z`) - Date.parse(`${task.Start.slice(0, 10)}Z`)) / 86_400_000) + 1);
      task.DurationMinutes = days * p.MinutesPerDay;
      task.Finish = finishFor(task.Start, task.DurationMinutes, p.MinutesPerDay);
      if (finish.slice(0, 10) !== task.Finish.slice(0, 10)) task.Finish = `${finish.slice(0, 10)}T17:00:00`;
    } else {
      task.Finish = finishFor(task.Start, task.DurationMinutes, p.MinutesPerDay);
    }
  }

  /**
   * PATCH/MERGE of a draft task: only the writable scalar properties of PS.DraftTask, each value of
   * its Edm type (ODataLib refuses 50.5 or 2^31 for an Edm.Int32 with a 400).
   * Custom field properties are refused here; they are set through CSOM `SetCustomFieldValue`.
   * Work fields are applied in the order work.ts documents, recomputing the others as Project does.
   */
  updateDraftTask(p: SimProject, user: SimUser, taskId: string, changes: Record<string, unknown>): void {
    const draft = this.draft(p, user);
    const task = draft.find((t) => t.Id === taskId.toLowerCase());
    if (!task) throw psErrors.taskNotFound(taskId);
    const writable = new Set(['Name', 'Notes', 'Start', 'Finish', 'Duration', 'PercentComplete', 'IsManual', 'IsMilestone', 'Work', 'ParentId',
      'ActualWork', 'RemainingWork', 'Deadline', 'IsActive', 'TaskType']);
    for (const [key, value] of Object.entries(changes)) {
      if (key === '__metadata') continue;
      if (!writable.has(key)) throw psErrors.unknownProperty(key, 'PS.DraftTask');
      checkEdmValue('PS.DraftTask', key, value);
    }
    if (typeof changes.Name === 'string') task.Name = changes.Name;
    if (typeof changes.Notes === 'string') task.Notes = changes.Notes;
    if (typeof changes.IsManual === 'boolean') task.IsManual = changes.IsManual;
    if (typeof changes.IsMilestone === 'boolean') task.IsMilestone = changes.IsMilestone;
    if (typeof changes.IsActive === 'boolean') task.IsActive = changes.IsActive;
    if (typeof changes.Deadline === 'string') task.Deadline = changes.Deadline.startsWith('0001-01-01') ? EMPTY_DATE : changes.Deadline.slice(0, 19);
    if (typeof changes.TaskType === 'number') {
      if (!(Object.values(TaskType) as number[]).includes(changes.TaskType)) throw psErrors.badRequest(`TaskType ${changes.TaskType} is not a task type (0 fixed units, 1 fixed duration, 2 fixed work).`);
      task.TaskType = changes.TaskType;
    }
    const minutes = (key: string): number | null => {
      const value = changes[key];
      if (typeof value !== 'string') return null;
      const m = parseDuration(value, p.MinutesPerDay);
      if (m === null) throw psErrors.badRequest(`The ${key === 'Work' ? 'work' : key} value '${value}' is not valid.`);
      return m;
    };
    const work = minutes('Work');
    const remaining = minutes('RemainingWork');
    const actual = minutes('ActualWork');
    if (work !== null) setWork(task, work);
    if (remaining !== null) setRemainingWork(task, remaining);
    if (actual !== null) setActualWork(task, actual);
    if (typeof changes.PercentComplete === 'number') {
      if (changes.PercentComplete < 0 || changes.PercentComplete > 100) throw psErrors.badRequest('PercentComplete must be between 0 and 100.');
      setPercentComplete(task, changes.PercentComplete);
    }
    if (typeof changes.ParentId === 'string') {
      const parentId = changes.ParentId === EMPTY_GUID ? null : changes.ParentId.toLowerCase();
      if (parentId && !draft.some((t) => t.Id === parentId)) throw psErrors.taskNotFound(parentId);
      const index = draft.indexOf(task);
      draft.splice(index, 1);
      task.ParentId = parentId;
      insertTask(draft, task, null);
    }
    if (typeof changes.Start === 'string') task.Start = nextWorkingDay(changes.Start.slice(0, 19));
    if (typeof changes.Start === 'string' || typeof changes.Finish === 'string' || typeof changes.Duration === 'string') {
      this.applyDuration(p, task, changes.Duration, typeof changes.Finish === 'string' ? changes.Finish.slice(0, 19) : undefined);
    }
    task.Modified = this.now();
    recomputeOutline(draft, p.MinutesPerDay);
  }

  /**
   * `DraftTask.DeleteObject`: like any draft write it needs the caller's own check-out. The task
   * leaves the draft with its whole subtree; published tasks change only when the draft is published.
   */
  deleteDraftTask(p: SimProject, user: SimUser, taskId: string): SimTask[] {
    const draft = this.draft(p, user);
    const index = draft.findIndex((t) => t.Id === taskId.toLowerCase());
    if (index < 0) throw psErrors.taskNotFound(taskId);
    const removed = removeSubtree(draft, index);
    // Project drops the dependencies of a deleted task along with it.
    const gone = new Set(removed.map((t) => t.Id));
    if (p.draftLinks) p.draftLinks = p.draftLinks.filter((l) => !gone.has(l.StartId) && !gone.has(l.EndId));
    recomputeOutline(draft, p.MinutesPerDay);
    return removed;
  }

  setTaskCustomField(p: SimProject, user: SimUser, taskId: string, internalName: string, value: unknown): void {
    const draft = this.draft(p, user);
    const task = draft.find((t) => t.Id === taskId.toLowerCase());
    if (!task) throw psErrors.taskNotFound(taskId);
    const hex = /^Custom_(?:x005f_)?([0-9a-f]{32})$/i.exec(internalName)?.[1]?.toLowerCase();
    const field = this.state.customFields.find((f) => f.Id.replace(/-/g, '') === hex);
    if (!field || field.EntityTypeId !== this.state.entityTypes.TaskEntity) throw psErrors.itemDoesNotExist(`CustomField ${internalName}`);
    task.custom[field.Id] = coerceCustomValue(field, value);
    task.Modified = this.now();
  }

  update(p: SimProject, user: SimUser): SimQueueJob {
    this.draft(p, user);
    return this.submit(p, MessageType.ProjectUpdate, () => { p.LastSavedDate = this.now(); });
  }

  publish(p: SimProject, user: SimUser, checkIn: boolean): SimQueueJob {
    const draft = this.draft(p, user);
    return this.submit(p, MessageType.ProjectPublish, () => {
      p.tasks = stampIndirectChanges(p.tasks, cloneTasks(draft), this.now());
      p.links = cloneLinks(p.draftLinks ?? p.links);
      p.LastPublishedDate = this.now();
      if (p.tasks.length > 0) {
        p.StartDate = p.tasks.map((t) => t.Start).sort()[0]!;
        p.FinishDate = p.tasks.map((t) => t.Finish).sort().at(-1)!;
      }
      if (checkIn) this.release(p);
    });
  }

  /** checkIn(false) needs the caller's own check-out; checkIn(true) forces it whoever holds it. */
  checkIn(p: SimProject, user: SimUser, force: boolean): SimQueueJob {
    if (!force) this.draft(p, user);
    else if (!user.canEdit) throw psErrors.accessDenied();
    return this.submit(p, MessageType.ProjectCheckIn, () => this.release(p));
  }

  private release(p: SimProject): void {
    p.checkout = null;
    p.draft = null;
    p.draftLinks = null;
  }

  addCustomField(user: SimUser, info: Record<string, unknown>): SimCustomField {
    if (!user.canManageFields) throw psErrors.accessDenied();
    const name = typeof info.Name === 'string' ? info.Name.trim() : '';
    if (!name) throw psErrors.badRequest('The custom field name is required.');
    if (this.state.customFields.some((f) => f.Name.toLowerCase() === name.toLowerCase())) throw psErrors.fieldNameExists(name);
    const fieldType = Number(info.FieldType);
    if (!(Object.values(FieldType) as number[]).includes(fieldType)) throw psErrors.fieldInvalidType();
    const entityTypeId = String(info.EntityTypeId ?? '').toLowerCase();
    if (!Object.values(this.state.entityTypes).includes(entityTypeId)) throw psErrors.itemDoesNotExist(`EntityType ${entityTypeId}`);
    const lookupTableId = typeof info.LookupTableId === 'string' && info.LookupTableId !== EMPTY_GUID ? info.LookupTableId.toLowerCase() : null;
    if (lookupTableId && !this.state.lookupTables.some((t) => t.Id === lookupTableId)) throw psErrors.itemDoesNotExist(`LookupTable ${lookupTableId}`);
    const field: SimCustomField = {
      Id: typeof info.Id === 'string' && info.Id !== EMPTY_GUID ? info.Id.toLowerCase() : randomUUID(),
      Name: name, FieldType: fieldType, EntityTypeId: entityTypeId, LookupTableId: lookupTableId,
      Description: typeof info.Description === 'string' ? info.Description : '',
      IsRequired: info.IsRequired === true, IsMultilineText: info.IsMultilineText === true,
      Formula: typeof info.Formula === 'string' ? info.Formula : '',
    };
    this.state.customFields.push(field);
    flagDemoEventTasks(this.state, field);
    return field;
  }
}

/** ODataLib's check of a JSON value against the property's Edm type, before anything is applied. */
function checkEdmValue(type: string, name: string, value: unknown): void {
  const edm = SCHEMA[type]?.properties[name];
  if (!edm || value === null) return;
  const ok = edm === 'Edm.Int32' || edm === 'Edm.Int16' ? typeof value === 'number' && fitsEdm(edm, value)
    : edm === 'Edm.Boolean' ? typeof value === 'boolean'
      : typeof value === 'string';
  if (!ok) throw psErrors.invalidValue(name, edm);
}

/** "5d", "2.5d", "16h", "30m", "1w" into minutes; null when unreadable. */
export function parseDuration(text: string, minutesPerDay: number): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|h|d|w|ed|eh)?\??\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  switch ((m[2] ?? 'd').toLowerCase()) {
    case 'm': return Math.round(n);
    case 'h': case 'eh': return Math.round(n * 60);
    case 'w': return Math.round(n * minutesPerDay * 5);
    default: return Math.round(n * minutesPerDay);
  }
}

function coerceCustomValue(field: SimCustomField, value: unknown): unknown {
  if (field.LookupTableId) {
    const items = Array.isArray(value) ? value : [value];
    return items.map((v) => String(v).replace(/^Entry_/i, '').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5').toLowerCase());
  }
  switch (field.FieldType) {
    case FieldType.FLAG: return value === true || value === 'true' || value === 'True' || value === 1;
    case FieldType.NUMBER: case FieldType.COST: {
      const n = Number(value);
      if (!Number.isFinite(n)) throw psErrors.badRequest(`'${String(value)}' is not a number for the field ${field.Name}.`);
      return n;
    }
    default: return value === null || value === undefined ? '' : String(value);
  }
}

/** `YYYY-MM-DDTHH:mm:ss` in `timeZone` at this moment. */
export function siteLocalNow(timeZone: string, at = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

/**
 * Every published change moves a task's `Modified`: edits stamp it in the draft, and a task changed
 * only by the schedule (a summary's rolled-up dates, an outline position after a move) gets the
 * publish time, as Project does when it recalculates.
 */
export function stampIndirectChanges(published: readonly SimTask[], next: SimTask[], now: string): SimTask[] {
  const before = new Map(published.map((t) => [t.Id, t]));
  const content = (t: SimTask): string => JSON.stringify({ ...t, Modified: undefined });
  for (const task of next) {
    const old = before.get(task.Id);
    if (old && old.Modified === task.Modified && content(old) !== content(task)) task.Modified = now;
  }
  return next;
}
