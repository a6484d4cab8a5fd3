export { JobRunner, DEFAULT_LEASE_TTL_MS, leaseNameFor, type IntegrationKey, type JobContext, type JobResult, type JobRunnerOptions, type JobTrigger } from './runner.js';
export { createScheduler, startScheduler, scheduleTriggerKey, type EntryOutcome, type ScheduledRun, type ScheduledWork, type Scheduler, type SchedulerOptions, type TickReport } from './scheduler.js';
export { createCosmosScheduleBook, createMemoryScheduleBook, recordRun, type FinishedRun, type ScheduleBook, type ScheduleEntry } from './schedule-book.js';
export type { FailureNotice, RecoveredNotice, RunReporter, ScheduledRunInfo } from './reporter.js';
export { CAUSE_RULES, HEADLINES, classifyFailure, type ClassifiedFailure, type FailureCause } from './failure-causes.js';
export { afterRunOutcome, NO_STREAK, REMINDER_INTERVAL_MS, type StreakNotice, type StreakState } from './failure-streak.js';
export { PAT_WARNING_DAYS, daysUntil, patExpiryWarningDue, type ExpiryWarning } from './pat-expiry.js';
export { claimPatExpiryWarning, createLeaseOnceLedger, type OnceLedger } from './once-ledger.js';
