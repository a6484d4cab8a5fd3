import type { FailureCause } from './failure-causes.js';

/**
 * When to tell people about failing scheduled runs, without spamming them: once when a streak of
 * failures starts, then at most one reminder a day while it lasts, and one "recovered" message
 * when a run succeeds again. Pure: the caller stores the state and sends the notices.
 */
export interface StreakState {
  /** Absent when the last run succeeded. */
  readonly failingSince?: string;
  readonly failures: number;
  readonly lastNotifiedAt?: string;
  readonly lastCause?: FailureCause;
}

export type StreakNotice =
  | { readonly kind: 'failure-started'; readonly cause: FailureCause }
  | { readonly kind: 'failure-reminder'; readonly cause: FailureCause; readonly failures: number; readonly failingSince: string }
  | { readonly kind: 'recovered'; readonly failures: number; readonly failingSince: string };

export const REMINDER_INTERVAL_MS = 24 * 3_600_000;

export const NO_STREAK: StreakState = { failures: 0 };

export function afterRunOutcome(
  state: StreakState | undefined,
  outcome: { ok: true } | { ok: false; cause: FailureCause },
  now: Date,
): { state: StreakState; notice?: StreakNotice } {
  const current = state ?? NO_STREAK;
  const at = now.toISOString();
  if (outcome.ok) {
    if (current.failingSince === undefined) return { state: NO_STREAK };
    return { state: NO_STREAK, notice: { kind: 'recovered', failures: current.failures, failingSince: current.failingSince } };
  }
  if (current.failingSince === undefined) {
    return { state: { failingSince: at, failures: 1, lastNotifiedAt: at, lastCause: outcome.cause }, notice: { kind: 'failure-started', cause: outcome.cause } };
  }
  const failures = current.failures + 1;
  const last = current.lastNotifiedAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(current.lastNotifiedAt);
  if (now.getTime() - last >= REMINDER_INTERVAL_MS) {
    return {
      state: { ...current, failures, lastNotifiedAt: at, lastCause: outcome.cause },
      notice: { kind: 'failure-reminder', cause: outcome.cause, failures, failingSince: current.failingSince },
    };
  }
  return { state: { ...current, failures, lastCause: outcome.cause } };
}
