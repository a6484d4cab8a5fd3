/**
 * Dataverse and Project Schedule API limits the Planner premium connector plans around, each with
 * its source in ../shared/notes/planner-premium.md.
 */
import { GATEWAY_AND_THROTTLE, type RetryLimits } from '../../net/retry-policy.js';

/**
 * Service protection answers 429 with Retry-After in seconds ("Auth, discovery, limits", MS
 * api-limits.md); gateways answer 502/503/504 under load. The window is 5 minutes, so a server may
 * ask for minutes: PlanBridge waits at most two for one ask, as for PWA, since longer would hold a
 * chat turn or a run's lease past any sensible wait.
 */
export const DATAVERSE_RETRY: RetryLimits = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  retryStatuses: GATEWAY_AND_THROTTLE,
};

// Service protection (per user per web server over 5 minutes, MS api-limits.md) answers 429 with
// Retry-After (codes 0x80072322 requests, 0x80072321 execution time, 0x80072326 concurrency); the
// retry policy reads Retry-After whatever the code.

/**
 * 52 concurrent requests per user are answered 429 at once (MS api-limits.md). PlanBridge keeps
 * well under it, since the same signed-in user may also have Project open in a browser.
 */
export const DEFAULT_MAX_IN_FLIGHT = 8;

/** `Prefer: odata.maxpagesize` is at most 5,000, also the default ("Paging", MS page-results.md). */
export const MAX_PAGE_SIZE = 5_000;

/** At most 200 operations per operation set ("Write rules and limits", MS); sets run one at a time, so the 10 open sets per user are never reached. */
export const OPERATIONS_PER_SET = 200;

/**
 * Poll the set's msdyn_status every 3-10 s; P90 end to end is about 8 s for one task and 16-70 s
 * for 100 ("Asynchronous", MS project-schedule-api-performance.md). Ten minutes covers a full set
 * of 200 with room for a slow tenant.
 */
export const DEFAULT_POLL_INTERVAL_MS = 3_000;
export const DEFAULT_OPERATION_SET_TIMEOUT_MS = 600_000;

/**
 * msdyn_status of an operation set: Open, Pending and Completed agree across sources; which of
 * 192350002/192350004 is Failed and which Abandoned does not, so the FormattedValue label decides
 * and these codes only back it up ("msdyn_status values" [?]).
 */
export const OPERATION_SET_STATUS = { open: 192350000, pending: 192350001, completed: 192350003, failedOrAbandoned: [192350002, 192350004] } as const;

/** A working day of Project for the web's default calendar: 8 hours (msdyn_duration is in days [3P]). */
export const MINUTES_PER_DAY = 480;
