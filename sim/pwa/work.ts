import type { SimAssignment, SimTask } from './model.js';

/**
 * Work bookkeeping of a task and its assignments, kept as Project keeps it:
 * Work = ActualWork + RemainingWork on every task and assignment, a leaf's work and actual work are
 * the sums of its assignments', and PercentWorkComplete = ActualWork / Work (notes/pwa-rest.md: the
 * connector must read these as Project computes them, not derive them from % complete).
 *
 * Draft writes recompute the other fields the way Project does with its default option
 * "Updating task status updates resource status" (Project Options > Schedule) switched on:
 * - PercentComplete: actual work becomes Work x % (spread over the assignments by their work);
 * - ActualWork: remaining work shrinks; actual beyond Work raises Work (remaining never goes
 *   below zero); % complete follows % work complete;
 * - RemainingWork: Work becomes ActualWork + RemainingWork; % complete follows % work complete;
 * - Work: actual work is kept, remaining work absorbs the change (Work never drops below actual).
 *   % complete stays: the simulator does not reschedule duration from work.
 * One PATCH carrying several of them applies them in that order: Work, RemainingWork, ActualWork,
 * PercentComplete, so an explicit % complete wins.
 */

export function remainingWork(t: { WorkMinutes: number; ActualWorkMinutes: number }): number {
  return Math.max(0, t.WorkMinutes - t.ActualWorkMinutes);
}

/**
 * Actual / work in whole percent. A task with no work (no work resources, a milestone) reports
 * its % complete: finishing it finishes all of its (zero) work.
 */
export function percentWorkComplete(work: number, actual: number, percentComplete: number): number {
  return work > 0 ? Math.round((actual / work) * 100) : percentComplete;
}

/** Splits `total` over assignments in proportion to `weight`, largest remainders first, summing exactly. */
function spread(total: number, assignments: SimAssignment[], weight: (a: SimAssignment) => number): number[] {
  const weights = assignments.map(weight);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = assignments.map((_, i) => (sum > 0 ? (total * weights[i]!) / sum : total / assignments.length));
  const shares = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let left = total - shares.reduce((a, b) => a + b, 0), k = 0; left > 0; left -= 1, k += 1) {
    const i = order[k % order.length]![1];
    shares[i] = shares[i]! + 1;
  }
  return shares;
}

/** A leaf's work fields are the sums of its assignments'. */
function syncFromAssignments(task: SimTask): void {
  if (task.assignments.length === 0) return;
  task.WorkMinutes = task.assignments.reduce((s, a) => s + a.WorkMinutes, 0);
  task.ActualWorkMinutes = task.assignments.reduce((s, a) => s + a.ActualWorkMinutes, 0);
}

function spreadActual(task: SimTask, actual: number): void {
  task.ActualWorkMinutes = Math.min(actual, task.WorkMinutes);
  if (task.assignments.length === 0) return;
  spread(task.ActualWorkMinutes, task.assignments, (a) => a.WorkMinutes).forEach((m, i) => { task.assignments[i]!.ActualWorkMinutes = m; });
  syncFromAssignments(task);
}

export function setWork(task: SimTask, minutes: number): void {
  const work = Math.max(minutes, task.ActualWorkMinutes);
  if (task.assignments.length === 0) { task.WorkMinutes = work; return; }
  // Each assignment keeps its actuals; the remaining work is shared by what each had remaining.
  const remaining = spread(work - task.ActualWorkMinutes, task.assignments, (a) => remainingWork(a) || a.WorkMinutes || 1);
  task.assignments.forEach((a, i) => { a.WorkMinutes = a.ActualWorkMinutes + remaining[i]!; });
  syncFromAssignments(task);
}

export function setActualWork(task: SimTask, minutes: number): void {
  const actual = Math.max(0, minutes);
  if (actual > task.WorkMinutes) setWork(task, actual);
  spreadActual(task, actual);
  task.PercentComplete = percentWorkComplete(task.WorkMinutes, task.ActualWorkMinutes, task.PercentComplete);
}

export function setRemainingWork(task: SimTask, minutes: number): void {
  setWork(task, task.ActualWorkMinutes + Math.max(0, minutes));
  task.PercentComplete = percentWorkComplete(task.WorkMinutes, task.ActualWorkMinutes, task.PercentComplete);
}

export function setPercentComplete(task: SimTask, percent: number): void {
  task.PercentComplete = percent;
  spreadActual(task, Math.round((task.WorkMinutes * percent) / 100));
}
