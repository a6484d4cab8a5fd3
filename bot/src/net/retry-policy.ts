/**
 * The one retry policy of every outbound connector (ADO, PWA, and the plan systems to come). Pure:
 * each connector describes what happened as a `Failure` and passes its own limits (each in its
 * connector's limits.ts, with sources), and gets back whether to try again and how long to wait.
 * - Throttling and gateway answers (the limits' `retryStatuses`, normally 429/502/503/504) are
 *   retried. Retry-After (seconds or an HTTP date) is honoured up to `maxRetryAfterMs`; a longer
 *   ask gives up at once rather than hold a run, a chat turn or a lease for minutes.
 * - Without Retry-After, and for network errors, waits grow exponentially with full jitter in the
 *   upper half, so many clients throttled together do not return together.
 * - A network error on a call that is not idempotent (a create) is not retried here: the request
 *   may have landed, and only the caller can check that it did not. The same holds for a gateway's
 *   502 or 504: the gateway gave up waiting, not the service, which may have done the work. A 429
 *   or 503 is the service refusing the request, so it is retried either way.
 * - Anything else (400, 401, 403, 404, 409, 412, 500) is not retried: trying again cannot help.
 */
import { parseRetryAfter } from './retry-after.js';

export interface RetryLimits {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly retryStatuses: ReadonlySet<number>;
}

/** What went wrong with one attempt, in transport terms. */
export interface Failure {
  /** The HTTP status; undefined when no answer came (a network error). */
  readonly status?: number;
  readonly retryAfter?: string | string[] | null;
  /** Connection refused, reset, timed out: no answer at all. */
  readonly network: boolean;
  /** Whether sending the request twice does no harm (GET, PATCH with a precondition). Default true (say false for creates). */
  readonly idempotent?: boolean;
}

export type RetryDecision =
  | { readonly retry: false; readonly reason: string }
  | { readonly retry: true; readonly delayMs: number; readonly reason: string; readonly fromServer: boolean };

export const GATEWAY_AND_THROTTLE: ReadonlySet<number> = new Set([429, 502, 503, 504]);
/** Gateway answers: the service behind may have done the work after the gateway stopped waiting. */
const MAY_HAVE_LANDED: ReadonlySet<number> = new Set([502, 504]);

/** Exponential backoff with jitter in the upper half: between ceiling/2 and ceiling. */
export function backoffMs(attempt: number, limits: RetryLimits, random: () => number = Math.random): number {
  const ceiling = Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `attempt` counts retries already made (0 before the first retry). */
export function decideRetry(failure: Failure, attempt: number, limits: RetryLimits, random: () => number = Math.random, now = Date.now()): RetryDecision {
  if (attempt >= limits.maxRetries) return { retry: false, reason: `gave up after ${attempt} retries` };
  if (failure.status === undefined) {
    if (!failure.network) return { retry: false, reason: 'not a transient failure' };
    if (failure.idempotent === false) return { retry: false, reason: 'network error on a call that may have landed' };
    return { retry: true, delayMs: backoffMs(attempt, limits, random), reason: 'network error', fromServer: false };
  }
  if (!limits.retryStatuses.has(failure.status)) return { retry: false, reason: `status ${failure.status} is not retried` };
  if (failure.idempotent === false && MAY_HAVE_LANDED.has(failure.status)) return { retry: false, reason: `gateway answer ${failure.status} on a call that may have landed` };
  const asked = parseRetryAfter(failure.retryAfter, now);
  if (asked !== null) {
    if (asked > limits.maxRetryAfterMs) return { retry: false, reason: `server asked to wait ${Math.round(asked / 1000)} s, over the ${limits.maxRetryAfterMs / 1000} s cap` };
    return { retry: true, delayMs: asked, reason: `${failure.status} with Retry-After`, fromServer: true };
  }
  return { retry: true, delayMs: backoffMs(attempt, limits, random), reason: `${failure.status} without Retry-After`, fromServer: false };
}

/** A connector's limits with its owner's overrides: the retry budget, and the cap on one Retry-After. */
export function withOverrides(limits: RetryLimits, overrides: { maxRetries?: number; maxRetryWaitMs?: number }): RetryLimits {
  return {
    ...limits,
    ...(overrides.maxRetries !== undefined ? { maxRetries: overrides.maxRetries } : {}),
    ...(overrides.maxRetryWaitMs !== undefined ? { maxRetryAfterMs: overrides.maxRetryWaitMs } : {}),
  };
}
