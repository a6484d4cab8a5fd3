/**
 * Work and duration units. PWA returns work and duration as strings such as "208h", "26d", "1.5w",
 * "30m", "1mo" or elapsed "3ed" (an optional trailing "?" marks an estimate), and the
 * `*Milliseconds` properties as numbers. Project's default calendar: 8 h/day, 40 h/week, 160 h/month.
 * ADO work fields (Original Estimate, Remaining Work, Completed Work) are plain hours.
 */
export const HOURS_PER_DAY = 8;
export const HOURS_PER_WEEK = 40;
export const HOURS_PER_MONTH = 160;

const UNIT_HOURS: Readonly<Record<string, number>> = {
  m: 1 / 60, min: 1 / 60, h: 1, hr: 1, d: HOURS_PER_DAY, dy: HOURS_PER_DAY, w: HOURS_PER_WEEK, wk: HOURS_PER_WEEK,
  mo: HOURS_PER_MONTH, mon: HOURS_PER_MONTH,
  em: 1 / 60, eh: 1, ed: 24, ew: 168, emo: 720,
};

const PATTERN = /^\s*(-?\d+(?:[.,]\d+)?)\s*([a-z]*)\s*\??\s*$/i;

/** Hours in a PWA work/duration value; numbers are milliseconds; null for empty or unreadable. */
export function parseHours(value: string | number | boolean | null | undefined): number | null {
  if (value === null || value === undefined || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? roundHours(value / 3_600_000) : null;
  if (value.trim() === '') return null;
  const m = PATTERN.exec(value);
  if (!m) return null;
  const amount = Number(m[1]!.replace(',', '.'));
  const unit = (m[2] ?? '').toLowerCase() || 'h';
  const factor = UNIT_HOURS[unit];
  return factor === undefined ? null : roundHours(amount * factor);
}

/** PWA work string for a number of hours. */
export function formatHours(hours: number): string {
  return `${roundHours(hours)}h`;
}

/** Days (of 8 working hours) in a PWA duration value. */
export function parseDays(value: string | number | boolean | null | undefined): number | null {
  const hours = parseHours(value);
  return hours === null ? null : roundHours(hours / HOURS_PER_DAY);
}

export function formatDays(days: number): string {
  return `${roundHours(days)}d`;
}

/** Two decimals: finer than any estimate anyone types, coarse enough to absorb float noise. */
export function roundHours(hours: number): number {
  return Math.round(hours * 100) / 100 + 0;
}
