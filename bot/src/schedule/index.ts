export { APPROVAL_POLICIES, WEEKDAYS, approvalPolicyOf, isTimed, nominalPeriodMs, type ApprovalPolicy, type Schedule, type TimedSchedule, type WallTime, type Weekday } from './model.js';
export { firstRunAt, nextRunAfter } from './next-run.js';
export { scheduleFromSpec, validateSchedule, type ScheduleResult } from './parse.js';
export { describeSchedule, describeWithNextRun, formatRunTime } from './describe.js';
export { afterRun, changesSince, pause, resume, scheduleState, syncStartDate, type ScheduleState } from './state.js';
export { canonicalTimeZone, instantOf, localDateTime, offsetAt, type LocalDateTime } from '../time/zone-time.js';
