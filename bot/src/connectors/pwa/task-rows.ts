import { taskVersion, type PlanDependency, type PlanFieldValue, type PlanTask, type PlanTaskType } from '../ppm.js';
import type { Row } from './client.js';
import { fromPwaDate } from './dates.js';
import type { PwaField } from './fields.js';
import { taskPropertyName } from './mapping.js';
import { parsePwaDuration } from './units.js';

/** PublishedTask rows (reads.ts TASK_SELECT) to plan tasks. */

/** PS TaskType codes (projectserver-rest-docs/TaskType.md); 1000 is Project's internal placeholder. */
const TASK_TYPES: Record<number, PlanTaskType> = { 0: 'fixed-units', 1: 'fixed-duration', 2: 'fixed-work' };

export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A task custom field as a read maps it: its property name and its lookup entries by internal name, worked out once per read, not per task. */
export interface FieldReader {
  field: PwaField;
  property: string;
  entries: Map<string, string>;
}

export function fieldReader(field: PwaField): FieldReader {
  const entries = new Map<string, string>();
  for (const e of field.entries) {
    const key = e.internalName.toLowerCase();
    if (!entries.has(key)) entries.set(key, e.value);
  }
  return { field, property: taskPropertyName(field.internalName), entries };
}

function customValue({ field, entries }: FieldReader, raw: unknown): PlanFieldValue {
  if (raw === null || raw === undefined) return null;
  if (field.entries.length > 0 || Array.isArray(raw)) {
    const items = Array.isArray(raw) ? raw : [raw];
    return items.map((i) => entries.get(String(i).toLowerCase()) ?? String(i));
  }
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return String(raw);
}

/** Durations and work of a read in minutes; the same few strings ("5d", "40h") recur across thousands of tasks, so each is parsed once. */
function minutesReader(minutesPerDay: number): (value: unknown) => number {
  const parsed = new Map<string, number>();
  return (value) => {
    if (typeof value !== 'string') return parsePwaDuration(value as undefined, minutesPerDay) ?? 0;
    let minutes = parsed.get(value);
    if (minutes === undefined) parsed.set(value, (minutes = parsePwaDuration(value, minutesPerDay) ?? 0));
    return minutes;
  };
}

export interface TaskRowContext {
  fields: FieldReader[];
  minutesPerDay: number;
  /** Predecessors by lower-case task id. */
  dependencies: Map<string, PlanDependency[]>;
}

/** Maps task rows; one mapper per read, so its parsed durations are shared by all the read's rows. */
export function taskRowMapper(context: TaskRowContext): (row: Row) => PlanTask {
  const { fields, dependencies } = context;
  const minutes = minutesReader(context.minutesPerDay);
  return (row) => {
    const parent = row.Parent as Row | null | undefined;
    const customFields: Record<string, PlanFieldValue> = {};
    for (const reader of fields) {
      const raw = row[reader.property];
      if (raw !== undefined && raw !== null) customFields[reader.field.name] = customValue(reader, raw);
    }
    const modified = fromPwaDate(row.Modified);
    const id = String(row.Id);
    const task: Omit<PlanTask, 'version'> = {
      id,
      parentId: parent && typeof parent.Id === 'string' ? parent.Id : null,
      outlineLevel: Number(row.OutlineLevel),
      outlinePosition: String(row.OutlinePosition ?? ''),
      isSummary: row.IsSummary === true,
      name: String(row.Name ?? ''),
      start: fromPwaDate(row.Start),
      finish: fromPwaDate(row.Finish),
      durationMinutes: minutes(row.Duration),
      workMinutes: minutes(row.Work),
      actualWorkMinutes: minutes(row.ActualWork),
      remainingWorkMinutes: minutes(row.RemainingWork),
      percentComplete: Number(row.PercentComplete ?? 0),
      notes: typeof row.Notes === 'string' ? row.Notes : '',
      deadline: fromPwaDate(row.Deadline),
      isMilestone: row.IsMilestone === true,
      // Absent means active: only Project 2010+ plans can inactivate a task.
      isActive: row.IsActive !== false,
      taskType: TASK_TYPES[Number(row.TaskType)] ?? null,
      isSubProject: row.IsSubProject === true,
      predecessors: dependencies.get(id.toLowerCase()) ?? [],
      assignments: ((row.Assignments as Row[] | undefined) ?? []).map((a) => {
        const resource = (a.Resource as Row | null | undefined) ?? {};
        return {
          resourceId: String(resource.Id ?? ''), resourceName: String(resource.Name ?? ''), resourceEmail: str(resource.Email),
          workMinutes: minutes(a.Work), actualWorkMinutes: minutes(a.ActualWork), remainingWorkMinutes: minutes(a.RemainingWork),
        };
      }),
      customFields,
      modified,
    };
    // The version is stamped onto the task (last, as a spread would put it) rather than copying all of it.
    return Object.assign(task, { version: taskVersion(task, task.modified) });
  };
}
