/**
 * In-memory plan (PWA-like) behind the PlanSide port: versions, and batches that publish all or
 * nothing. It passes the PlanSide contract (bot/test/contracts/plan-side.contract.ts) that the
 * production adapter passes against sim/pwa, so it keeps what Project keeps and computes what
 * Project computes:
 * - every task reads with all the PWA field names; Work is hours ("12h"); actual work is kept as
 *   Project keeps it (assignWork) and remaining work is what is left; resources are never written;
 * - a task with subtasks is a "Summary" whose Work, dates and % complete roll up from them;
 * - a moved Start keeps the task's duration; a deleted summary takes its subtasks with it;
 * - a custom field the site lacks fails the whole batch;
 * - every task whose published values change (roll-ups included) gets a new version.
 */
import { PWA_WRITE_LIMITS } from '../../../src/adapters/plan-side.js';
import { formatHours, parseHours } from '../../../src/sync/mapping/work.js';
import type { FieldValue, Item } from '../../../src/sync/model.js';
import type { PlanSide, PlanWrite, PlanWriteResult } from '../../../src/sync/ports.js';
import { Crashpoint } from './crash.js';

export interface StoredTask {
  key: string;
  parentKey: string | null;
  /** What is stored: Name, Start, Finish, Work, PercentComplete, Notes, ResourceNames and custom fields. */
  fields: Record<string, FieldValue>;
  version: number;
  /** The task's Modified, when the double has a clock. */
  modifiedAt?: string;
}

/** Task properties (the adapter's BUILT_IN); any other field name is a task custom field. */
const BUILT_IN = new Set(['Name', 'Start', 'Finish', 'Work', 'RemainingWork', 'ActualWork', 'PercentComplete', 'Notes', 'ResourceNames', 'Duration']);
const DAY_MS = 86_400_000;

const dayMs = (local: string): number => Date.parse(`${local.slice(0, 10)}T00:00:00Z`);
const isWeekend = (ms: number): boolean => [0, 6].includes(new Date(ms).getUTCDay());
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Working days (Monday to Friday) from start to finish, both included; at least 1. */
function workingDays(start: string, finish: string): number {
  let days = 0;
  for (let ms = dayMs(start); ms <= dayMs(finish); ms += DAY_MS) if (!isWeekend(ms)) days++;
  return Math.max(days, 1);
}

/** The finish of a task starting at `start` that lasts `days` working days (17:00 of the last one). */
function finishAfter(start: string, days: number): string {
  let ms = dayMs(start);
  while (isWeekend(ms)) ms += DAY_MS;
  for (let left = days - 1; left > 0;) {
    ms += DAY_MS;
    if (!isWeekend(ms)) left--;
  }
  return `${dayOf(ms)}T17:00:00`;
}

const isDate = (v: FieldValue | undefined): v is string => typeof v === 'string' && v !== '';
const hoursOf = (v: FieldValue | undefined): number => (v === undefined ? 0 : parseHours(v) ?? 0);
const percentOf = (v: FieldValue | undefined): number => (typeof v === 'number' ? v : 0);

/** Work already done: as held, or Work × % complete for a task typed in with no actuals. */
const actualOf = (fields: Readonly<Record<string, FieldValue>>): number =>
  fields.ActualWork !== undefined ? hoursOf(fields.ActualWork) : hoursOf(fields.Work) * Math.min(Math.max(percentOf(fields.PercentComplete), 0), 100) / 100;

/**
 * Applies a change to a leaf task the way Project keeps its work (as sim/pwa/work.ts does, in its
 * order: Work, RemainingWork, ActualWork, % complete): Work keeps the work already done and never
 * drops below it; remaining work sets Work; actual work moves % complete; % complete sets actual
 * work to Work × %.
 */
function assignWork(fields: Record<string, FieldValue>, change: Readonly<Record<string, FieldValue>>): void {
  let actual = actualOf(fields);
  let work = hoursOf(fields.Work);
  let percent = percentOf(fields.PercentComplete);
  Object.assign(fields, change);
  if ('Work' in change) work = Math.max(hoursOf(change.Work), actual);
  if ('RemainingWork' in change) work = actual + hoursOf(change.RemainingWork);
  if ('ActualWork' in change) {
    actual = hoursOf(change.ActualWork);
    work = Math.max(work, actual);
  }
  if ('RemainingWork' in change || 'ActualWork' in change) percent = work > 0 ? Math.round((actual / work) * 100) : percent;
  if ('PercentComplete' in change) {
    percent = percentOf(change.PercentComplete);
    actual = (work * percent) / 100;
  }
  if (!['Work', 'RemainingWork', 'ActualWork', 'PercentComplete'].some((f) => f in change)) return;
  fields.Work = formatHours(work);
  fields.ActualWork = formatHours(Math.min(actual, work));
  fields.PercentComplete = percent;
}

export class MemoryPlan implements PlanSide {
  readonly limits = PWA_WRITE_LIMITS;
  private published = new Map<string, StoredTask>();
  /** Seeds and edits not published yet: published together on the next look, as one save would. */
  private pending: Array<(draft: Map<string, StoredTask>) => void> = [];

  /** The published plan (what Project holds); pending seeds and edits are published first. */
  get tasks(): Map<string, StoredTask> {
    if (this.pending.length > 0) {
      const changes = this.pending;
      this.pending = [];
      this.published = this.publish(this.published, (draft) => { for (const change of changes) change(draft); });
    }
    return this.published;
  }

  set tasks(value: Map<string, StoredTask>) {
    this.published = value;
  }
  batches = 0;
  crash = new Crashpoint();
  /** The project's start: where a task with no dates (and no parent) begins. A Monday. */
  projectStart = '2026-01-05T08:00:00';
  /** The site's task custom fields; writing any other custom field fails the batch. */
  customFields = new Set(['Risk Notes', 'Cost Center', 'Sync to ADO', 'ADO Work Item ID', 'ADO Work Item Link', 'ADO Work Item Type', 'ADO Project']);
  /** When set, every published change stamps the task's modified time (like PWA's Modified); otherwise tasks have none. */
  clock: (() => string) | null = null;
  private next = 1;

  private stamp(task: StoredTask): void {
    if (this.clock) task.modifiedAt = this.clock();
  }

  /** A task as somebody typed it into the plan (no validation; resources and custom fields as given). */
  seed(fields: Record<string, FieldValue>, parentKey: string | null = null): string {
    const key = `task-${String(this.next++).padStart(4, '0')}`;
    this.pending.push((draft) => draft.set(key, { key, parentKey, fields: { ...fields }, version: 1 }));
    if (this.clock) void this.tasks; // each change gets its own modified time
    return key;
  }

  /** An edit somebody makes in the plan, published. */
  edit(key: string, fields: Record<string, FieldValue>, parentKey?: string | null): void {
    this.pending.push((draft) => {
      const t = draft.get(key)!;
      assignWork(t.fields, fields);
      if (parentKey !== undefined) t.parentKey = parentKey;
    });
    if (this.clock) void this.tasks; // each change gets its own modified time
  }

  clone(): MemoryPlan {
    const copy = new MemoryPlan();
    copy.next = this.next;
    copy.clock = this.clock;
    copy.projectStart = this.projectStart;
    copy.customFields = new Set(this.customFields);
    for (const [k, v] of this.tasks) copy.tasks.set(k, { ...v, fields: { ...v.fields } });
    return copy;
  }

  /** What a read shows: stored values with Project's defaults, computed work and summary roll-ups. */
  private view(tasks: ReadonlyMap<string, StoredTask>): Map<string, Item> {
    const children = new Map<string, StoredTask[]>();
    for (const t of tasks.values()) {
      if (t.parentKey !== null && tasks.has(t.parentKey)) children.set(t.parentKey, [...(children.get(t.parentKey) ?? []), t]);
    }
    const out = new Map<string, Item>();
    const startOf = (t: StoredTask): string => {
      if (isDate(t.fields.Start)) return t.fields.Start;
      const parent = t.parentKey === null ? undefined : tasks.get(t.parentKey);
      return parent && parent !== t ? startOf(parent) : this.projectStart;
    };
    const visit = (t: StoredTask): Item => {
      const done = out.get(t.key);
      if (done) return done;
      const kids = (children.get(t.key) ?? []).map(visit);
      let start: string; let finish: string; let hours: number; let percent: number; let actual: number;
      if (kids.length > 0) {
        start = kids.map((k) => String(k.fields.Start)).sort()[0]!;
        finish = kids.map((k) => String(k.fields.Finish)).sort().at(-1)!;
        hours = kids.reduce((sum, k) => sum + hoursOf(k.fields.Work), 0);
        actual = kids.reduce((sum, k) => sum + hoursOf(k.fields.ActualWork), 0);
        const weight = kids.reduce((sum, k) => sum + (hoursOf(k.fields.Work) || 1 / 60), 0);
        percent = Math.round(kids.reduce((sum, k) => sum + percentOf(k.fields.PercentComplete) * (hoursOf(k.fields.Work) || 1 / 60), 0) / weight);
      } else {
        start = startOf(t);
        finish = isDate(t.fields.Finish) && t.fields.Finish >= start ? t.fields.Finish : finishAfter(start, 1);
        hours = hoursOf(t.fields.Work);
        percent = percentOf(t.fields.PercentComplete);
        actual = Math.min(actualOf(t.fields), hours);
      }
      const fields: Record<string, FieldValue> = {
        ...t.fields,
        Name: String(t.fields.Name ?? ''), Start: start, Finish: finish,
        Work: formatHours(hours), ActualWork: formatHours(actual), RemainingWork: formatHours(hours - actual),
        PercentComplete: percent, Notes: String(t.fields.Notes ?? ''), ResourceNames: String(t.fields.ResourceNames ?? ''),
        Duration: `${workingDays(start, finish) * 8}h`,
      };
      const item: Item = {
        key: t.key, system: 'plan', type: kids.length > 0 ? 'Summary' : 'Task', parentKey: t.parentKey, fields, version: t.version,
        ...(t.modifiedAt ? { modifiedAt: t.modifiedAt } : {}),
      };
      out.set(t.key, item);
      return item;
    };
    for (const t of tasks.values()) visit(t);
    return out;
  }

  /**
   * Edits a draft copy and publishes it: every task whose published values changed, directly or
   * by a roll-up, gets a new version (and Modified), as Project stamps it on publish.
   */
  private publish(published: Map<string, StoredTask>, change: (draft: Map<string, StoredTask>) => void): Map<string, StoredTask> {
    const draft = new Map([...published].map(([k, v]) => [k, { ...v, fields: { ...v.fields } }]));
    change(draft);
    const before = this.view(published);
    const after = this.view(draft);
    // What Project computed is what the task now holds (a summary keeps its roll-ups), so tests
    // looking at `tasks` see the plan as it is, not as it was typed.
    for (const [key, item] of after) {
      const { Duration: _d, ...held } = item.fields;
      draft.get(key)!.fields = held;
    }
    const content = (i: Item | undefined): string => JSON.stringify(i && { ...i, version: undefined, modifiedAt: undefined });
    for (const [key, item] of after) {
      const old = before.get(key);
      if (old && content(old) === content(item)) continue;
      const t = draft.get(key)!;
      if (old) t.version = Number(old.version) + 1;
      this.stamp(t);
    }
    return draft;
  }

  async readScope(_scope?: Parameters<PlanSide['readScope']>[0]): Promise<Item[]> {
    return this.crash.run(() => [...this.view(this.tasks).values()]);
  }

  async readByKeys(_projectId: string, keys: readonly string[]): Promise<Item[]> {
    return this.crash.run(() => {
      const view = this.view(this.tasks);
      return [...new Set(keys)].flatMap((k) => (view.has(k) ? [view.get(k)!] : []));
    });
  }

  /** Stored values of a write: what the adapter sends (never remaining/actual work, duration or resources). */
  private writable(fields: Readonly<Record<string, FieldValue>>): Record<string, FieldValue> {
    const out: Record<string, FieldValue> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'Name' || name === 'Notes') out[name] = value === null ? '' : String(value);
      else if (name === 'Start' || name === 'Finish') { if (isDate(value)) out[name] = value; }
      else if (name === 'Work') { const h = parseHours(value); if (h !== null) out.Work = formatHours(Math.round(h * 60) / 60); }
      else if (name === 'PercentComplete') { if (typeof value === 'number') out.PercentComplete = Math.round(value); }
      else if (!BUILT_IN.has(name)) {
        if (!this.customFields.has(name)) throw new Error(`The task custom field "${name}" does not exist in Project Web App. Run "Verify configuration" and "Create fields".`);
        out[name] = value;
      }
    }
    return out;
  }

  /**
   * Like the adapter: preconditions against the published plan, then one cycle on a draft
   * (creates, updates, deletes), published all or nothing.
   */
  async applyBatch(_projectId: string, writes: readonly PlanWrite[]): Promise<PlanWriteResult[]> {
    return this.crash.run(() => {
      const published = this.view(this.tasks);
      const results = new Map<string, PlanWriteResult>();
      const sent: PlanWrite[] = [];
      const values = new Map<string, Record<string, FieldValue>>();
      for (const w of writes) {
        const current = published.get(w.key);
        if (w.kind === 'create') {
          if (current) results.set(w.opId, { opId: w.opId, status: 'done' });
          else sent.push(w);
        } else if (!current || String(current.version) !== String(w.expectedVersion)) {
          results.set(w.opId, { opId: w.opId, status: 'stale' });
        } else sent.push(w);
        // A bad custom field fails the batch before anything is written.
        if (w.kind !== 'delete') values.set(w.opId, this.writable(w.fields));
      }
      if (sent.length > 0) {
        this.tasks = this.publish(this.tasks, (draft) => {
          // The draft as the batch found it, built once (a view per write made big batches quadratic).
          let found: Map<string, Item> | undefined;
          const viewOfDraft = (): Map<string, Item> => (found ??= this.view(draft));
          for (const w of sent.filter((s) => s.kind === 'create')) {
            if (w.kind !== 'create') continue;
            if (w.parentKey !== null && !draft.has(w.parentKey)) throw new Error(`The parent task ${w.parentKey} does not exist in the plan.`);
            const stored = values.get(w.opId)!;
            if (isDate(stored.Finish) && !isDate(stored.Start)) stored.Start = viewOfDraft().get(w.parentKey ?? '')?.fields.Start ?? this.projectStart;
            draft.set(w.key, { key: w.key, parentKey: w.parentKey, fields: { ...stored, Name: String(stored.Name ?? '') || 'Untitled' }, version: 1 });
          }
          for (const w of sent) {
            if (w.kind !== 'update') continue;
            const t = draft.get(w.key);
            if (!t) throw new Error(`Task ${w.key} does not exist in the draft.`);
            const stored = values.get(w.opId)!;
            // A new Start without a Finish keeps the task's duration (Project moves the Finish).
            if (stored.Start !== undefined && stored.Finish === undefined) {
              const item = viewOfDraft().get(w.key)!;
              stored.Finish = finishAfter(String(stored.Start), workingDays(String(item.fields.Start), String(item.fields.Finish)));
            }
            assignWork(t.fields, stored);
            if (w.parentKey !== undefined) {
              if (w.parentKey !== null && !draft.has(w.parentKey)) throw new Error(`The parent task ${w.parentKey} does not exist in the plan.`);
              t.parentKey = w.parentKey;
            }
          }
          for (const w of sent) {
            if (w.kind !== 'delete') continue;
            const doomed = new Set([w.key]);
            for (let grew = true; grew;) {
              grew = false;
              for (const t of draft.values()) if (t.parentKey !== null && doomed.has(t.parentKey) && !doomed.has(t.key)) { doomed.add(t.key); grew = true; }
            }
            for (const k of doomed) draft.delete(k);
          }
        });
        for (const w of sent) results.set(w.opId, { opId: w.opId, status: 'done' });
      }
      this.batches++;
      return writes.map((w) => results.get(w.opId)!);
    });
  }
}
