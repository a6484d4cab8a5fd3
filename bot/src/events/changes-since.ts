import type { PlanTask } from '../connectors/ppm.js';
import { siteLocalToUtc } from '../connectors/pwa/dates.js';
import { CREATE_EVENT_FIELD, wantsEvent } from './plan.js';

/**
 * The synchronization start date for Outlook events, by the rules sync/changes-since.ts gives work
 * items: a PM who starts on 1 December does not want invitations for every task flagged years ago.
 * - Only tasks without an event are left out. A task with a stored link or a marked event is always
 *   planned, so its updates and proposed cancels are never hidden.
 * - A task with no readable modified time is kept: never dropped silently.
 * Leaving a task out only holds back its create: the planner proposes cancels from events and
 * links, never from tasks it was not given.
 */
export interface TasksChangedSince {
  readonly tasks: readonly PlanTask[];
  /** Flagged tasks left out, for the preview. */
  readonly leftOut: { readonly since: string; readonly tasks: number };
}

export interface ChangesSinceOptions {
  /** ISO instant. */
  readonly since: string;
  /** The plan site's zone: a task's `modified` is a wall-clock time there. */
  readonly timeZone: string;
  /** Tasks that already have an event (stored link or marker found). */
  readonly hasEvent: (taskId: string) => boolean;
  readonly flagField?: string;
}

/** The tasks a run plans; null when the instant is unreadable (nothing is left out). */
export function tasksChangedSince(tasks: readonly PlanTask[], options: ChangesSinceOptions): TasksChangedSince | null {
  const cutoff = Date.parse(options.since);
  if (Number.isNaN(cutoff)) return null;
  const kept: PlanTask[] = [];
  let leftOut = 0;
  for (const task of tasks) {
    if (options.hasEvent(task.id) || !modifiedBefore(task, cutoff, options.timeZone)) kept.push(task);
    else if (wantsEvent(task, options.flagField ?? CREATE_EVENT_FIELD)) leftOut += 1;
  }
  return { tasks: kept, leftOut: { since: new Date(cutoff).toISOString(), tasks: leftOut } };
}

function modifiedBefore(task: PlanTask, cutoff: number, timeZone: string): boolean {
  if (!task.modified) return false;
  try {
    return Date.parse(siteLocalToUtc(task.modified, timeZone)) < cutoff;
  } catch {
    return false;
  }
}
