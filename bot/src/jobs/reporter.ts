import type { Schedule } from '../schedule/index.js';
import type { ClassifiedFailure } from './failure-causes.js';
import type { StreakNotice } from './failure-streak.js';
import type { IntegrationKey } from './runner.js';

/**
 * What the scheduler tells people, as a port: the Teams side implements it with proactive
 * messages to the integration's conversation (report card, failure card with Retry / Fix the
 * connection / Pause the schedule, recovered message). Called at most once per finished run,
 * while the run still holds its lease. A reporter that throws is logged; the run still counts.
 */
export interface ScheduledRunInfo extends IntegrationKey {
  readonly slot: string;
  readonly schedule: Schedule;
  readonly resumed: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export type FailureNotice = Extract<StreakNotice, { kind: 'failure-started' | 'failure-reminder' }>;
export type RecoveredNotice = Extract<StreakNotice, { kind: 'recovered' }>;

export interface RunReporter<S = unknown> {
  /** After every successful scheduled run that did not end a failure streak: the report card. */
  reportSuccess(run: ScheduledRunInfo, summary: S): Promise<void>;
  /** The first failure of a streak, then at most one reminder a day (quiet failures are not reported). */
  reportFailure(run: ScheduledRunInfo, failure: ClassifiedFailure, notice: FailureNotice): Promise<void>;
  /** The run that ended a failure streak: one "recovered" message, carrying the run's summary too. */
  reportRecovered(run: ScheduledRunInfo, notice: RecoveredNotice, summary: S): Promise<void>;
}
