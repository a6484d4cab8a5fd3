import type { SimTask } from './model.js';

/**
 * Outline bookkeeping the real scheduling engine does on save: levels, positions, summary flags,
 * and summary roll-ups (dates, work, actual work, duration, % complete). Calendar: Monday to Friday, 08:00-17:00.
 */

const DAY_MS = 86_400_000;

function parseLocal(local: string): number {
  return Date.parse(`${local.slice(0, 19)}Z`);
}
function formatLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
function isWeekend(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
}

/** Moves a date to the next working day if it falls on a weekend, keeping the time of day. */
export function nextWorkingDay(local: string): string {
  let ms = parseLocal(local);
  while (isWeekend(ms)) ms += DAY_MS;
  return formatLocal(ms);
}

/** Finish of a task that starts at `start` and lasts `durationMinutes` of working time. */
export function finishFor(start: string, durationMinutes: number, minutesPerDay: number): string {
  const days = Math.max(1, Math.ceil(durationMinutes / minutesPerDay));
  let ms = parseLocal(`${nextWorkingDay(start).slice(0, 10)}T00:00:00`);
  let remaining = days - 1;
  while (remaining > 0) {
    ms += DAY_MS;
    if (!isWeekend(ms)) remaining -= 1;
  }
  return `${formatLocal(ms).slice(0, 10)}T17:00:00`;
}

/** Working days from start to finish, both included. */
export function workingDaysBetween(start: string, finish: string): number {
  let ms = parseLocal(`${start.slice(0, 10)}T00:00:00`);
  const end = parseLocal(`${finish.slice(0, 10)}T00:00:00`);
  let days = 0;
  while (ms <= end) {
    if (!isWeekend(ms)) days += 1;
    ms += DAY_MS;
  }
  return Math.max(days, 0);
}

/** Index one past the end of the subtree rooted at `index`. */
export function subtreeEnd(tasks: SimTask[], index: number): number {
  const ids = new Set([tasks[index]!.Id]);
  let i = index + 1;
  while (i < tasks.length && tasks[i]!.ParentId !== null && ids.has(tasks[i]!.ParentId!)) {
    ids.add(tasks[i]!.Id);
    i += 1;
  }
  return i;
}

/** Removes the task at `index` with every task under it (Project deletes a summary's subtasks too). */
export function removeSubtree(tasks: SimTask[], index: number): SimTask[] {
  return tasks.splice(index, subtreeEnd(tasks, index) - index);
}

/** Inserts a task in outline order: after `addAfterId`'s subtree, else as the last child of its parent. */
export function insertTask(tasks: SimTask[], task: SimTask, addAfterId: string | null): void {
  let at = tasks.length;
  const after = addAfterId ? tasks.findIndex((t) => t.Id === addAfterId) : -1;
  if (after >= 0) {
    at = subtreeEnd(tasks, after);
  } else if (task.ParentId) {
    const parent = tasks.findIndex((t) => t.Id === task.ParentId);
    if (parent >= 0) at = subtreeEnd(tasks, parent);
  }
  tasks.splice(at, 0, task);
}

/** Recomputes OutlineLevel, OutlinePosition, IsSummary and summary roll-ups after any change. */
export function recomputeOutline(tasks: SimTask[], minutesPerDay: number): void {
  const byId = new Map(tasks.map((t) => [t.Id, t]));
  const childCount = new Map<string | null, number>();
  const children = new Map<string, SimTask[]>();
  for (const task of tasks) {
    const parent = task.ParentId && byId.has(task.ParentId) ? byId.get(task.ParentId)! : null;
    const n = (childCount.get(parent?.Id ?? null) ?? 0) + 1;
    childCount.set(parent?.Id ?? null, n);
    task.OutlineLevel = parent ? parent.OutlineLevel + 1 : 1;
    task.OutlinePosition = parent ? `${parent.OutlinePosition}.${n}` : String(n);
    if (parent) {
      const list = children.get(parent.Id) ?? [];
      list.push(task);
      children.set(parent.Id, list);
    }
  }
  // Roll up bottom-up: walking the outline backwards visits children before their parent.
  for (let i = tasks.length - 1; i >= 0; i -= 1) {
    const task = tasks[i]!;
    const kids = children.get(task.Id);
    task.IsSummary = Boolean(kids && kids.length > 0);
    if (!kids || kids.length === 0) continue;
    // Inactive tasks stay in the outline but Project leaves them out of the summary's roll-up.
    const active = kids.filter((k) => k.IsActive);
    const counted = active.length > 0 ? active : kids;
    task.Start = counted.map((k) => k.Start).sort()[0]!;
    task.Finish = counted.map((k) => k.Finish).sort().at(-1)!;
    task.WorkMinutes = active.reduce((sum, k) => sum + k.WorkMinutes, 0);
    task.ActualWorkMinutes = active.reduce((sum, k) => sum + k.ActualWorkMinutes, 0);
    task.DurationMinutes = workingDaysBetween(task.Start, task.Finish) * minutesPerDay;
    const weight = counted.reduce((sum, k) => sum + (k.WorkMinutes || 1), 0);
    task.PercentComplete = Math.round(counted.reduce((sum, k) => sum + k.PercentComplete * (k.WorkMinutes || 1), 0) / weight);
  }
}
