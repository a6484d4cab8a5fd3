import { isNetworkError, statusOf } from './errors.js';
import { parseRetryAfter } from '../../net/retry-after.js';
import { decideRetry as decide, GATEWAY_AND_THROTTLE, type RetryDecision, type RetryLimits } from '../../net/retry-policy.js';
import { MAX_RETRY_AFTER_MS } from './limits.js';

/**
 * ADO's side of the one retry policy (net/retry-policy.ts): how a client-library failure reads as
 * a transport failure, and ADO's limits. A create is retried only after the caller has checked
 * it did not land (session.ts), so every call that reaches here counts as idempotent.
 */
export interface RetryOptions extends RetryLimits {
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: MAX_RETRY_AFTER_MS,
  retryStatuses: GATEWAY_AND_THROTTLE,
  random: Math.random,
};

export type { RetryDecision };
export { parseRetryAfter };

function headersOf(err: unknown): Record<string, string | string[] | undefined> {
  return ((err as { responseHeaders?: Record<string, string | string[] | undefined> } | null)?.responseHeaders) ?? {};
}

export function decideRetry(err: unknown, attempt: number, options: RetryOptions = DEFAULT_RETRY, now = Date.now()): RetryDecision {
  const status = statusOf(err);
  const failure = { status, retryAfter: headersOf(err)['retry-after'], network: status === undefined && isNetworkError(err) };
  return decide(failure, attempt, options, options.random, now);
}
