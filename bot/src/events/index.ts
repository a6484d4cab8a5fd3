export { applyEventPlan, DEFAULT_CANCEL_COMMENT, DEFAULT_EVENT_CONCURRENCY, type EventApplyOptions, type EventApplyOutcome, type EventLinkUpdate, type EventResult, type EventResultStatus } from './apply.js';
export { tasksChangedSince, type ChangesSinceOptions, type TasksChangedSince } from './changes-since.js';
export { eventTimes, STANDARD_WORKING_DAY, type EventTimes, type WorkingDay } from './event-times.js';
export { eventLinkId, markerPrefix, textDigest, transactionIdFor } from './ids.js';
export { eventJournalFrom } from './journal.js';
export type { EventChange, EventLink, EventOp, EventOpKind, EventPlan, ExistingEvent, UnmatchedPerson } from './model.js';
export { CREATE_EVENT_FIELD, eventDecisionsIn, eventPlanInStep, MasterProjectRefused, peopleToLookUp, planEvents, wantsEvent, type PlanEventsOptions } from './plan.js';
export type { EventCalendar, EventJournal, EventJournalEntry, EventMeter, EventPorts } from './ports.js';
