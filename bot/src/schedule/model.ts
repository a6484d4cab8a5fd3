/**
 * When an integration syncs on its own. Every timed kind is read in an IANA time zone, because
 * "09:00" means the user's 09:00, across daylight-saving changes. `on-demand` never runs by itself.
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Monday first, as users read a week; index = ISO weekday - 1. */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Local wall-clock time, 24-hour "HH:MM". */
export type WallTime = string;

export type Schedule =
  | { readonly kind: 'on-demand' }
  /** Every hour at minute `minute` of the local hour (default 0). */
  | { readonly kind: 'hourly'; readonly minute: number; readonly timeZone: string }
  | { readonly kind: 'daily'; readonly time: WallTime; readonly timeZone: string }
  /** `days` is non-empty, sorted Monday first, without repeats. */
  | { readonly kind: 'weekly'; readonly days: readonly Weekday[]; readonly time: WallTime; readonly timeZone: string }
  /** `dayOfMonth` 1..31; months without that day run on their last day. */
  | { readonly kind: 'monthly'; readonly dayOfMonth: number; readonly time: WallTime; readonly timeZone: string };

export type TimedSchedule = Exclude<Schedule, { kind: 'on-demand' }>;

export const isTimed = (s: Schedule): s is TimedSchedule => s.kind !== 'on-demand';

/** Nominal gap between runs in ms, before daylight-saving shifts (weekly/monthly: the shortest gap). */
export function nominalPeriodMs(s: TimedSchedule): number {
  const HOUR = 3_600_000;
  switch (s.kind) {
    case 'hourly': return HOUR;
    case 'daily': return 24 * HOUR;
    case 'weekly': return shortestWeekdayGap(s.days) * 24 * HOUR;
    case 'monthly': return 28 * 24 * HOUR;
  }
}

function shortestWeekdayGap(days: readonly Weekday[]): number {
  const idx = days.map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b);
  if (idx.length <= 1) return 7;
  let best = 7;
  for (let i = 0; i < idx.length; i++) {
    const next = i + 1 < idx.length ? idx[i + 1]! : idx[0]! + 7;
    best = Math.min(best, next - idx[i]!);
  }
  return best;
}

/**
 * What a scheduled run does with its preview: send it for approval (the default), or apply it
 * when nothing in it needs a decision (no conflicts, deletions or hierarchy mismatches).
 */
export type ApprovalPolicy = 'preview' | 'auto-when-clean';

export const APPROVAL_POLICIES: readonly ApprovalPolicy[] = ['preview', 'auto-when-clean'];

export const approvalPolicyOf = (value: unknown): ApprovalPolicy => (value === 'auto-when-clean' ? 'auto-when-clean' : 'preview');
