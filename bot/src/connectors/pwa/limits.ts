/**
 * Project Web App limits the connector plans around, each with its source.
 */
import { GATEWAY_AND_THROTTLE, type RetryLimits } from '../../net/retry-policy.js';

/**
 * SharePoint throttles with 429 or 503 and a Retry-After in seconds, and its gateways answer
 * 502/504 under load ("Avoid getting throttled or blocked in SharePoint Online",
 * https://learn.microsoft.com/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online;
 * PnPjs retries the same statuses, ../shared/notes/pwa-rest.md "PnPjs"). PlanBridge waits at most
 * two minutes for one ask: longer would hold a chat turn or a run's lease past any sensible wait.
 */
export const PWA_RETRY: RetryLimits = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  retryStatuses: GATEWAY_AND_THROTTLE,
};

/**
 * Pages of one collection read at once. PlanBridge's choice, the same budget as ADO's: well under
 * SharePoint's throttling of a single user, and enough to hide most of each page's round trip.
 */
export const PWA_MAX_IN_FLIGHT = 8;

/** Rows per page the server returns: 300 Online, 100 on-premises (../shared/notes/pwa-rest.md). */
export const PAGE_ROWS_ONLINE = 300;
export const PAGE_ROWS_ON_PREMISES = 100;

/** A form digest lives 1,800 s unless the site says otherwise; refreshed a minute early (contextinfo's FormDigestTimeoutSeconds). */
export const DEFAULT_DIGEST_SECONDS = 1_800;
export const DIGEST_EARLY_REFRESH_SECONDS = 60;
