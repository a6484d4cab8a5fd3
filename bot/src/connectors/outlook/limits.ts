/**
 * Microsoft Graph limits the Outlook connector plans around, each with its source in
 * ../shared/notes/graph-outlook-events.md (which cites concepts/throttling-limits.md and
 * resources/event.md).
 */
import { GATEWAY_AND_THROTTLE, type RetryLimits } from '../../net/retry-policy.js';

/**
 * A throttled call gets 429 ApplicationThrottled with Retry-After in seconds; some clients also saw
 * 503 ("Throttling"). The mailbox window is 10 minutes, so a server may ask for minutes: PlanBridge
 * waits at most two for one ask, as for PWA and Dataverse, since longer would hold a chat turn or a
 * run's lease past any sensible wait.
 */
export const GRAPH_RETRY: RetryLimits = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  retryStatuses: GATEWAY_AND_THROTTLE,
};

/**
 * Outlook runs at most 4 concurrent requests per app ID, whether to one mailbox or many (the text
 * restored by PR #9428; the error is still named MailboxConcurrency). One connector is one app's
 * door to Graph, so its requests in flight are capped at 4 ("Throttling").
 */
export const MAILBOX_CONCURRENCY = 4;

// Outlook also allows 10,000 requests per app and mailbox per 10 minutes ("Throttling"); a 429 past
// it is answered by the retry policy with Retry-After, so no client-side counter is kept.

/** At most 500 attendees per event (resources/event.md, "Attendees, invitations"). */
export const MAX_ATTENDEES = 500;

/** Events per page asked with `Prefer: odata.maxpagesize` (the notes' delta example uses 50). */
export const EVENTS_PAGE_SIZE = 50;


/** Graph v1.0, the base every path is relative to ("Endpoints"). */
export const GRAPH_V1 = 'https://graph.microsoft.com/v1.0';
