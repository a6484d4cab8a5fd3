import { daysBetween, isCalendarDate, localDay } from '../time/zone-time.js';
/**
 * Warnings before a PAT's known expiry: one 14 days before and one 3 days before, each sent once.
 * A warning is identified by the expiry date and threshold, so a renewed token (new date) is
 * warned about afresh. Pure: the caller keeps which keys were sent (see once-ledger.ts).
 */
export const PAT_WARNING_DAYS: readonly number[] = [14, 3];

export interface ExpiryWarning {
  /** Remember this once sent, e.g. "2026-01-15:3". */
  readonly key: string;
  /** Also mark these as sent: earlier thresholds this warning makes pointless (learned of the expiry late). */
  readonly supersedes: readonly string[];
  readonly daysLeft: number;
  readonly expiresOn: string;
}


/** Whole days from today (in `timeZone`) until `expiresOn` (YYYY-MM-DD, the last day the token works). */
export function daysUntil(expiresOn: string, now: Date, timeZone = 'UTC'): number {
  const today = localDay(now.getTime(), timeZone);
  return daysBetween(today, expiresOn);
}

/** The warning due now, if any. Nothing for a token already expired: the failure notice covers that. */
export function patExpiryWarningDue(expiresOn: string | undefined, now: Date, sent: ReadonlySet<string>, timeZone = 'UTC'): ExpiryWarning | undefined {
  if (expiresOn === undefined || !isCalendarDate(expiresOn)) return undefined;
  const daysLeft = daysUntil(expiresOn, now, timeZone);
  if (daysLeft < 0) return undefined;
  const reached = [...PAT_WARNING_DAYS].sort((a, b) => a - b).filter((d) => daysLeft <= d);
  const most = reached[0];
  if (most === undefined) return undefined;
  const key = `${expiresOn}:${most}`;
  if (sent.has(key)) return undefined;
  return { key, supersedes: reached.slice(1).map((d) => `${expiresOn}:${d}`), daysLeft, expiresOn };
}
