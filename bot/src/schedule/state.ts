import type { ApprovalPolicy, Schedule } from './model.js';
import { firstRunAt, nextRunAfter } from './next-run.js';

/**
 * What the scheduler keeps per integration: the schedule, the synchronization start date and the
 * next due run. Pure functions; the jobs module stores the result.
 */
export interface ScheduleState {
  readonly schedule: Schedule;
  /** Synchronization start date (ISO instant): no run before it, and the first run only considers changes after it. */
  readonly startAt: string;
  /**
   * `startAt` when someone gave it (chat "starting ...", the schedule card); absent when it only
   * defaulted to the moment the schedule was set. Syncs leave out unlinked items unchanged since
   * then (sync/changes-since.ts); a defaulted date must not hide everything that already exists.
   */
  readonly changesFrom?: string;
  /** The next due run (ISO instant); absent when on demand or paused. */
  readonly nextRunAt?: string;
  readonly paused?: boolean;
  readonly lastRun?: { readonly slot: string; readonly startedAt: string; readonly finishedAt: string; readonly outcome: 'succeeded' | 'failed' };
  /** When the last successful run started: the next run considers changes since then. */
  readonly lastSuccessStartedAt?: string;
  /** Absent = 'preview' (send the preview for approval). */
  readonly approval?: ApprovalPolicy;
}

/** A new or changed schedule: its first run is the first slot at or after both the start date and now. */
export function scheduleState(schedule: Schedule, startAt: Date, now: Date, previous?: ScheduleState): ScheduleState {
  const next = firstRunAt(schedule, startAt, now);
  const changesFrom = givenStartDate(startAt, now, previous);
  return {
    schedule,
    startAt: startAt.toISOString(),
    ...(changesFrom ? { changesFrom } : {}),
    ...(next ? { nextRunAt: next.toISOString() } : {}),
    ...(previous?.lastRun ? { lastRun: previous.lastRun } : {}),
    ...(previous?.lastSuccessStartedAt ? { lastSuccessStartedAt: previous.lastSuccessStartedAt } : {}),
    ...(previous?.approval ? { approval: previous.approval } : {}),
  };
}

/**
 * The start date someone gave, if any. Callers pass `now` itself as the start when none was given
 * and the previous start when it is kept (flows/schedule.ts), so: equal to `now` = defaulted;
 * equal to the previous start = whatever that one was; anything else = given.
 */
function givenStartDate(startAt: Date, now: Date, previous: ScheduleState | undefined): string | undefined {
  const at = startAt.toISOString();
  if (previous && previous.startAt === at) return previous.changesFrom;
  return startAt.getTime() === now.getTime() ? undefined : at;
}

/** The synchronization start date of a stored schedule record, when one was given (see `changesFrom`). */
export function syncStartDate(record: { readonly [field: string]: unknown } | undefined): string | undefined {
  const from = record?.['changesFrom'];
  return typeof from === 'string' && !Number.isNaN(Date.parse(from)) ? from : undefined;
}

/**
 * After the run for `slot`: the next slot after both the slot and the moment it finished, so a run
 * that overran (or a scheduler that was down) runs once late instead of catching up a backlog.
 */
export function afterRun(state: ScheduleState, run: { slot: string; startedAt: Date; finishedAt: Date; outcome: 'succeeded' | 'failed' }): ScheduleState {
  const from = new Date(Math.max(Date.parse(run.slot), run.finishedAt.getTime()));
  const next = state.paused ? undefined : nextRunAfter(state.schedule, from);
  const { nextRunAt: _old, ...rest } = state;
  return {
    ...rest,
    ...(next ? { nextRunAt: next.toISOString() } : {}),
    lastRun: { slot: run.slot, startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt.toISOString(), outcome: run.outcome },
    ...(run.outcome === 'succeeded' ? { lastSuccessStartedAt: run.startedAt.toISOString() } : {}),
  };
}

export function pause(state: ScheduleState): ScheduleState {
  const { nextRunAt: _next, ...rest } = state;
  return { ...rest, paused: true };
}

export function resume(state: ScheduleState, now: Date): ScheduleState {
  const { paused: _paused, ...rest } = state;
  const next = firstRunAt(state.schedule, new Date(state.startAt), now);
  return { ...rest, ...(next ? { nextRunAt: next.toISOString() } : {}) };
}

/**
 * Which changes a scheduled run considers: on the first run those after the start date; later,
 * those since the last successful run started (a failed run's changes are considered again).
 */
export function changesSince(state: ScheduleState): string {
  const since = state.lastSuccessStartedAt;
  return since !== undefined && Date.parse(since) > Date.parse(state.startAt) ? since : state.startAt;
}
