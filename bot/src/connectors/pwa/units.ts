/**
 * PWA duration and work strings. Durations come as "73d" (days of `minutesPerDay`, from the
 * project's settings, 480 by default), work as "208h". Elapsed units ("3ed") count the same here:
 * PlanBridge syncs working time only.
 */

const UNIT_MINUTES: Record<string, (minutesPerDay: number) => number> = {
  m: () => 1, em: () => 1,
  h: () => 60, eh: () => 60,
  d: (mpd) => mpd, ed: (mpd) => mpd,
  w: (mpd) => mpd * 5, ew: (mpd) => mpd * 5,
};

/** "73d", "2.5d", "208h", "1,234h", "30m", "1w", "5d?" (estimated) into minutes; null if unreadable. */
export function parsePwaDuration(text: string | null | undefined, minutesPerDay: number): number | null {
  if (text === null || text === undefined) return null;
  const m = /^\s*(\d[\d,]*(?:\.\d+)?)\s*([a-z]*)\??\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] || 'd').toLowerCase();
  const factor = UNIT_MINUTES[unit];
  if (!factor) return null;
  return Math.round(Number(m[1]!.replace(/,/g, '')) * factor(minutesPerDay));
}

function trim(n: number): string {
  return String(Number(n.toFixed(2)));
}

/** Minutes to a PWA duration string in days ("5d", "2.5d"). */
export function formatPwaDuration(minutes: number, minutesPerDay: number): string {
  return `${trim(minutes / minutesPerDay)}d`;
}

/** Minutes to a PWA work string in hours ("208h"). */
export function formatPwaWork(minutes: number): string {
  return `${trim(minutes / 60)}h`;
}
