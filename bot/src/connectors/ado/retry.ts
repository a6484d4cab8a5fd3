import { isNetworkError, statusOf } from './errors.js';
import { parseRetryAfter } from '../../net/retry-after.js';
import { MAX_RETRY_AFTER_MS } from './limits.js';

/**
 * When to retry an ADO call and how long to wait. Pure, so it is tested per status code.
 * - 429 and 503 honour Retry-After (seconds or an HTTP date), up to 300 s; longer asks give up.
 * - 502/503/504 without Retry-After and network errors back off exponentially with jitter.
 * - Anything else (400, 401, 403, 404, 409, 412, 500) is not retried.
 * - A non-idempotent call (create) is retried only after the caller has checked it did not land.
 */
export interface RetryOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: MAX_RETRY_AFTER_MS,
  random: Math.random,
};

export type RetryDecision = { retry: false; reason: string } | { retry: true; delayMs: number; reason: string; fromServer: boolean };

export { parseRetryAfter };

export function backoffMs(attempt: number, options: RetryOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + options.random() * (ceiling / 2));
}

function headersOf(err: unknown): Record<string, string | string[] | undefined> {
  return ((err as { responseHeaders?: Record<string, string | string[] | undefined> } | null)?.responseHeaders) ?? {};
}

export function decideRetry(err: unknown, attempt: number, options: RetryOptions = DEFAULT_RETRY, now = Date.now()): RetryDecision {
  if (attempt >= options.maxRetries) return { retry: false, reason: `gave up after ${attempt} retries` };
  const status = statusOf(err);
  if (status === undefined) {
    return isNetworkError(err)
      ? { retry: true, delayMs: backoffMs(attempt, options), reason: 'network error', fromServer: false }
      : { retry: false, reason: 'not a transient failure' };
  }
  if (status === 429 || status === 502 || status === 503 || status === 504) {
    const asked = parseRetryAfter(headersOf(err)['retry-after'], now);
    if (asked !== null) {
      if (asked > options.maxRetryAfterMs) return { retry: false, reason: `server asked to wait ${Math.round(asked / 1000)} s, over the ${options.maxRetryAfterMs / 1000} s cap` };
      return { retry: true, delayMs: asked, reason: `${status} with Retry-After`, fromServer: true };
    }
    return { retry: true, delayMs: backoffMs(attempt, options), reason: `${status} without Retry-After`, fromServer: false };
  }
  return { retry: false, reason: `status ${status} is not retried` };
}
